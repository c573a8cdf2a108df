import type { z } from 'zod';
import { isJsonObject, type JsonObject } from '../../src/json-object.js';
import { invalidValue, isEmpty, issueStatus } from './invalid-value.js';

/**
 * How a part of a Rancher object crosses over to its GraphQL field and back, declared as
 * data: Rancher's field names, which of them this server keeps (and under which GraphQL
 * name), what Go's JSON leaves out, and where Rancher keeps a map that GraphQL keeps as
 * a list. One declaration serves the four directions: showing a stored value in
 * Rancher's JSON, reading a written one into the GraphQL input, finding the fields of a
 * written object that would be dropped, and naming a rule's issue by its place in the
 * object.
 */
export type Shape = ScalarShape | ValueMapShape | ListShape | KeyedShape | ObjectShape;

/** Text, a number or a boolean, passed as it is (the rules check its type). */
interface ScalarShape {
  kind: 'scalar';
}

/** A map whose keys are data, never fields (labels, Rancher's GenericMap), taken and shown whole. */
interface ValueMapShape {
  kind: 'map';
}

interface ListShape {
  kind: 'list';
  of: Shape;
}

/** Rancher's map of objects by a key (registries by host), a list of objects carrying the key as `key` in GraphQL. */
interface KeyedShape {
  kind: 'keyed';
  key: string;
  of: ObjectShape;
}

export interface ObjectShape {
  kind: 'object';
  fields: readonly ShapeField[];
}

export interface ShapeField {
  /** Rancher's JSON name. */
  rancher: string;
  /** The GraphQL field that keeps it, when its name differs. */
  graphql?: string;
  /** Without: a scalar. */
  shape?: Shape;
  /** Rancher has it and this server does not keep it: dropped, and the caller told when it is set. */
  kept?: false;
  /** Go writes it even at its zero value (no `omitempty`): the zero it writes when GraphQL has no value. */
  zero?: boolean | number | string;
  /** A pointer in Go: shown whenever it is set, even to a zero value (`false`, `{}`); others are left out then. */
  pointer?: true;
  /** The rules of its GraphQL input field, run on the value read from the object so that an issue is named in the object's terms. */
  rules?: z.ZodType;
}

export const scalarShape: ScalarShape = { kind: 'scalar' };
export const valueMap: ValueMapShape = { kind: 'map' };
export const listOf = (of: Shape): ListShape => ({ kind: 'list', of });
export const keyedBy = (key: string, of: ObjectShape): KeyedShape => ({ kind: 'keyed', key, of });
export const objectOf = (...fields: ShapeField[]): ObjectShape => ({ kind: 'object', fields });

/** The GraphQL name of a field. */
export const graphqlName = (field: ShapeField) => field.graphql ?? field.rancher;

/**
 * A field's stored value as Rancher's JSON shows it, or undefined where Go's `omitempty`
 * leaves it out: an empty value unless the field is a pointer that is set; a field
 * without `omitempty` always, at its zero when unset.
 */
export function shownField(field: ShapeField, value: unknown): unknown {
  const shown = shownValue(field.shape ?? scalarShape, value);
  if (field.zero !== undefined) return shown ?? field.zero;
  if (shown === undefined || (!field.pointer && isEmpty(shown))) return undefined;
  return shown;
}

function shownValue(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.kind) {
    case 'scalar':
    case 'map':
      return value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => shownValue(shape.of, item) ?? null) : undefined;
    case 'keyed':
      if (!Array.isArray(value)) return undefined;
      return Object.fromEntries(
        value.filter(isJsonObject).map((entry) => {
          const { [shape.key]: key, ...rest } = entry;
          return [String(key), shownValue(shape.of, rest)];
        }),
      );
    case 'object':
      return isJsonObject(value) ? shownObject(shape, value) : undefined;
  }
}

/**
 * An object's kept fields in Rancher's order and names. One with nothing set shows as
 * `{}`, without the zeros of its non-`omitempty` fields: its parent leaves it out (Go
 * would show the zeros; clients read them as nothing set).
 */
function shownObject(shape: ObjectShape, value: JsonObject): JsonObject {
  const shown: JsonObject = {};
  let set = false;
  for (const field of shape.fields) {
    if (field.kept === false) continue;
    const fieldValue = shownField({ ...field, zero: undefined }, value[graphqlName(field)]);
    if (fieldValue !== undefined) set = true;
    const written = field.zero !== undefined ? (fieldValue ?? field.zero) : fieldValue;
    if (written !== undefined) shown[field.rancher] = written;
  }
  return set ? shown : {};
}

/**
 * A written value (at `at` in the object) as its GraphQL input: kept fields under their
 * GraphQL names, Rancher's maps as lists; null is unset, as in Go. A value of the wrong
 * kind where an object or a list belongs is Invalid here; a scalar's type is left for
 * the rules. Fields the input does not keep are left out (findFields reports them).
 */
function inputValue(shape: Shape, value: unknown, at: string): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.kind) {
    case 'scalar':
      return value;
    case 'map':
      if (!isJsonObject(value)) throw invalidValue(at, value, 'must be an object');
      return value;
    case 'list':
      if (!Array.isArray(value)) throw invalidValue(at, value, 'must be a list');
      return value.map((item, index) => inputValue(shape.of, item, `${at}[${index}]`) ?? (shape.of.kind === 'object' ? {} : item));
    case 'keyed':
      if (!isJsonObject(value)) throw invalidValue(at, value, 'must be an object');
      return Object.entries(value).map(([key, entry]) => ({ [shape.key]: key, ...((inputValue(shape.of, entry, `${at}[${key}]`) as JsonObject) ?? {}) }));
    case 'object': {
      if (!isJsonObject(value)) throw invalidValue(at, value, 'must be an object');
      const input: JsonObject = {};
      for (const field of shape.fields) {
        if (field.kept === false || !Object.hasOwn(value, field.rancher)) continue;
        const converted = inputValue(field.shape ?? scalarShape, value[field.rancher], `${at}.${field.rancher}`);
        if (converted !== undefined) input[graphqlName(field)] = converted;
      }
      return input;
    }
  }
}

/**
 * A written field as its GraphQL input, checked with the field's rules: an issue is
 * Invalid at its place in the object (`spec.rkeConfig.etcd.s3.cloudCredentialName`).
 */
export function checkedInput(field: ShapeField, value: unknown, at: string): unknown {
  const shape = field.shape ?? scalarShape;
  const input = inputValue(shape, value, at);
  if (input === undefined || !field.rules) return input;
  const checked = field.rules.safeParse(input);
  if (!checked.success) throw issueStatus(checked.error.issues[0]!, input, (path) => `${at}${rancherPath(shape, path, input)}`);
  return input;
}

/** What findFields finds, by their paths in the object. */
export interface FoundFields {
  /** Fields Rancher does not have. */
  unknown: string[];
  /** Fields Rancher has and this server does not keep, set to something. */
  unkept: string[];
}

/** The fields of a written value (at `at`) that its GraphQL input would drop, found before any value is checked. */
export function findFields(shape: Shape, value: unknown, at: string, found: FoundFields): void {
  switch (shape.kind) {
    case 'list':
      if (Array.isArray(value))
        value.forEach((item, index) => {
          findFields(shape.of, item, `${at}[${index}]`, found);
        });
      return;
    case 'keyed':
      if (isJsonObject(value)) for (const [key, entry] of Object.entries(value)) findFields(shape.of, entry, `${at}[${key}]`, found);
      return;
    case 'object':
      if (!isJsonObject(value)) return;
      for (const [name, entry] of Object.entries(value)) {
        const field = shape.fields.find((candidate) => candidate.rancher === name);
        if (!field) found.unknown.push(`${at}.${name}`);
        else if (field.kept === false) {
          if (!isZero(entry)) found.unkept.push(`${at}.${name}`);
        } else if (field.shape) findFields(field.shape, entry, `${at}.${name}`, found);
      }
      return;
    default:
      return;
  }
}

/**
 * Go's zero value, which sets nothing: empty, or an object of zero values (a struct a
 * Go client writes whole, `{"generation": 0}`), so dropping it loses nothing.
 */
function isZero(value: unknown): boolean {
  if (isEmpty(value)) return true;
  return isJsonObject(value) && Object.values(value).every(isZero);
}

/**
 * Where a place in a GraphQL value (an issue's path: `['s3', 'cloudCredentialId']`,
 * `['mirrors', 0, 'endpoints', 1]`) sits below the value in Rancher's object
 * (`.s3.cloudCredentialName`, `.mirrors[docker.io].endpoint[1]`); `input`, the GraphQL
 * value, gives the keys of Rancher's maps. Map keys go in brackets, as Kubernetes writes them.
 */
export function rancherPath(shape: Shape, path: readonly PropertyKey[], input?: unknown): string {
  const [head, ...rest] = path;
  if (head === undefined) return '';
  const segment = String(head);
  const inner = isJsonObject(input) || Array.isArray(input) ? (input as Record<string, unknown>)[segment] : undefined;
  switch (shape.kind) {
    case 'object': {
      const field = shape.fields.find((candidate) => graphqlName(candidate) === segment);
      return `.${field?.rancher ?? segment}${rancherPath(field?.shape ?? scalarShape, rest, inner)}`;
    }
    case 'list':
      return `[${segment}]${rancherPath(shape.of, rest, inner)}`;
    case 'keyed': {
      const key = isJsonObject(inner) && typeof inner[shape.key] === 'string' ? inner[shape.key] : segment;
      // The key is the map's key in Rancher's object, not a field of the entry.
      const deeper = rest[0] === shape.key ? '' : rancherPath(shape.of, rest, inner);
      return `[${String(key)}]${deeper}`;
    }
    default:
      return path.map((key) => `[${String(key)}]`).join('');
  }
}
