import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';
import { readInstant } from './instant-range.js';
import { instantText } from './instant-text.js';

/**
 * Scalars beyond GraphQL's own. Each carries, in `extensions.norman`, the /v3 field
 * type it stands for, so rest-compat reads the mapping from the schema instead of
 * keeping a table of its own.
 */
builder.scalarType('DateTime', {
  description: 'An instant, written as an RFC 3339 string in UTC.',
  extensions: { norman: { type: 'date' } },
  serialize: (value) => instantText(value instanceof Date ? value : new Date(value as string)),
  parseValue: (value) => parseDate(value),
  parseLiteral: (node) => parseDate(node.kind === Kind.STRING ? node.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  // `opaque`: the schema does not describe what is inside, so nothing can say which of it is
  // write-only (a registry's password): the audit log redacts such an input whole (src/audit/redaction.ts).
  extensions: { norman: { type: 'json' }, opaque: true },
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node) => literalValue(node),
});

builder.scalarType('IntOrString', {
  description: 'A Kubernetes IntOrString: a whole number (`1`) or a percentage (`"25%"`), as a rollout’s maxSurge takes.',
  extensions: { norman: { type: 'intOrString' } },
  serialize: (value) => value as number | string,
  parseValue: (value) => parseIntOrString(value),
  parseLiteral: (node) => parseIntOrString(literalValue(node)),
});

builder.scalarType('PortNumberOrName', {
  description: 'A port as Kubernetes’ IntOrString names it: a number (`8080`) or the name of a container’s port (`"http"`).',
  extensions: { norman: { type: 'intOrString' } },
  serialize: (value) => value as number | string,
  parseValue: (value) => parsePortNumberOrName(value),
  parseLiteral: (node) => parsePortNumberOrName(literalValue(node)),
});

builder.scalarType('StringMap', {
  description: 'An object whose values are all strings, such as Kubernetes labels and annotations.',
  extensions: { norman: { type: 'map[string]' } },
  serialize: (value) => value as Record<string, string>,
  parseValue: (value) => parseStringMap(value),
  parseLiteral: (node) => parseStringMap(literalValue(node)),
});

function parseIntOrString(value: unknown): number | string {
  if ((typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d{1,10}%?$/.test(value))) return value;
  throw new GraphQLError('IntOrString must be a whole number or a string of digits, optionally ending in %', {
    extensions: { code: 'INVALID_INPUT', reason: 'InvalidFormat' },
  });
}

/** The type only: ranges and name rules are the input fields' validators, which name the field at fault. */
function parsePortNumberOrName(value: unknown): number | string {
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'string') return value;
  throw new GraphQLError('a port is a whole number or a port name', { extensions: { code: 'INVALID_INPUT', reason: 'InvalidFormat' } });
}

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? readInstant(value) : undefined;
  if (!date) {
    throw new GraphQLError('DateTime must be an RFC 3339 date-time string, years 0001 to 9999', {
      extensions: { code: 'INVALID_INPUT', reason: 'InvalidDateFormat' },
    });
  }
  return date;
}

function parseStringMap(value: unknown): Record<string, string> {
  const isMap = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');
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
