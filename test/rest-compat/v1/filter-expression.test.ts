import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, parseFilterExpression } from '../../../rest-compat/v1/filter-expression.js';

/** Steve's filter language (its SQL processor's parser), as one `filter` parameter's value reads. */
describe('parseFilterExpression', () => {
  it('reads each operator, == and lt/gt as their spellings of = and </>', () => {
    expect(parseFilterExpression('metadata.name=a,metadata.name==b,x!=c,x~d,x!~e,n<1,n>"-2",n lt 3,n GT 4')).toEqual([
      { key: 'metadata.name', operator: '=', values: ['a'] },
      { key: 'metadata.name', operator: '=', values: ['b'] },
      { key: 'x', operator: '!=', values: ['c'] },
      { key: 'x', operator: '~', values: ['d'] },
      { key: 'x', operator: '!~', values: ['e'] },
      { key: 'n', operator: '<', values: ['1'] },
      { key: 'n', operator: '>', values: ['-2'] },
      { key: 'n', operator: '<', values: ['3'] },
      { key: 'n', operator: '>', values: ['4'] },
    ]);
  });

  it('reads sets, with Steve’s empty values, and existence tests', () => {
    expect(parseFilterExpression('metadata.name in (a, b,a), x NOTIN (), y in (,c)')).toEqual([
      { key: 'metadata.name', operator: 'in', values: ['a', 'b'] },
      { key: 'x', operator: 'notin', values: [''] },
      { key: 'y', operator: 'in', values: ['', 'c'] },
    ]);
    expect(parseFilterExpression('metadata.labels[cattle.io/a],!metadata.labels[b]')).toEqual([
      { key: 'metadata.labels[cattle.io/a]', operator: 'exists', values: [] },
      { key: 'metadata.labels[b]', operator: '!exists', values: [] },
    ]);
    expect(parseFilterExpression('')).toEqual([]);
  });

  it('takes quoted values whole: commas, operators, spaces, escapes, the empty value', () => {
    expect(parseFilterExpression(`metadata.name="oxford,metadata.labels.comma",x='it,s',y="a \\"b\\" = c",z=''`)).toEqual([
      { key: 'metadata.name', operator: '=', values: ['oxford,metadata.labels.comma'] },
      { key: 'x', operator: '=', values: ['it,s'] },
      { key: 'y', operator: '=', values: ['a "b" = c'] },
      { key: 'z', operator: '=', values: [''] },
    ]);
  });

  it('refuses what it cannot read, saying where', () => {
    const refused = (text: string, message: RegExp) =>
      expect(() => parseFilterExpression(text)).toThrow(expect.objectContaining({ name: FilterSyntaxError.name, message: expect.stringMatching(message) }));
    refused('metadata.name=', /expected: a value/);
    refused('metadata.name=a b', /found "b"/);
    refused('metadata.name=a,', /a field after ','/);
    refused("x='a''b'", /found "b"/);
    refused('!metadata.name=a', /found "="/);
    refused('n<ten', /integer/);
    refused('x in a', /expected: '\('/);
    refused('x in (a b)', /found "b"/);
    refused('x="open', /unterminated/);
    refused('x=-1', /unexpected character "-"/);
    refused('x @ y', /unexpected character "@"/);
  });

  it('reads any text or refuses it with a syntax error, never anything else', () => {
    const pieces = fc.constantFrom(
      'metadata.name',
      'a',
      '=',
      '==',
      '!',
      '!=',
      '~',
      '!~',
      '<',
      '>',
      'in',
      'notin',
      '(',
      ')',
      ',',
      ' ',
      '"',
      "'",
      '\\',
      '1',
      '-',
      '[x/y]',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
        ),
        (text) => {
          try {
            for (const requirement of parseFilterExpression(text)) expect(requirement.key).not.toBe('');
          } catch (error) {
            expect(error).toBeInstanceOf(FilterSyntaxError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
