import { globalIdIn, localIdIn } from '../src/cluster-local-ids.js';
import type { Scope } from './parse/path.js';
import type { ResourceBinding } from './schemas/types.js';

/**
 * The cluster a /v3 request's context names — `/v3/cluster/<c>/…`, or the cluster of the
 * project in `/v3/project/<p>/…` — inside which Rancher's cluster-local ids (`apps`,
 * `deployment:apps:api`, `apps:token`) name one resource, as they do in Rancher. There,
 * ids in the path, references in the body and filter values are taken in either form;
 * ids and references are written in Rancher's. Which types and fields this touches comes
 * from the derived model (`clusterLocalId`, `localReferences`), never from a type's name.
 */
export class ClusterContext {
  constructor(readonly clusterId: string) {}

  /** An id of `binding`'s type as a path gives it (either form) → the server-wide id. */
  idIn(binding: ResourceBinding, id: string): string {
    return binding.clusterLocalId ? globalIdIn(this.clusterId, id, binding.clusterLocalId) : id;
  }

  /** References in a body (`namespaceId: "apps"`, and those in lists and nested objects) → server-wide ids, in place. */
  bodyIn(binding: ResourceBinding, body: Record<string, unknown>): void {
    for (const [path, rule] of Object.entries(binding.localReferences)) {
      mapReferences(body, path.split('.'), (value) => (value === '' ? value : globalIdIn(this.clusterId, value, rule)));
    }
  }

  /** Filter values on the id and on references (`namespaceId=apps`) → server-wide ids, in place. */
  filterIn(binding: ResourceBinding, filter: Record<string, Record<string, unknown>>): void {
    const rules = { ...binding.localReferences, ...(binding.clusterLocalId ? { id: binding.clusterLocalId } : {}) };
    for (const [field, rule] of Object.entries(rules)) {
      const conditions = filter[field];
      if (!conditions) continue;
      const global = (value: unknown) => (typeof value === 'string' ? globalIdIn(this.clusterId, value, rule) : value);
      for (const modifier of exactModifiers) {
        const value = conditions[modifier];
        if (value !== undefined) conditions[modifier] = Array.isArray(value) ? value.map(global) : global(value);
      }
    }
  }

  /** A server-wide id of `binding`'s type → Rancher's form. */
  idOut(binding: ResourceBinding, id: string): string {
    return binding.clusterLocalId ? localIdIn(this.clusterId, id, binding.clusterLocalId) : id;
  }

  /** A written resource's id and references → Rancher's form, in place (links are built before, from server-wide ids). */
  out(binding: ResourceBinding, written: Record<string, unknown>): void {
    if (typeof written.id === 'string') written.id = this.idOut(binding, written.id);
    for (const [path, rule] of Object.entries(binding.localReferences)) {
      mapReferences(written, path.split('.'), (value) => localIdIn(this.clusterId, value, rule));
    }
  }
}

/**
 * Applies `map` to the ids at `path` in `value`, in place: through nested objects and
 * lists at every step (`rules.paths.serviceId` reaches each path of each rule), and to
 * each id of a list of ids at the end.
 */
function mapReferences(value: unknown, path: readonly string[], map: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapReferences(item, path, map));
  if (path.length === 0) return typeof value === 'string' ? map(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const [field, ...rest] = path as [string, ...string[]];
  const object = value as Record<string, unknown>;
  if (field in object) object[field] = mapReferences(object[field], rest, map);
  return value;
}

/** The modifiers whose values are whole ids (a prefix or pattern is left as given). */
const exactModifiers = ['eq', 'ne', 'in', 'notin'] as const;

/**
 * The cluster context of a request on `binding`'s collection under `scope`, when its ids
 * or references are cluster-local: the scope itself when it is that parent (the cluster),
 * else the parent's `<within>Id` (a project's `clusterId`), read by `readParent`.
 */
export async function clusterContextOf(
  binding: ResourceBinding,
  scope: Scope | undefined,
  readParent: () => Promise<Record<string, unknown>>,
): Promise<ClusterContext | undefined> {
  const within = binding.clusterLocalId?.within ?? Object.values(binding.localReferences)[0]?.within;
  if (!scope || !within) return undefined;
  if (scope.schemaId === within) return new ClusterContext(scope.id);
  const clusterId = (await readParent())[`${within}Id`];
  return typeof clusterId === 'string' ? new ClusterContext(clusterId) : undefined;
}
