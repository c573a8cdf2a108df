import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * Totals of large lists (src/services/count-cache.ts): counted once, then kept until a
 * write is announced on the change feed; small totals are counted every time.
 */
describe.each(databaseTargets)('totals of large lists on $name', (target) => {
  let server: TestApp;
  const large = 10_000;
  const countStatements = () => server.requestStatements().filter((statement) => /\bCOUNT\(/i.test(statement));
  const total = async () => {
    const result = await server.graphql(`{ clusters(first: 1) { totalCount } }`);
    expect(result.errors).toBeUndefined();
    return result.data!.clusters.totalCount as number;
  };

  beforeAll(async () => {
    server = await startTestApp(target);
    // Fixture rows, not writes to announce: change capture is off for this transaction (so the
    // embedded database, which shares this thread, is not busy announcing 10,000 writes).
    await server.app.database.prisma.$transaction(
      async (transaction) => {
        await transaction.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
        await transaction.$executeRawUnsafe(
          `INSERT INTO "Cluster" ("id", "name", "updatedAt") SELECT 'c-bulk' || n, 'bulk-' || n, now() FROM generate_series(1, ${large - 1}) AS n`,
        );
      },
      { timeout: 120_000 },
    );
  });
  afterAll(() => server?.close());

  it('counts a small list afresh on every request', async () => {
    server.queries.length = 0;
    const first = await server.graphql(`{ projects(first: 1) { totalCount } }`);
    const second = await server.graphql(`{ projects(first: 1) { totalCount } }`);
    expect(second.data!.projects.totalCount).toBe(first.data!.projects.totalCount);
    expect(countStatements()).toHaveLength(2);
  });

  it('counts a large list once, then answers the same total without counting', async () => {
    // The create's announcements may reach this instance in more than one batch (on
    // PostgreSQL each NOTIFY is its own message), and each forgets the kept count: wait
    // until the feed has delivered every change stored so far.
    let heard = 0n;
    const stopHearing = server.app.changes.subscribe((changes) => {
      for (const change of changes) if (change.revision > heard) heard = change.revision;
    });
    await server.graphql(`mutation { createCluster(input: { name: "the-last-one" }) { id } }`);
    const stored = await server.app.database.prisma.change.findFirst({ orderBy: { revision: 'desc' }, select: { revision: true } });
    await expect.poll(() => heard >= stored!.revision, { timeout: 5_000 }).toBe(true);
    stopHearing();
    expect(await total()).toBe(large);
    server.queries.length = 0;
    expect(await total()).toBe(large);
    expect((await v3(server, 'GET', '/v3/clusters?limit=1')).body.pagination.total).toBe(large);
    expect(countStatements()).toHaveLength(0);
  });

  it('counts again after any write, on every face', async () => {
    expect(await total()).toBe(large);
    const created = await v3(server, 'POST', '/v3/clusters', { name: 'one-more' });
    expect(created.status).toBe(201);
    await expect.poll(total, { timeout: 5_000 }).toBe(large + 1);
    await server.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id: created.body.id });
    await expect.poll(async () => (await v3(server, 'GET', '/v3/clusters?limit=1')).body.pagination.total, { timeout: 5_000 }).toBe(large);
  });

  it('keeps each caller’s total apart (the key is the scoped where, not the list)', async () => {
    const user = await server.graphql(`mutation { createUser(input: { username: "counter", password: "a-long-password-1" }) { id } }`);
    expect(user.errors).toBeUndefined();
    const login = await fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'counter', password: 'a-long-password-1' }),
    });
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ clusters(first: 1) { totalCount } }' }),
    });
    expect(((await response.json()) as { data: { clusters: { totalCount: number } } }).data.clusters.totalCount).toBe(0);
    expect(await total()).toBe(large);
  });
});
