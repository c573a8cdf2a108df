import { describe, expect, it } from 'vitest';
import { EncodedDocument, fixedDocuments } from '../../rest-compat/write/fixed-documents.js';

describe('fixedDocuments', () => {
  it('encodes a document once per key, and keeps how to make it again', () => {
    const fixed = fixedDocuments();
    let made = 0;
    const make = () => ({ made: ++made, text: 'ü "quoted"' });
    const first = fixed('root http://a', make);
    const again = fixed('root http://a', make);
    expect(first).toBeInstanceOf(EncodedDocument);
    expect(again.bytes).toBe(first.bytes);
    expect(JSON.parse(first.bytes.toString('utf8'))).toEqual({ made: 1, text: 'ü "quoted"' });
    expect(made).toBe(1);
    expect(again.value()).toEqual({ made: 2, text: 'ü "quoted"' });
  });

  it('never holds more than its capacity, and answers right after starting again', () => {
    const fixed = fixedDocuments(3);
    const makes: string[] = [];
    const make = (key: string) => () => {
      makes.push(key);
      return { key };
    };
    const ask = (key: string) => JSON.parse(fixed(key, make(key)).bytes.toString('utf8')).key;
    for (const key of ['a', 'b', 'c', 'a', 'd', 'a', 'b']) expect(ask(key)).toBe(key);
    // a, b, c made; a kept; d found it full and started again; a and b made once more.
    expect(makes).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });
});
