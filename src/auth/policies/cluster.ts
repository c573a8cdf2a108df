import type { Prisma } from '../../generated/prisma/client.js';
import type { ClusterVerb } from '../role-templates.js';
import { clustersWhere } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/**
 * Clusters: admins and the cluster's members by role template; a project member sees
 * (only sees) the cluster around their project. A key scoped to a cluster reaches that
 * cluster; one scoped to a project only reads its cluster.
 */
export const clusterPolicy: ResourcePolicy<{ id: string }, Prisma.ClusterWhereInput, ClusterVerb> = {
  type: 'cluster',
  store: (services) => services.clusters,
  where: clustersWhere,
  rowColumns: { id: true },
  allows: (access, cluster, verb) => access.onCluster(cluster.id, verb),
};
