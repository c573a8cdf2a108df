import { getNamedType, GraphQLError, isEnumType, isInputObjectType, isScalarType, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { NormanHttpError } from '../errors.js';
import { rancherOptions } from './enum-values.js';
import type { ListRequest } from '../parse/query.js';

/**
 * Turns query-string filter values (always text) into the types of the GraphQL
 * filter input they feed: `created_gt=…` becomes a DateTime, `count_lt=3` an Int.
 * A value that cannot be one is a 422 naming the field, never a 500.
 */
export function typedFilter(schema: GraphQLSchema, filterInput: string | undefined, filter: ListRequest['filter']): Record<string, Record<string, unknown>> {
  const input = filterInput ? schema.getType(filterInput) : undefined;
  if (!input || !isInputObjectType(input)) return {};
  const typed: Record<string, Record<string, unknown>> = {};
  for (const [field, conditions] of Object.entries(filter)) {
    const operators = input.getFields()[field];
    const operatorType = operators ? getNamedType(operators.type) : undefined;
    if (!operatorType || !isInputObjectType(operatorType)) continue;
    for (const [modifier, value] of Object.entries(conditions)) {
      const operator = operatorType.getFields()[modifier];
      if (!operator) continue;
      const scalar = getNamedType(operator.type);
      const options = isEnumType(scalar) ? rancherOptions(scalar) : undefined;
      const convert = (text: string) => {
        if (options && !options.includes(text))
          throw new NormanHttpError(422, 'InvalidOption', `${field}: ${JSON.stringify(text)} is not one of ${options.join(', ')}`, field);
        return convertValue(text, isScalarType(scalar) ? scalar : undefined, field);
      };
      typed[field] ??= {};
      typed[field][modifier] = value === true ? true : Array.isArray(value) ? value.map(convert) : convert(value);
    }
  }
  return typed;
}

function convertValue(text: string, scalar: GraphQLScalarType | undefined, field: string): unknown {
  switch (scalar?.name) {
    case 'Int': {
      const number = Number(text);
      if (!Number.isInteger(number)) throw new NormanHttpError(422, 'InvalidFormat', `${field}: ${JSON.stringify(text)} is not an integer`, field);
      return number;
    }
    case 'Float': {
      const number = Number(text);
      if (text.trim() === '' || Number.isNaN(number))
        throw new NormanHttpError(422, 'InvalidFormat', `${field}: ${JSON.stringify(text)} is not a number`, field);
      return number;
    }
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw new NormanHttpError(422, 'InvalidFormat', `${field}: ${JSON.stringify(text)} is not true or false`, field);
      return text === 'true';
    default:
      // A scalar written as text (DateTime, …) checks it by its own rule in the schema, its
      // reason becoming the Norman code: no copy of that rule here.
      if (scalar) checkedByScalar(scalar, text, field);
      return text;
  }
}

function checkedByScalar(scalar: GraphQLScalarType, text: string, field: string): void {
  try {
    scalar.parseValue(text);
  } catch (error) {
    const reason = error instanceof GraphQLError && typeof error.extensions.reason === 'string' ? error.extensions.reason : 'InvalidFormat';
    throw new NormanHttpError(422, reason, `${field}: ${error instanceof Error ? error.message : 'not a valid value'}`, field);
  }
}
