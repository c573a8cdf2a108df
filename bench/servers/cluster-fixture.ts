// The data of the clusters-list comparison, identical for every server that answers
// it: 100 clusters of 3 projects each, with fixed ids, names, labels and dates, so
// the three servers' answers can be compared byte for byte.
import type { PrismaClient } from '../../src/db/database.js';

export const clusterCount = 100;
export const projectsPerCluster = 3;

/** The query all three servers answer (ours and the peer through GraphQL, the limit by hand). */
export const clustersListQuery = '{ clusters(first: 100) { edges { node { id name state created labels projects { totalCount } } } } }';

/** Seeds the fixture unless a server sharing the database already did. */
export async function seedClusters(prisma: PrismaClient): Promise<void> {
  if ((await prisma.cluster.count()) >= clusterCount) return;
  const clusterId = (index: number) => `c-b${String(index).padStart(4, '0')}`;
  const base = Date.UTC(2026, 0, 1);
  await prisma.cluster.createMany({
    data: Array.from({ length: clusterCount }, (_, index) => ({
      id: clusterId(index),
      name: `bench-${index}`,
      labels: { team: `team-${index % 7}`, tier: index % 2 ? 'prod' : 'dev' },
      createdAt: new Date(base + index * 60_000),
    })),
  });
  await prisma.project.createMany({
    data: Array.from({ length: clusterCount * projectsPerCluster }, (_, index) => {
      const cluster = clusterId(Math.floor(index / projectsPerCluster));
      return { id: `${cluster}:p-${index % projectsPerCluster}`, clusterId: cluster, name: `project-${index % projectsPerCluster}` };
    }),
  });
}
