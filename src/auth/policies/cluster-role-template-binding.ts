import type { Prisma } from '../../generated/prisma/client.js';
import { clustersWhere } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/**
 * Cluster role template bindings: whoever sees the cluster sees its bindings; those
 * who manage its members (admins, cluster owners) relabel and remove them.
 */
export const clusterRoleTemplateBindingPolicy: ResourcePolicy<
  { id: string; clusterId: string },
  Prisma.ClusterRoleTemplateBindingWhereInput,
  'update' | 'delete'
> = {
  type: 'clusterRoleTemplateBinding',
  store: (services) => services.clusterRoleBindings,
  where: (principal, verb) => ({ cluster: clustersWhere(principal, verb === 'read' ? 'read' : 'manageMembers') }),
  rowColumns: { id: true, clusterId: true },
  allows: (access, binding) => access.onCluster(binding.clusterId, 'manageMembers'),
};
