import type { Prisma } from '../../generated/prisma/client.js';
import type { ClusterVerb } from '../role-templates.js';
import { clustersWhere } from '../visibility.js';
import { unscopedKeysOnly, type ResourcePolicy } from './policy.js';

/**
 * Clusters: admins and the cluster's members by role template; a project member sees
 * (only sees) the cluster around their project. A key scoped to a cluster reaches that
 * cluster; one scoped to a project only reads its cluster. Neither creates a cluster:
 * a new cluster is outside every scope.
 */
export const clusterPolicy: ResourcePolicy<{ id: string }, Prisma.ClusterWhereInput, ClusterVerb> = {
  type: 'cluster',
  store: (services) => services.clusters,
  where: clustersWhere,
  rowColumns: { id: true },
  allows: (access, cluster, verb) => access.onCluster(cluster.id, verb),
  gate: (principal, verb) => (verb === 'create' ? unscopedKeysOnly(principal) : undefined),
};
