import { createSchema } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { typedFilter } from '../../rest-compat/execute/filter-values.js';

describe('typedFilter', () => {
  // A filter input of each built-in scalar: the faces' own schema has no Int or Float filter yet.
  const schema = createSchema({
    typeDefs: `
      input IntOps { eq: Int gt: Int }
      input FloatOps { lt: Float }
      input BooleanOps { eq: Boolean }
      input ThingFilter { count: IntOps, ratio: FloatOps, paused: BooleanOps }
      type Query { things(filter: ThingFilter): Int }`,
  });
  const typed = (field: string, modifier: string, value: string) =>
    typedFilter(schema, 'ThingFilter', { [field]: { [modifier]: value } } as never)[field]![modifier];
  const refusal = (field: string, modifier: string, value: string) => {
    try {
      typed(field, modifier, value);
    } catch (error) {
      return error;
    }
    throw new Error(`${field}_${modifier}=${value} was accepted`);
  };

  it('reads text as the scalar’s value', () => {
    expect(typed('count', 'gt', '3')).toBe(3);
    expect(typed('ratio', 'lt', '0.5')).toBe(0.5);
    expect(typed('paused', 'eq', 'false')).toBe(false);
  });

  it('lets the scalar judge the value: Int’s 32-bit range, a finite Float, with 422 naming the field', () => {
    for (const [field, modifier, text] of [
      ['count', 'eq', '10000000000'],
      ['count', 'gt', '1.5'],
      ['count', 'gt', 'three'],
      ['count', 'gt', ' '],
      ['ratio', 'lt', 'Infinity'],
      ['paused', 'eq', 'yes'],
    ] as const) {
      expect(refusal(field, modifier, text), text).toMatchObject({ status: 422, code: 'InvalidFormat', fieldName: field });
    }
  });
});
