import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
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
      return server.queries.length;
    };
    const one = await statementsFor(1);
    const twelve = await statementsFor(12);
    expect(twelve).toBe(one);
    expect(twelve).toBeLessThanOrEqual(4);
  });
});
