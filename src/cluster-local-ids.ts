/**
 * Rancher's ids for what lives in a cluster's namespaces are unique only within that
 * cluster: a namespace is `apps`, a workload `deployment:apps:api`, a namespaced secret
 * `apps:token`. Ours carry the cluster in front (`c-x:apps`), so that an id names one
 * resource server-wide, as GraphQL's Node ids must. A type declares how many
 * `:`-separated parts its Rancher id has (`segments`), and this one rule turns either
 * form into the other within a known cluster — for /v3, which serves Rancher's form in a
 * cluster's or project's context, and for inputs that may give either form.
 */
export interface ClusterLocalId {
  /** How many `:`-separated parts Rancher's id has: 1 for `apps`, 3 for `deployment:apps:api`. */
  segments: number;
}

/** The server-wide id: Rancher's form gets `<clusterId>:` in front; the server-wide form is kept. */
export function globalIdIn(clusterId: string, id: string, { segments }: ClusterLocalId): string {
  return partsOf(id) === segments ? `${clusterId}:${id}` : id;
}

/** Rancher's id of a resource of `clusterId`; an id of another cluster, or of no known form, is kept. */
export function localIdIn(clusterId: string, id: string, { segments }: ClusterLocalId): string {
  return partsOf(id) === segments + 1 && id.startsWith(`${clusterId}:`) ? id.slice(clusterId.length + 1) : id;
}

/** Rancher's id of a resource, whichever its cluster: the server-wide id without its first part. */
export function localIdOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}

function partsOf(id: string): number {
  let parts = 1;
  for (const character of id) if (character === ':') parts += 1;
  return parts;
}
