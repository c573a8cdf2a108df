import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createKey } from '../auth/helpers.js';
import { graphqlAs, type TestApp } from '../helpers/app.js';
import { graphqlWsClient, upgradeStatus } from '../helpers/graphql-ws.js';
import { instanceActions, startInstances } from '../helpers/instances.js';
import { subscribeSse } from '../helpers/sse.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

const changesOf = (types: string) =>
  `subscription($since: String) { resourceChanges(types: ${types}, since: $since) { revision verb type id node { id ... on Cluster { name } } } }`;
type Event = {
  data?: { resourceChanges: { revision: string; verb: string; type: string; id: string; node: { id: string; name?: string } | null } };
  errors?: Array<{ extensions?: { code?: string } }>;
};

/**
 * Issue 14: GraphQL subscriptions on a scaled-out deployment. A write on instance A
 * reaches a subscriber on instance B over both transports; what a subscriber may not
 * read never reaches it; revoking its key ends the stream; resuming misses nothing.
 */
describe.skipIf(!postgresReachable)('GraphQL subscriptions across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;
  let actions: ReturnType<typeof instanceActions>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
    actions = instanceActions(a, b, 'watcher');
  });
  afterAll(() => close?.());

  const person = () => actions.person();
  const now = () => actions.now();
  const createCluster = (name: string) => actions.createCluster(name);
  const renameCluster = (id: string, description: string) => actions.describeCluster(id, description);

  it('over SSE: a cluster created on A reaches a subscriber on B, with the node', async () => {
    const stream = await subscribeSse<Event>(b.url, b.token, changesOf('["Cluster"]'), { since: await now() });
    expect(stream.status).toBe(200);
    const id = await createCluster('over-sse');
    const event = await stream.next();
    stream.close();
    expect(event?.data?.resourceChanges).toMatchObject({ verb: 'CREATE', type: 'Cluster', id, node: { id, name: 'over-sse' } });
    expect(BigInt(event!.data!.resourceChanges.revision)).toBeGreaterThan(0n);
  });

  it('over graphql-ws: an update and a removal on A reach a subscriber on B', async () => {
    const id = await createCluster('over-ws');
    const client = graphqlWsClient(b.url, { authorization: `Bearer ${b.token}` });
    const events = client.iterate<Event['data']>({
      query: `subscription($id: ID!, $since: String) { resourceChanges(id: $id, since: $since) { verb id node { id } } }`,
      variables: { id, since: await now() },
    });
    const first = events.next();
    await renameCluster(id, 'changed');
    expect((await first).value?.data?.resourceChanges).toEqual({ verb: 'UPDATE', id, node: { id } });
    await a.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id });
    expect((await events.next()).value?.data?.resourceChanges).toEqual({ verb: 'REMOVE', id, node: null });
    await events.return?.();
    await client.dispose();
  });

  it('tells a subscriber nothing of objects it may not read, and starts once it may', async () => {
    const watcher = await person();
    const stream = await subscribeSse<Event>(b.url, watcher.token, changesOf('["Cluster"]'), { since: await now() });
    const hidden = await createCluster('hidden-from-watcher');
    await renameCluster(hidden, 'still hidden');
    const shared = await createCluster('shared-with-watcher');
    await a.graphql(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
      input: { clusterId: shared, userId: watcher.id, roleTemplateId: 'cluster-member' },
    });
    await renameCluster(shared, 'now visible');
    const event = await stream.next();
    stream.close();
    expect(event?.data?.resourceChanges.id).toBe(shared);
  });

  it("ends the stream when the subscriber's key is deactivated on the other instance", async () => {
    const watcher = await person();
    const key = await createKey(a, watcher.token);
    const stream = await subscribeSse<Event>(b.url, key.token, changesOf('["Token"]'));
    expect(stream.status).toBe(200);
    await graphqlAs(a.url, watcher.token, `mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id: key.id });
    // Whatever was in flight, the stream ends with UNAUTHORIZED and then completes.
    let event = await stream.next();
    while (event?.data) event = await stream.next();
    expect(event?.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(await stream.next()).toBeUndefined();
  });

  it('resumes from a revision without missing anything, and says GONE beyond the window', async () => {
    const first = await subscribeSse<Event>(b.url, b.token, changesOf('["Cluster"]'), { since: await now() });
    const id = await createCluster('resumed');
    const seen = (await first.next())!.data!.resourceChanges.revision;
    first.close();
    await renameCluster(id, 'while away 1');
    await renameCluster(id, 'while away 2');
    const resumed = await subscribeSse<Event>(b.url, b.token, changesOf('["Cluster"]'), { since: seen });
    const missed = [await resumed.next(), await resumed.next()].map((event) => event?.data?.resourceChanges);
    resumed.close();
    expect(missed.map((change) => [change?.verb, change?.id])).toEqual([
      ['UPDATE', id],
      ['UPDATE', id],
    ]);
    expect(BigInt(missed[0]!.revision)).toBeGreaterThan(BigInt(seen));

    // Retention removed the beginning of the feed: resuming from there must re-list.
    const newest = await a.app.database.prisma.change.findFirst({ orderBy: { revision: 'desc' } });
    await a.app.database.prisma.change.deleteMany({ where: { revision: { lt: newest!.revision } } });
    const tooOld = await subscribeSse<Event>(b.url, b.token, changesOf('["Cluster"]'), { since: '1' });
    expect((await tooOld.next())?.errors?.[0]?.extensions?.code).toBe('GONE');
    tooOld.close();
    // A revision the feed never gave (from a database since reset) must list again too: no change would come after it.
    const ahead = await subscribeSse<Event>(b.url, b.token, changesOf('["Cluster"]'), { since: String(BigInt(newest!.revision) + 1_000_000n) });
    expect((await ahead.next())?.errors?.[0]?.extensions?.code).toBe('GONE');
    ahead.close();
  });

  it('refuses WebSockets from foreign origins, with a bad credential, and cookie sockets without an Origin', async () => {
    const bearer = { authorization: `Bearer ${b.token}` };
    expect(await upgradeStatus(b.url, '/graphql', { ...bearer, origin: 'https://attacker.example' })).toBe(403);
    expect(await upgradeStatus(b.url, '/graphql', { ...bearer, origin: b.url })).toBe('open');
    // Without one, graphql-ws opens and authenticates from its ConnectionInit (test/graphql/websocket-connection-params.test.ts).
    expect(await upgradeStatus(b.url, '/graphql', {})).toBe('open');
    expect(await upgradeStatus(b.url, '/graphql', { authorization: basic('token-nope:wrong') })).toBe(401);
    const cookie = { cookie: `R_SESS=${b.token}` };
    expect(await upgradeStatus(b.url, '/graphql', cookie)).toBe(403);
    expect(await upgradeStatus(b.url, '/graphql', { ...cookie, origin: b.url })).toBe('open');
  });

  it('refuses anonymous subscriptions and unknown types', async () => {
    const anonymous = await subscribeSse<Event>(b.url, undefined, changesOf('["Cluster"]'));
    expect((await anonymous.next())?.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const unknown = await subscribeSse<Event>(b.url, b.token, changesOf('["Nope"]'));
    expect((await unknown.next())?.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });
});
