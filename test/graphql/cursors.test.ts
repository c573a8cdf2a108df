import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };

/**
 * A cursor is a position in one list and one order: any other list or order refuses it
 * as it refuses `after: "garbage"`, and an empty page has no cursors to hand out.
 */
describe.each(databaseTargets)('list cursors on $name', (target) => {
  let server: TestApp;
  let clusterId: string;
  const names = ['fe-c-01', 'fe-c-02', 'fe-c-03'];
  beforeAll(async () => {
    server = await startTestApp(target);
    for (const name of names) {
      const created = await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name });
      clusterId = created.data!.createCluster.id as string;
    }
    await server.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "one" }) { id } }`, { clusterId });
  });
  afterAll(() => server?.close());

  const clusters = (args: string, variables: Record<string, unknown> = {}) =>
    server.graphql<{ clusters: { pageInfo: PageInfo; nodes: Array<{ name: string }> } }>(
      // A declared variable must be used: declare $c only where the arguments take it.
      `query${args.includes('$c') ? '($c: String)' : ''} { clusters(${args}) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name } } }`,
      variables,
    );
  const endCursorByName = async () => (await clusters(`first: 2, sort: { field: NAME }`)).data!.clusters.pageInfo.endCursor!;
  const refusedAsNotOurs = (answer: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) => {
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT' });
    expect(answer.errors?.[0]?.message).toMatch(/not a cursor of this list/);
  };

  it('goes on from where it was taken, in the same list and order', async () => {
    const next = await clusters(`first: 2, after: $c, sort: { field: NAME }`, { c: await endCursorByName() });
    expect(next.errors).toBeUndefined();
    expect(next.data!.clusters.nodes.map((cluster) => cluster.name)).toEqual(['fe-c-03']);
  });

  it('is refused in another sort, in the other direction, or unsorted — never an internal error or an arbitrary page', async () => {
    const cursor = await endCursorByName();
    refusedAsNotOurs(await clusters(`first: 2, after: $c, sort: { field: CREATED }`, { c: cursor }));
    refusedAsNotOurs(await clusters(`first: 2, after: $c, sort: { field: NAME, order: DESC }`, { c: cursor }));
    refusedAsNotOurs(await clusters(`first: 2, after: $c`, { c: cursor }));
    refusedAsNotOurs(await clusters(`last: 2, before: $c`, { c: cursor }));
  });

  it('is refused by a list of another type, top-level or nested', async () => {
    const unsorted = (await clusters(`first: 1`)).data!.clusters.pageInfo.endCursor!;
    const projects = await server.graphql(`query($c: String) { projects(after: $c) { nodes { id } } }`, { c: unsorted });
    refusedAsNotOurs(projects);
    const nested = await server.graphql(`query($id: ID!, $c: String) { cluster(id: $id) { projects(after: $c) { nodes { id } } } }`, {
      id: clusterId,
      c: unsorted,
    });
    refusedAsNotOurs(nested);
  });

  it('is never the empty string: `after: ""` is refused instead of starting over', async () => {
    refusedAsNotOurs(await clusters(`first: 2, after: $c`, { c: '' }));
    refusedAsNotOurs(await clusters(`last: 2, before: $c`, { c: '' }));
  });

  it('answers an empty page with null cursors, whatever emptied it', async () => {
    for (const args of [`filter: { name: { eq: "zzz" } }`, `first: 0`, `last: 0`]) {
      const page = await clusters(args);
      expect(page.errors, args).toBeUndefined();
      expect(page.data!.clusters.pageInfo, args).toMatchObject({ startCursor: null, endCursor: null });
    }
    const pastTheEnd = await clusters(`first: 2, after: $c, sort: { field: NAME }`, {
      c: (await clusters(`last: 1, sort: { field: NAME }`)).data!.clusters.pageInfo.endCursor,
    });
    expect(pastTheEnd.data!.clusters).toEqual({ pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null }, nodes: [] });
  });

  it('lets a load-everything loop end: it follows endCursor while hasNextPage, and stops on the last page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await clusters(`first: 2, after: $c, sort: { field: NAME }, filter: { name: { prefix: "fe-c-" } }`, { c: after });
      seen.push(...page.data!.clusters.nodes.map((cluster) => cluster.name));
      if (!page.data!.clusters.pageInfo.hasNextPage) break;
      after = page.data!.clusters.pageInfo.endCursor;
      expect(after).not.toBeNull();
    }
    expect(seen).toEqual(names);
  });
});
