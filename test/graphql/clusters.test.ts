import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectHidden } from '../auth/helpers.js';
import { databaseTargets } from '../helpers/targets.js';

describe.each(databaseTargets)('clusters through GraphQL on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  const create = (input: Record<string, unknown>) =>
    server.graphql(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id name description labels annotations state transitioning created } }`,
      { input },
    );

  it('creates a cluster with a Rancher id and reads it back by that id', async () => {
    const created = await create({ name: 'alpha', description: 'first', labels: { env: 'prod' }, annotations: { note: 'x y' } });
    expect(created.errors).toBeUndefined();
    const cluster = created.data!.createCluster;
    expect(cluster.id).toMatch(/^c-[a-z0-9]{5}$/);
    expect(cluster).toMatchObject({ name: 'alpha', description: 'first', labels: { env: 'prod' }, state: 'PROVISIONING', transitioning: 'YES' });
    expect(Date.parse(cluster.created)).not.toBeNaN();

    const read = await server.graphql(`query($id: ID!) { cluster(id: $id) { id name } node(id: $id) { id ... on Cluster { name } } }`, { id: cluster.id });
    expect(read.data).toEqual({ cluster: { id: cluster.id, name: 'alpha' }, node: { id: cluster.id, name: 'alpha' } });
  });

  it('refuses a duplicate name with CONFLICT naming the field', async () => {
    await create({ name: 'dupe' });
    const again = await create({ name: 'dupe' });
    expect(again.data).toBeNull();
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fieldName: 'name' });
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'Upper Case' }, 'name'],
    [{ name: 'x'.repeat(64) }, 'name'],
    [{ name: 'ok-name', labels: { 'bad key!': 'v' } }, 'labels'],
    [{ name: 'ok-name', description: 'd'.repeat(5000) }, 'description'],
  ])('refuses invalid input %j with INVALID_INPUT on %s', async (input, fieldName) => {
    const result = await create(input);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName });
  });

  it('answers a variable GraphQL cannot coerce with BAD_USER_INPUT (a request error), never an internal error', async () => {
    const result = await create({ description: 'no name' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/name/);
  });

  it('refuses labels that are not a string map', async () => {
    const result = await create({ name: 'typed', labels: { count: 3 } });
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });

  it('keeps the rest of an answer when a lookup finds nothing: null for the lookup, for node and for each unknown id of nodes', async () => {
    const { data: created } = await server.graphql(`mutation { createCluster(input: { name: "partial-data" }) { id } }`);
    const id = created!.createCluster.id as string;
    const result = await server.graphql(
      `query($id: ID!, $ids: [ID!]!) { me { username } missing: cluster(id: "c-zzzzz") { id } found: cluster(id: $id) { id } node(id: "c-zzzzz") { id } nodes(ids: $ids) { id } }`,
      { id, ids: [id, 'c-zzzzz', 'u-zzzzz'] },
    );
    expect(result).toEqual({ data: { me: { username: 'admin' }, missing: null, found: { id }, node: null, nodes: [{ id }, null, null] } });
  });

  it('answers null in the place of a malformed id in nodes, and refuses it in node on that field alone', async () => {
    const { data: created } = await server.graphql(`mutation { createCluster(input: { name: "malformed-ids" }) { id } }`);
    const id = created!.createCluster.id as string;
    const result = await server.graphql(
      `query($id: ID!, $ids: [ID!]!) { me { username } found: cluster(id: $id) { id } node(id: "not an id!") { id } nodes(ids: $ids) { id } }`,
      { id, ids: ['%%%', id, 'c-zzzzz', 'NOT:AN:ID'] },
    );
    expect(result.data).toEqual({ me: { username: 'admin' }, found: { id }, node: null, nodes: [null, { id }, null, null] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['node'], extensions: { code: 'INVALID_INPUT', fieldName: 'id' } });
  });

  it('answers null for an unknown id in queries, NOT_FOUND in mutations', async () => {
    for (const operation of [
      `{ cluster(id: "c-nope0") { id } }`,
      `mutation { updateCluster(id: "c-nope0", input: { description: "x" }) { id } }`,
      `mutation { deleteCluster(id: "c-nope0") { id } }`,
    ]) {
      expectHidden(await server.graphql(operation), operation);
    }
  });

  it('updates only the fields given', async () => {
    const { data } = await create({ name: 'to-update', description: 'before', labels: { a: '1' } });
    const id = data!.createCluster.id;
    const updated = await server.graphql(`mutation($id: ID!) { updateCluster(id: $id, input: { description: "after" }) { name description labels } }`, { id });
    expect(updated.data!.updateCluster).toEqual({ name: 'to-update', description: 'after', labels: { a: '1' } });
  });

  it('deletes a cluster together with its projects', async () => {
    const { data } = await create({ name: 'doomed' });
    const clusterId = data!.createCluster.id;
    const project = await server.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "Default" }) { id } }`, {
      clusterId,
    });
    const projectId = project.data!.createProject.id;
    const deleted = await server.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id name } }`, { id: clusterId });
    expect(deleted.data!.deleteCluster).toEqual({ id: clusterId, name: 'doomed' });
    const gone = await server.graphql(`query($id: ID!) { project(id: $id) { id } }`, { id: projectId });
    expect(gone).toEqual({ data: { project: null } });
  });
});

describe.each(databaseTargets)('cluster lists on $name', (target) => {
  let server: TestApp;
  const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
  /** Restricts a filter to the seeded clusters, whatever other tests add. */
  let seeded = '';
  beforeAll(async () => {
    server = await startTestApp(target);
    const ids: string[] = [];
    for (const name of names) {
      const created = await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name, description: $name }) { id } }`, { name });
      ids.push(created.data!.createCluster.id);
    }
    seeded = `id: { in: ${JSON.stringify(ids)} }`;
  });
  afterAll(() => server?.close());

  const list = async (args: string) => {
    const result = await server.graphql(`{ clusters(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } }`);
    expect(result.errors).toBeUndefined();
    return result.data!.clusters as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: Array<{ node: { name: string } }>;
    };
  };
  const namesOf = (connection: { edges: Array<{ node: { name: string } }> }) => connection.edges.map((edge) => edge.node.name);

  it('sorts by a field in either direction', async () => {
    expect(namesOf(await list(`filter: { ${seeded} }, sort: { field: NAME }`))).toEqual([...names].sort());
    expect(namesOf(await list(`filter: { ${seeded} }, sort: { field: NAME, order: DESC }`))).toEqual([...names].sort().reverse());
  });

  it('pages with cursors without repeating or skipping items, while rows are inserted', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await list(`first: 2, filter: { name: { ne: "aaa-late" } }, sort: { field: NAME }${after ? `, after: "${after}"` : ''}`);
      seen.push(...namesOf(page));
      if (seen.length === 2) {
        // An item that sorts before the cursor must not shift the next page.
        await server.graphql(`mutation { createCluster(input: { name: "aaa-late" }) { id } }`);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...names].sort());
  });

  it('filters with every Norman modifier, counting only matches', async () => {
    const cases: Array<[string, string[]]> = [
      ['name: { eq: "alpha" }', ['alpha']],
      ['name: { ne: "alpha" }', names.filter((name) => name !== 'alpha')],
      ['name: { in: ["alpha", "echo"] }', ['alpha', 'echo']],
      ['name: { notin: ["alpha", "echo"] }', ['bravo', 'charlie', 'delta']],
      ['name: { gt: "charlie" }', ['delta', 'echo']],
      ['name: { gte: "charlie" }', ['charlie', 'delta', 'echo']],
      ['name: { lt: "bravo" }', ['alpha']],
      ['name: { lte: "bravo" }', ['alpha', 'bravo']],
      ['name: { prefix: "ch" }', ['charlie']],
      ['name: { like: "%h%" }', ['alpha', 'charlie', 'echo']],
      ['name: { like: "%o" }', ['bravo', 'echo']],
      ['name: { notlike: "%a%" }', ['echo']],
      ['description: { null: true }', []],
      ['description: { notnull: true }', names],
      ['state: { eq: PROVISIONING }', names],
      ['state: { in: [ACTIVE, ERROR] }', []],
    ];
    for (const [filter, expected] of cases) {
      const page = await list(`filter: { ${filter}, ${seeded} }, sort: { field: NAME }`);
      expect(namesOf(page), filter).toEqual([...expected].sort());
      expect(page.totalCount, filter).toBe(expected.length);
    }
  });

  it('filters by creation time', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list(`filter: { created: { gt: "${future}" } }`)).totalCount).toBe(0);
    expect((await list(`filter: { created: { lt: "${future}" }, ${seeded} }`)).totalCount).toBe(names.length);
  });

  it('pages backwards with last and before', async () => {
    const all = await list(`filter: { ${seeded} }, sort: { field: NAME }`);
    const tail = await server.graphql(
      `{ clusters(last: 2, filter: { ${seeded} }, sort: { field: NAME }) { pageInfo { startCursor hasPreviousPage } edges { node { name } } } }`,
    );
    expect(tail.data!.clusters.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['delta', 'echo']);
    expect(tail.data!.clusters.pageInfo.hasPreviousPage).toBe(true);
    const before = await server.graphql(
      `query($before: String) { clusters(last: 2, before: $before, filter: { ${seeded} }, sort: { field: NAME }) { edges { node { name } } } }`,
      { before: tail.data!.clusters.pageInfo.startCursor },
    );
    expect(before.data!.clusters.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['bravo', 'charlie']);
    expect(all.totalCount).toBe(5);
  });

  it('refuses a cursor that is not one of ours with INVALID_INPUT', async () => {
    const result = await server.graphql(`{ clusters(after: "garbage") { totalCount } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });

  it('refuses the single-character LIKE wildcard with a clear error', async () => {
    const result = await server.graphql(`{ clusters(filter: { name: { like: "a_pha" } }) { totalCount } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
