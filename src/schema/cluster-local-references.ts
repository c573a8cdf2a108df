/**
 * Field extensions for references to resources whose Rancher ids are unique only within
 * a cluster, where the field's name cannot say so (`targetWorkloadIds`, a list; fields of
 * nested objects, such as an ingress path's `serviceId`). rest-compat reads them to
 * write these references in Rancher's form in a cluster's or project's context, as it
 * does for `namespaceId`; `norman` gives /v3 Rancher's field type when it is not the
 * one the name implies.
 */
function clusterLocalReference(segments: number, normanType?: string) {
  return { clusterLocalId: { segments, within: 'cluster' }, ...(normanType ? { norman: { type: normanType } } : {}) };
}

/** A workload's Rancher id has three parts (`deployment:apps:api`). */
export const workloadReferences = clusterLocalReference(3, 'array[reference[workload]]');
/** A service's (`apps:web`) and a certificate's (`apps:www`, or `p-x:www` for a project's) have two. */
export const twoPartReference = clusterLocalReference(2);
