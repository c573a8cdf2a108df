// The peer: what a user would write instead of this server for the clusters list —
// graphql-yoga, a graphql-js schema from SDL, Prisma `findMany` with `_count`, no
// authentication, on the same database and data (see cluster-fixture.ts).
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { announce } from './announce.js';
import { openFixtureDatabase } from './fixture-database.js';

const { database } = await openFixtureDatabase();

const typeDefs = /* GraphQL */ `
  scalar JSON
  type Query {
    clusters(first: Int = 100): ClusterConnection!
  }
  type ClusterConnection {
    edges: [ClusterEdge!]!
  }
  type ClusterEdge {
    node: Cluster!
  }
  # GraphQL's usual UPPER_CASE names for the database's lower-case values, as ours.
  enum ClusterState {
    PROVISIONING
    ACTIVE
    UPDATING
    ERROR
    REMOVING
  }
  type Cluster {
    id: ID!
    name: String!
    state: ClusterState!
    created: String!
    labels: JSON!
    projects: ProjectCount!
  }
  type ProjectCount {
    totalCount: Int!
  }
`;

type ClusterRow = Awaited<ReturnType<typeof listClusters>>[number];

function listClusters(first: number) {
  return database.prisma.cluster.findMany({ take: first, orderBy: { id: 'asc' }, include: { _count: { select: { projects: true } } } });
}

const yoga = createYoga({
  schema: createSchema({
    typeDefs,
    resolvers: {
      ClusterState: { PROVISIONING: 'provisioning', ACTIVE: 'active', UPDATING: 'updating', ERROR: 'error', REMOVING: 'removing' },
      Query: { clusters: async (_root: unknown, { first }: { first: number }) => ({ edges: (await listClusters(first)).map((node) => ({ node })) }) },
      Cluster: {
        created: (cluster: ClusterRow) => cluster.createdAt.toISOString(),
        projects: (cluster: ClusterRow) => ({ totalCount: cluster._count.projects }),
      },
    },
  }),
  logging: false,
});

const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => announce(server));
process.on('SIGTERM', () => void database.close().then(() => process.exit(0)));
