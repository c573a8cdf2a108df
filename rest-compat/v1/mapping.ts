import { emptyValueOf } from '../parse/body.js';
import type { ApiModel, NormanSchema, ResourceBinding } from '../schemas/types.js';
import type { WriteContext } from './field-validation.js';
import { statusInvalid } from './status.js';

/** A GraphQL resource as its operations return it (the binding's selection). */
export type Resource = Record<string, unknown>;
/** A Kubernetes object as JSON. */
export type KubernetesObject = Record<string, unknown>;

/**
 * One row of a kind's table: where a value sits in the Kubernetes object (`path`)
 * and which field of the GraphQL resource (and of its create/update inputs) it is.
 * Without `read`, the object shows the resource's `field`; without `write`, the
 * input takes the value at `path`. A row without `path` is never shown; one
 * without `field` is never written.
 */
export interface FieldMapping {
  path?: readonly string[];
  field?: string;
  read?: (resource: Resource) => unknown;
  /** The context carries the write's `fieldValidation` and collects its warnings. */
  write?: (object: KubernetesObject, context: WriteContext) => unknown;
  /**
   * For a value whose insides have other names in the object than in GraphQL: where
   * what follows `field` in an error's field name (`0.cloudCredentialId`) sits below
   * `path` (`[0].cloudCredentialSecretName`). Without: the same names, joined with dots.
   */
  errorPath?: (rest: readonly string[]) => string;
}

/** A Kubernetes kind served by /v1 as a view of one GraphQL resource type. */
export interface KindMapping {
  group: string;
  version: string;
  kind: string;
  /** The plural, lower case (`clusters`). */
  resource: string;
  /** Every object lives in this one namespace. */
  namespace: string;
  /** The /v3 schema id (`cluster`) whose binding says which GraphQL operations serve the kind. */
  schemaId: string;
  fields: readonly FieldMapping[];
  /**
   * Reports the fields of a written object that the rows would drop (unknown to the
   * kind, or not kept here), by the write's `fieldValidation`, before any row reads a
   * value: a decoder finds them first.
   */
  checkFields?: (object: KubernetesObject, context: WriteContext) => void;
}

/** Steve's name for the type: `provisioning.cattle.io.cluster`. */
export const steveType = (kind: KindMapping) => `${kind.group}.${kind.kind.toLowerCase()}`;
/** The collection's path segment: `provisioning.cattle.io.clusters`. */
export const collectionSegment = (kind: KindMapping) => `${kind.group}.${kind.resource}`;

/**
 * Checks a kind's table against the GraphQL schema at start-up, so a renamed or
 * removed GraphQL field fails the server's start, not a request months later.
 */
export function checkKindMapping(kind: KindMapping, model: ApiModel): { binding: ResourceBinding; schema: NormanSchema } {
  const binding = model.bindings.get(kind.schemaId);
  const schema = model.schemas.get(kind.schemaId);
  if (!binding || !schema) throw new Error(`/v1 ${collectionSegment(kind)}: no GraphQL resource type ${kind.schemaId}`);
  for (const row of kind.fields) {
    if (row.field !== undefined && !(row.field in schema.resourceFields) && row.field !== 'id') {
      throw new Error(`/v1 ${collectionSegment(kind)}: ${row.path?.join('.') ?? '(write-only row)'} names ${row.field}, which ${kind.schemaId} does not have`);
    }
  }
  return { binding, schema };
}

/** The Kubernetes object for one resource: apiVersion, kind, namespace, then every row that has a path. */
export function objectOf(kind: KindMapping, resource: Resource): KubernetesObject {
  const object: KubernetesObject = {
    apiVersion: `${kind.group}/${kind.version}`,
    kind: kind.kind,
    metadata: { namespace: kind.namespace },
    spec: {},
    status: {},
  };
  for (const row of kind.fields) {
    if (!row.path) continue;
    const value = row.read ? row.read(resource) : resource[row.field!];
    if (value !== undefined && value !== null) setPath(object, row.path, value);
  }
  return object;
}

/**
 * The GraphQL input a create or an update sends, from an object: every row whose
 * field the GraphQL input of that mode accepts (the /v3 schema's `create`/`update`
 * flags, read from the input types) and whose value the object carries. Fields the
 * inputs do not take (status, uid, …) are ignored, as Kubernetes ignores status on
 * writes; a field the create input requires and the object lacks is Invalid there.
 *
 * An update is Kubernetes' PUT, which replaces the object: a field the object shows and
 * the body leaves out goes back to its empty value (`emptyValueOf`, as a /v3
 * `?_replace=true` PUT does), so that removing a field from a manifest (Terraform's
 * `additional_manifest`, a label) removes it, rather than keeping the old value for
 * ever. Write-only fields, which no GET shows, are kept.
 */
export function inputOf(
  kind: KindMapping,
  schema: NormanSchema,
  object: KubernetesObject,
  mode: 'create' | 'update',
  context: WriteContext,
  schemas: ReadonlyMap<string, NormanSchema>,
): Record<string, unknown> {
  kind.checkFields?.(object, context);
  const input: Record<string, unknown> = {};
  for (const row of kind.fields) {
    const field = row.field ? schema.resourceFields[row.field] : undefined;
    if (!row.field || !field?.[mode]) continue;
    const value = row.write ? row.write(object, context) : row.path ? getPath(object, row.path) : undefined;
    if (value === undefined || value === null) {
      if (mode === 'create' && field.required) throw statusInvalid(row.field, `${pathOf(kind, row.field)}: Required value`);
      const empty = mode === 'update' && row.path && !field.writeOnly ? emptyValueOf(field, schemas) : undefined;
      if (empty !== undefined && !(row.field in input)) input[row.field] = empty;
      continue;
    }
    input[row.field] = value;
  }
  return input;
}

/**
 * Where a GraphQL field (as errors name it: `machinePools.0.cloudCredentialId`) sits in
 * the object (`spec.rkeConfig.machinePools[0].cloudCredentialSecretName`). A name no row
 * maps is kept as it is: errors raised while reading the object already name their
 * place in it (`spec.rkeConfig.machinePools[0].drainBeforeDeleteTimeout`).
 */
export function pathOf(kind: KindMapping, fieldName: string): string {
  const [head, ...rest] = fieldName.split('.');
  const row = kind.fields.find((candidate) => candidate.field === head && candidate.path);
  if (!row?.path) return fieldName;
  return row.errorPath ? `${row.path.join('.')}${row.errorPath(rest)}` : [...row.path, ...rest].join('.');
}

export function getPath(object: unknown, path: readonly string[]): unknown {
  let value = object;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Sets a value, creating (or copying, never mutating a shared) object on the way down. */
function setPath(object: KubernetesObject, path: readonly string[], value: unknown): void {
  let parent = object;
  for (const segment of path.slice(0, -1)) {
    const next = parent[segment];
    parent = parent[segment] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as KubernetesObject) } : {};
  }
  parent[path.at(-1)!] = value;
}
