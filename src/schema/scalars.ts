import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

/**
 * Scalars beyond GraphQL's own. Each carries, in `extensions.norman`, the /v3 field
 * type it stands for, so rest-compat reads the mapping from the schema instead of
 * keeping a table of its own.
 */
builder.scalarType('DateTime', {
  description: 'An instant, written as an RFC 3339 string in UTC.',
  extensions: { norman: { type: 'date' } },
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: (value) => parseDate(value),
  parseLiteral: (node) => parseDate(node.kind === Kind.STRING ? node.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  extensions: { norman: { type: 'json' } },
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node) => literalValue(node),
});

builder.scalarType('StringMap', {
  description: 'An object whose values are all strings, such as Kubernetes labels and annotations.',
  extensions: { norman: { type: 'map[string]' } },
  serialize: (value) => value as Record<string, string>,
  parseValue: (value) => parseStringMap(value),
  parseLiteral: (node) => parseStringMap(literalValue(node)),
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an RFC 3339 date-time string', {
      extensions: { code: 'INVALID_INPUT', reason: 'InvalidDateFormat' },
    });
  }
  return date;
}

function parseStringMap(value: unknown): Record<string, string> {
  const isMap =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string');
  if (!isMap) {
    throw new GraphQLError('StringMap must be an object whose values are strings', {
      extensions: { code: 'INVALID_INPUT', reason: 'InvalidFormat' },
    });
  }
  return value as Record<string, string>;
}

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value)]));
    case Kind.VARIABLE:
      throw new GraphQLError('variables inside JSON literals are not supported', {
        extensions: { code: 'INVALID_INPUT' },
      });
  }
}
