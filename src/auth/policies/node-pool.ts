import type { Prisma } from '../../generated/prisma/client.js';
import { nodePoolsWhere } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/** Node pools are part of their cluster: reading the cluster reads them, changing it (owners, admins) changes them. */
export const nodePoolPolicy: ResourcePolicy<{ id: string; clusterId: string }, Prisma.NodePoolWhereInput, 'update'> = {
  type: 'nodePool',
  store: (services) => services.nodePools,
  where: nodePoolsWhere,
  rowColumns: { id: true, clusterId: true },
  allows: (access, pool, verb) => access.onCluster(pool.clusterId, verb),
};
