import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../src/errors.js';
import { isJsonObject } from '../../src/json-object.js';
import { declaredLength, readLimitedBody } from '../../src/http/limited-body.js';
import { decodeUtf8 } from '../../src/http/strict-utf8.js';
import { readInstant } from '../../src/schema/instant-range.js';
import { NormanHttpError } from '../errors.js';
import type { NormanField, NormanSchema } from '../schemas/types.js';

const maximumBodyBytes = 1024 * 1024;

/**
 * The request body as an object: JSON, or YAML when its Content-Type says so
 * (`application/yaml`; Norman and Kubernetes both read YAML bodies). Empty is `{}`, more
 * than 1 MiB is 413, bytes that are not UTF-8 are 422 InvalidCharacters, anything else
 * that is not one object is 400. Shared by the REST faces, so it fails with the server's
 * own codes, which each face translates into its error format.
 */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const bytes = await readLimitedBody(request, maximumBodyBytes, declaredLength(request.headers['content-length']));
  const text = decodeUtf8(bytes, 'the request body').trim();
  if (text === '') return {};
  const yaml = isYamlMediaType(request.headers['content-type']);
  const body = yaml ? parseYamlBody(text) : parseJsonBody(text);
  if (!isJsonObject(body)) throw new ApiError('BAD_REQUEST', `the request body must be a ${yaml ? 'YAML mapping' : 'JSON object'}`);
  return body;
}

function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('BAD_REQUEST', 'the request body is not valid JSON');
  }
}

/**
 * YAML 1.2's core schema, which reads exactly JSON's types (no dates, no custom tags);
 * the library's defaults refuse duplicate keys, more than one document and alias
 * expansions beyond 100 (the "billion laughs"), and define a `__proto__` key as a key.
 */
function parseYamlBody(text: string): unknown {
  try {
    return parseYaml(text, { schema: 'core', prettyErrors: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw new ApiError('BAD_REQUEST', `the request body is not valid YAML: ${reason}`);
  }
}

/** `application/yaml` (RFC 9512), and the names clients used before it. */
function isYamlMediaType(contentType: string | string[] | undefined): boolean {
  const type = String(contentType ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml' || type === 'text/x-yaml';
}

/**
 * The fields of a body that a create or an update may set, read the way Norman's
 * builder reads them: unknown and non-settable fields are dropped silently, at every
 * depth; a value is first converted to its field's type where Norman converts it
 * (`"60000"` for a number, `5` for text); a missing required field, a value still of
 * the wrong type, an option not offered or a length out of bounds is a 422 naming the
 * field.
 */
export function settableInput(
  schema: NormanSchema,
  body: Record<string, unknown>,
  mode: WriteMode,
  schemas: Map<string, NormanSchema>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.resourceFields)) {
    if (!field[mode]) continue;
    const value = blankAsNone(field, Object.hasOwn(body, name) ? body[name] : undefined);
    if (value === null && mode === 'update' && isClearableReference(field)) {
      input[name] = noReference;
      continue;
    }
    if (value === undefined || (value === null && mode === 'update')) {
      if (mode === 'create' && field.required) throw new NormanHttpError(422, 'MissingRequired', `${name} is required`, name);
      continue;
    }
    if (value === null) {
      if (field.required || field.nullable === false)
        throw new NormanHttpError(422, field.required ? 'MissingRequired' : 'NotNullable', `${name} must not be null`, name);
      continue;
    }
    const converted = nestedInput(field.type, value, schemas, name);
    checkValue(name, field, converted, schemas);
    input[name] = converted;
  }
  return input;
}

/**
 * What a form sends for a field it has no value for: `""`. For text that may be empty
 * that is a value; for any other field (an object, a list, a number, an option, a
 * reference, text that must not be empty) it means "none": null, so an optional field
 * is simply not set and a required one is missing.
 */
function blankAsNone(field: NormanField, value: unknown): unknown {
  const mayBeEmpty = textTypes.has(field.type) && !field.minLength;
  return value === '' && !mayBeEmpty ? null : value;
}

const textTypes = new Set(['string', 'password']);

/**
 * An update's null (or blank) for an optional reference sets it to none, as a Norman
 * PUT's null does. GraphQL inputs take a blank reference as none (and null as "leave
 * it as it is"), so that is what the update sends; `_replace` resets an omitted one so.
 */
const noReference = '';
const isClearableReference = (field: NormanField) => field.type.startsWith('reference[') && !field.required && field.nullable !== false;

/**
 * Norman's conversions of a value to its field's type (its builder's `convert`), for
 * the types a script commonly sends as something else: text from a number or a
 * boolean, a whole number from its decimal digits, a number from its text, a boolean
 * from `true`/`false`. Anything else stays as sent and is refused by the type check.
 * Stricter than Norman where Norman loses data: `1.5` is not truncated to an integer
 * and `"yes"` is not a boolean.
 */
function asFieldType(type: string, value: unknown): unknown {
  if (type === 'string' || type === 'password' || type === 'enum' || type.startsWith('reference[')) {
    return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' ? String(value) : value;
  }
  if (typeof value !== 'string') return value;
  if (type === 'int') return /^[-+]?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (type === 'float') return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  if (type === 'boolean' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

/**
 * The same reading one level down and further, inside an embedded object or a list,
 * as Norman's builder constructs nested objects: only the embedded type's settable fields
 * are kept (a key it does not have, or one only shown — such as what a
 * GET returned beside the settable fields — is dropped), each value is converted to
 * its field's type and checked like a top-level one, naming it by its path
 * (`machinePools.0.quantity`), and a blank non-text field is left out, so the object's
 * own defaults apply.
 */
function nestedInput(type: string, value: unknown, schemas: Map<string, NormanSchema>, path: string): unknown {
  const inner = /^array\[(.+)\]$/.exec(type)?.[1];
  if (inner && Array.isArray(value)) return value.map((entry, index) => nestedInput(inner, entry, schemas, `${path}.${index}`));
  const valueType = /^map\[(.+)\]$/.exec(type)?.[1];
  if (valueType && isJsonObject(value)) {
    // fromEntries defines each key, so a key named `__proto__` stays a key.
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, nestedInput(valueType, entry, schemas, `${path}.${key}`)]));
  }
  const fields = schemas.get(type)?.resourceFields;
  if (!fields) return asFieldType(type, value);
  if (!isJsonObject(value)) return value;
  const cleaned: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    // An embedded value is written whole, by create or update alike: a field either may set is settable.
    if (!field.create && !field.update) continue;
    // Own keys only: `__proto__` or `toString` are no field's value, whatever an object inherits.
    const entry = Object.hasOwn(value, key) ? value[key] : undefined;
    const normalised = blankAsNone(field, entry);
    const name = `${path}.${key}`;
    if (normalised === undefined || normalised === null) {
      if (field.required) throw new NormanHttpError(422, 'MissingRequired', `${name} is required`, name);
      if (entry === null) cleaned[key] = null;
      continue;
    }
    const converted = nestedInput(field.type, normalised, schemas, name);
    checkValue(name, field, converted, schemas);
    cleaned[key] = converted;
  }
  return cleaned;
}

type WriteMode = 'create' | 'update';

/**
 * A PUT with `?_replace=true` (what Rancher's UI saves with): the body is the whole
 * object, so an editable field it leaves out goes back to its default, or to the
 * empty value of its type (text, list, map, embedded object); a required one must be
 * given. Write-only fields (secrets) are kept: a client never sees them, so it could
 * never send them back. An optional reference goes back to none. Fields with no empty
 * value to go back to (a number or an option without a default) keep theirs.
 */
export function replacementInput(schema: NormanSchema, body: Record<string, unknown>, schemas: Map<string, NormanSchema>): Record<string, unknown> {
  const input = settableInput(schema, body, 'update', schemas);
  for (const [name, field] of Object.entries(schema.resourceFields)) {
    if (!field.update || name in input || field.writeOnly) continue;
    if (field.required) throw new NormanHttpError(422, 'MissingRequired', `${name} is required when replacing the object`, name);
    const reset = emptyValueOf(field, schemas);
    if (reset !== undefined) input[name] = reset;
  }
  return input;
}

/**
 * What an editable field goes back to when a whole object (a replacing PUT, here or on
 * /v1) leaves it out: its default, no reference, or the empty value of its type;
 * undefined when it has none to go back to (a number or an option without a default).
 */
export function emptyValueOf(field: NormanField, schemas: ReadonlyMap<string, NormanSchema>): unknown {
  if (field.default !== undefined) return field.default;
  if (isClearableReference(field)) return noReference;
  if (textTypes.has(field.type)) return field.minLength ? undefined : '';
  if (field.type.startsWith('array[')) return [];
  if (field.type.startsWith('map[') || schemas.has(field.type)) return {};
  return undefined;
}

/** An action's input: every field of its input schema is settable. */
export function actionInput(schema: NormanSchema | undefined, body: Record<string, unknown>, schemas: Map<string, NormanSchema>): Record<string, unknown> {
  if (!schema) return {};
  return settableInput({ ...schema, resourceFields: mapFields(schema.resourceFields, (field) => ({ ...field, create: true })) }, body, 'create', schemas);
}

function checkValue(name: string, field: NormanField, value: unknown, schemas: Map<string, NormanSchema>): void {
  const fail = (code: string, message: string) => {
    throw new NormanHttpError(422, code, `${name}: ${message}`, name);
  };
  const type = field.type;
  if (type === 'string' || type === 'password' || type.startsWith('reference[') || type === 'date') {
    if (typeof value !== 'string') fail('InvalidFormat', `expected a string`);
    const text = value as string;
    if (type === 'date' && !readInstant(text)) fail('InvalidDateFormat', 'expected an RFC 3339 date (years 0001 to 9999)');
    if (field.minLength !== undefined && text.length < field.minLength) fail('MinLengthExceeded', `shorter than ${field.minLength} characters`);
    if (field.maxLength !== undefined && text.length > field.maxLength) fail('MaxLengthExceeded', `longer than ${field.maxLength} characters`);
  } else if (type === 'int' || type === 'float') {
    if (typeof value !== 'number' || (type === 'int' && !Number.isInteger(value)))
      fail('InvalidFormat', `expected ${type === 'int' ? 'an integer' : 'a number'}`);
    if (field.min !== undefined && (value as number) < field.min) fail('MinLimitExceeded', `less than ${field.min}`);
    if (field.max !== undefined && (value as number) > field.max) fail('MaxLimitExceeded', `greater than ${field.max}`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') fail('InvalidFormat', 'expected true or false');
  } else if (type === 'enum') {
    if (typeof value !== 'string' || !(field.options ?? []).includes(value)) fail('InvalidOption', `expected one of ${(field.options ?? []).join(', ')}`);
  } else if (type.startsWith('array[')) {
    if (!Array.isArray(value)) fail('InvalidFormat', 'expected an array');
  } else if (type.startsWith('map[')) {
    if (!isJsonObject(value)) fail('InvalidFormat', 'expected an object');
    if (type === 'map[string]' && Object.values(value as object).some((entry) => typeof entry !== 'string'))
      fail('InvalidFormat', 'expected an object of strings');
  } else if (schemas.has(type)) {
    if (!isJsonObject(value)) fail('InvalidFormat', `expected a ${type} object`);
  }
}

function mapFields(fields: Record<string, NormanField>, map: (field: NormanField) => NormanField): Record<string, NormanField> {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, map(field)]));
}
