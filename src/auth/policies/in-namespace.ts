import type { Services } from '../../services/index.js';
import type { ResourceStore } from '../../services/resource-store.js';
import type { Principal } from '../principal.js';
import type { ResourceVerb } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/** What the rule reads of a row kept in a namespace: the namespace's cluster and project. */
export const inNamespaceRowColumns = { id: true, namespace: { select: { clusterId: true, projectId: true } } } as const;

export type InNamespaceRow = { id: string; namespace: { clusterId: string; projectId: string | null } };

/**
 * The policy of a type whose rows live in a namespace (workloads, secrets, services,
 * ingresses): they share the namespace's rule, so its cluster and project decide.
 * `where` is the type's fragment from src/auth/visibility.ts.
 */
export function inNamespacePolicy<Where extends object>(
  type: string,
  store: (services: Services) => ResourceStore<{ id: string }, Where, object>,
  where: (principal: Principal | null, verb: ResourceVerb) => Where,
): ResourcePolicy<InNamespaceRow, Where, ResourceVerb> {
  return {
    type,
    store,
    where,
    rowColumns: inNamespaceRowColumns,
    allows: (access, row, verb) => access.onNamespace(row.namespace, verb),
  };
}
