import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace, nginx } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';

/**
 * Nested lists load in a fixed number of SQL statements however many parents
 * there are (the Pothos Prisma plugin folds selections into Prisma includes).
 */
describe.each(databaseTargets)('no N+1 on nested lists on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
    for (let cluster = 0; cluster < 12; cluster += 1) {
      const created = await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name: `nested-${cluster}` });
      for (let project = 0; project < 3; project += 1) {
        await server.graphql(`mutation($clusterId: ID!, $name: String!) { createProject(input: { clusterId: $clusterId, name: $name }) { id } }`, {
          clusterId: created.data!.createCluster.id,
          name: `p${project}`,
        });
      }
    }
  });
  afterAll(() => server?.close());

  it('clusters → projects → cluster costs the same statements for 12 clusters as for 1', async () => {
    const query = (first: number) =>
      `{ clusters(first: ${first}) { totalCount edges { node { name projects { totalCount edges { node { name cluster { name } } } } } } } }`;
    const statementsFor = async (first: number) => {
      server.queries.length = 0;
      const result = await server.graphql(query(first));
      expect(result.errors).toBeUndefined();
      expect(result.data!.clusters.edges).toHaveLength(first);
      return server.requestStatements().length;
    };
    const one = await statementsFor(1);
    const twelve = await statementsFor(12);
    expect(twelve).toBe(one);
    expect(twelve).toBeLessThanOrEqual(4);
  });

  it('reads only the columns a list selects, with project counts in the same statement', async () => {
    server.queries.length = 0;
    const result = await server.graphql(`{ clusters(first: 12) { edges { node { id name state created labels projects { totalCount } } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.clusters.edges.map((edge: { node: { projects: { totalCount: number } } }) => edge.node.projects.totalCount)).toEqual(Array(12).fill(3));
    const statements = server.requestStatements();
    expect(statements).toHaveLength(1);
    const columns = [...statements[0]!.split(' FROM ')[0]!.matchAll(/"Cluster"\."(\w+)"/g)].map((match) => match[1]).sort();
    expect(columns).toEqual(['createdAt', 'id', 'labels', 'name', 'state']);
    expect(statements[0]).toContain('_aggr_count_projects');
  });
});

describe.each(databaseTargets)('no N+1 on project resources on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
    for (let index = 0; index < 8; index += 1) {
      const place = await createPlace(server);
      for (const name of ['web', 'api']) {
        await server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
          input: { projectId: place.projectId, namespaceId: place.namespaceId, kind: 'Deployment', name, containers: [nginx] },
        });
      }
    }
  });
  afterAll(() => server?.close());

  it('projects → workloads → namespace, with per-row permissions, costs the same for 8 projects as for 1', async () => {
    const query = (first: number) =>
      `{ projects(first: ${first}) { edges { node { name workloads { totalCount edges { node { id canUpdate availableActions namespace { name canRemove } } } } } } } }`;
    const statementsFor = async (first: number) => {
      server.queries.length = 0;
      const result = await server.graphql(query(first));
      expect(result.errors).toBeUndefined();
      expect(result.data!.projects.edges).toHaveLength(first);
      expect(result.data!.projects.edges[0].node.workloads.totalCount).toBe(2);
      return server.requestStatements().length;
    };
    const one = await statementsFor(1);
    const eight = await statementsFor(8);
    expect(eight).toBe(one);
  });

  it('a flat list of workloads with their namespaces and projects costs the same for 16 as for 1', async () => {
    const statementsFor = async (first: number) => {
      server.queries.length = 0;
      const result = await server.graphql(`{ workloads(first: ${first}) { totalCount edges { node { id namespace { name } project { name } canRemove } } } }`);
      expect(result.errors).toBeUndefined();
      expect(result.data!.workloads.edges).toHaveLength(first);
      return server.requestStatements().length;
    };
    expect(await statementsFor(16)).toBe(await statementsFor(1));
  });
});
