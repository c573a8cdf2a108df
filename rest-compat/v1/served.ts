import type { NormanSchema, ResourceBinding } from '../schemas/types.js';
import { collectionSegment, getPath, objectOf, steveType, type KindMapping, type KubernetesObject, type Resource } from './mapping.js';

/** A kind with what the GraphQL schema says about it. */
export interface ServedKind {
  kind: KindMapping;
  binding: ResourceBinding;
  schema: NormanSchema;
  /** Every /v3 schema, by id: what an embedded field's type is (a replacing PUT empties it). */
  schemas: ReadonlyMap<string, NormanSchema>;
  /** The GraphQL field behind `metadata.name`, by which objects are found. */
  nameField: string;
}

/** The object with Steve's envelope: `id` (`namespace/name`), `type`, and the links this caller may follow. */
export function steveObject(served: ServedKind, resource: Resource, base: string): KubernetesObject {
  const object = objectOf(served.kind, resource);
  const name = String(getPath(object, ['metadata', 'name']));
  return { ...envelope(served, name, base, resource), ...object };
}

/**
 * What Kubernetes shows of a deleted object (a DELETED watch event): its identity and
 * the revision of the removal. The row is gone; the change feed kept its name.
 */
export function removedObject(served: ServedKind, name: string, resourceVersion: string, base: string): KubernetesObject {
  const { kind } = served;
  return {
    ...envelope(served, name, base),
    apiVersion: `${kind.group}/${kind.version}`,
    kind: kind.kind,
    metadata: { name, namespace: kind.namespace, resourceVersion },
  };
}

function envelope(served: ServedKind, name: string, base: string, resource?: Resource): KubernetesObject {
  const self = `${base}/v1/${collectionSegment(served.kind)}/${served.kind.namespace}/${encodeURIComponent(name)}`;
  const links: Record<string, string> = { self };
  if (resource && served.binding.updateMutation && resource.canUpdate !== false) links.update = self;
  if (resource && served.binding.deleteMutation && resource.canRemove !== false) links.remove = self;
  return { id: `${served.kind.namespace}/${name}`, type: steveType(served.kind), links };
}
