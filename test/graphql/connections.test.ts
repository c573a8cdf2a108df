import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

/**
 * One connection type per node type (issue 15): the top-level list and every nested
 * list of a type answer the same `<Type>Connection`, with `nodes` beside `edges`, and a
 * nested list pages by the same keyset cursors as a top-level one.
 */
describe.each(databaseTargets)('shared connections on $name', (target) => {
  let server: TestApp;
  let clusterId: string;
  const projectNames = ['a', 'b', 'c', 'd', 'e'];
  beforeAll(async () => {
    server = await startTestApp(target);
    const created = await server.graphql(`mutation { createCluster(input: { name: "shared" }) { id } }`);
    clusterId = created.data!.createCluster.id;
    for (const name of projectNames) {
      const project = await server.graphql(
        `mutation($clusterId: ID!, $name: String!) { createProject(input: { clusterId: $clusterId, name: $name }) { id } }`,
        { clusterId, name },
      );
      expect(project.errors).toBeUndefined();
    }
  });
  afterAll(() => server?.close());

  it('types the top-level list and the nested list of projects alike, and nodes repeats edges { node }', async () => {
    const result = await server.graphql(
      `query($id: ID!) { projects(first: 3) { __typename nodes { id } edges { __typename node { id } } } cluster(id: $id) { projects(first: 3) { __typename nodes { id } edges { __typename node { id } } } } }`,
      { id: clusterId },
    );
    expect(result.errors).toBeUndefined();
    const top = result.data!.projects;
    const nested = result.data!.cluster.projects;
    expect([top.__typename, nested.__typename]).toEqual(['ProjectConnection', 'ProjectConnection']);
    expect([top.edges[0].__typename, nested.edges[0].__typename]).toEqual(['ProjectEdge', 'ProjectEdge']);
    for (const connection of [top, nested]) {
      expect(connection.nodes).toEqual(connection.edges.map((edge: { node: unknown }) => edge.node));
      expect(connection.nodes).toHaveLength(3);
    }
  });

  it('pages a nested list forward and back by cursor, with its count', async () => {
    const page = (args: string) =>
      server.graphql(
        `query($id: ID!) { cluster(id: $id) { projects(${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name } } } }`,
        {
          id: clusterId,
        },
      );
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result = await page(after ? `first: 2, after: "${after}"` : 'first: 2');
      expect(result.errors).toBeUndefined();
      const connection = result.data!.cluster.projects;
      expect(connection.totalCount).toBe(5);
      names.push(...connection.nodes.map((node: { name: string }) => node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    // Ids are random, so the order is the ids', not the names': every project once.
    expect([...names].sort()).toEqual(projectNames);
    const last = await page('last: 2');
    expect(last.data!.cluster.projects.nodes.map((node: { name: string }) => node.name)).toEqual(names.slice(3));
    expect(last.data!.cluster.projects.pageInfo.hasPreviousPage).toBe(true);
    const before = await page(`last: 2, before: "${last.data!.cluster.projects.pageInfo.startCursor}"`);
    expect(before.data!.cluster.projects.nodes.map((node: { name: string }) => node.name)).toEqual(names.slice(1, 3));
  });

  it('counts a nested list without reading its rows', async () => {
    server.queries.length = 0;
    const result = await server.graphql(`query($id: ID!) { cluster(id: $id) { projects { totalCount } } }`, { id: clusterId });
    expect(result.data!.cluster.projects.totalCount).toBe(5);
    const statements = server.requestStatements();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('_aggr_count_projects');
    expect(statements[0]).not.toMatch(/"Project"\."name"/);
  });
});
