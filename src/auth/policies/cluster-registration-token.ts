import type { Prisma } from '../../generated/prisma/client.js';
import { clusterRegistrationTokensWhere } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/** Registration tokens are their cluster's credentials: those who may change the cluster read, make, relabel and delete them. */
export const clusterRegistrationTokenPolicy: ResourcePolicy<{ id: string; clusterId: string }, Prisma.ClusterRegistrationTokenWhereInput, 'update'> = {
  type: 'cluster registration token',
  store: (services) => services.clusterRegistrationTokens,
  where: clusterRegistrationTokensWhere,
  rowColumns: { id: true, clusterId: true },
  // Every verb, reading included, asks for the cluster's `update`.
  allows: (access, token) => access.onCluster(token.clusterId, 'update'),
};
