import { getNamedType, GraphQLError, isEnumType, isInputObjectType, isScalarType, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { NormanHttpError } from '../errors.js';
import { rancherOptions } from './enum-values.js';
import type { ListRequest } from '../parse/query.js';

/**
 * Turns query-string filter values (always text) into the types of the GraphQL
 * filter input they feed: `created_gt=…` becomes a DateTime, `count_lt=3` an Int.
 * A value that cannot be one is a 422 naming the field, never a 500. A value outside
 * an enum's options is no error: Norman compares filter values as strings, and no row
 * holds that one ({@link enumCondition}).
 */
export function typedFilter(schema: GraphQLSchema, filterInput: string | undefined, filter: ListRequest['filter']): Record<string, Record<string, unknown>> {
  const input = filterInput ? schema.getType(filterInput) : undefined;
  if (!input || !isInputObjectType(input)) return {};
  const typed: Record<string, Record<string, unknown>> = {};
  for (const [field, conditions] of Object.entries(filter)) {
    const operators = input.getFields()[field];
    const operatorType = operators ? getNamedType(operators.type) : undefined;
    if (!operatorType || !isInputObjectType(operatorType)) continue;
    typed[field] = {};
    for (const [modifier, value] of Object.entries(conditions)) {
      const operator = operatorType.getFields()[modifier];
      if (!operator) continue;
      const scalar = getNamedType(operator.type);
      if (isEnumType(scalar) && value !== true) {
        const condition = enumCondition(modifier, value, rancherOptions(scalar));
        if (condition === 'matches none') {
          typed[field] = { in: [] };
          break;
        }
        if (condition !== 'matches all') typed[field][modifier] = condition.value;
        continue;
      }
      const convert = (text: string) => convertValue(text, isScalarType(scalar) ? scalar : undefined, field);
      typed[field][modifier] = value === true ? true : Array.isArray(value) ? value.map(convert) : convert(value);
    }
  }
  return typed;
}

/**
 * A condition on an enum field as Norman's string comparison reads it: a value that is
 * none of the options is one no row holds. So `eq` it matches no row and `ne` it every
 * row; `in` and `notin` keep the values that are options, and `in` none of them matches
 * no row, `notin` none of them every row.
 */
function enumCondition(modifier: string, value: string | string[], options: readonly string[]): { value: string | string[] } | 'matches none' | 'matches all' {
  const held = (text: string) => options.includes(text);
  if (Array.isArray(value)) {
    const known = value.filter(held);
    if (known.length > 0) return { value: known };
    return modifier === 'notin' ? 'matches all' : 'matches none';
  }
  if (held(value)) return { value };
  return modifier === 'ne' ? 'matches all' : 'matches none';
}

/**
 * A query-string value as the scalar's variable value: text is read as a number or a
 * boolean where the scalar takes one (query strings carry no types), and then the
 * scalar's own `parseValue` judges it — Int's 32-bit range, DateTime's years — its
 * reason becoming the Norman code: no copy of the schema's rules here.
 */
function convertValue(text: string, scalar: GraphQLScalarType | undefined, field: string): unknown {
  if (!scalar) return text;
  const value = valueOfText(text, scalar.name);
  if (value === undefined) throw new NormanHttpError(422, 'InvalidFormat', `${field}: ${JSON.stringify(text)} is not ${textExpected[scalar.name]}`, field);
  try {
    scalar.parseValue(value);
  } catch (error) {
    const reason = error instanceof GraphQLError && typeof error.extensions.reason === 'string' ? error.extensions.reason : 'InvalidFormat';
    throw new NormanHttpError(422, reason, `${field}: ${error instanceof Error ? error.message : 'not a valid value'}`, field);
  }
  return value;
}

const textExpected: Record<string, string> = { Int: 'an integer', Float: 'a number', Boolean: 'true or false' };

/** The text as the scalar's kind of value, or undefined when it reads as none. */
function valueOfText(text: string, scalarName: string): unknown {
  switch (scalarName) {
    case 'Int':
    case 'Float': {
      const number = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isNaN(number) ? undefined : number;
    }
    case 'Boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    default:
      return text;
  }
}
