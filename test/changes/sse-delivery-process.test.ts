import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fromTheDeliveryProcess } from '../helpers/delivery-process.js';
import { subscribeSse } from '../helpers/sse.js';
import { cohortDeliveries } from '../../src/graphql/direct-delivery.js';

/** The live-change streams as /healthz reports them (src/http/streams-status.ts). */
type StreamsReport = {
  open: number;
  maxBuffered: number;
  ended: { slow?: number };
  deliveryProcess: 'off' | { running: boolean; connections: number; handedOver: number };
  delivered: { direct: number; inBatches: number; toCohorts: number };
};
type Event = { data?: { resourceChanges: { id: string; revision: string; node: { description?: string } | null } } };
const clusterChanges =
  'subscription($since: String) { resourceChanges(types: ["Cluster"], since: $since) { id revision node { ... on Cluster { description } } } }';

/**
 * Issue 14: GraphQL-over-SSE streams are written by the delivery process
 * (src/http/delivery-process.ts) once their headers are out; the server keeps the stream,
 * its order and its bounds. STREAM_DELIVERY_PROCESS=off writes them from the server.
 */
describe.each(['on', 'off'] as const)('GraphQL over SSE with STREAM_DELIVERY_PROCESS=%s', (setting) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ name: 'pglite' }, { streamDeliveryProcess: setting });
  });
  afterAll(() => app?.close());

  const since = async () => ({ since: (await app.graphql('{ changeRevision }')).data!.changeRevision as string });
  const createCluster = async (name: string) =>
    (await app.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })).data!.createCluster.id as string;
  const describeCluster = (id: string, description: string) =>
    app.graphql(`mutation($id: ID!, $d: String!) { updateCluster(id: $id, input: { description: $d }) { id } }`, { id, d: description });

  it('delivers every change in order, whoever writes the connection', async () => {
    const id = await createCluster(`in-order-${setting}`);
    const stream = await subscribeSse<Event>(app.url, app.token, clusterChanges, await since());
    for (let step = 0; step < 30; step += 1) await describeCluster(id, `step ${step}`);
    const seen: Array<{ revision: bigint; description: string }> = [];
    for (let step = 0; step < 30; step += 1) {
      const change = (await stream.next())!.data!.resourceChanges;
      seen.push({ revision: BigInt(change.revision), description: change.node!.description! });
    }
    // What an operator sees of it meanwhile (/healthz, public: counts only).
    const { streams } = (await (await fetch(`${app.url}/healthz`)).json()) as { streams: StreamsReport };
    expect(streams.open).toBeGreaterThanOrEqual(1);
    expect(streams.deliveryProcess).toEqual(setting === 'off' ? 'off' : expect.objectContaining({ running: true, connections: expect.any(Number) }));
    if (setting === 'on') expect((streams.deliveryProcess as { connections: number }).connections).toBeGreaterThanOrEqual(1);
    expect(streams.delivered).toEqual({ direct: expect.any(Number), inBatches: expect.any(Number), toCohorts: expect.any(Number) });
    stream.close();
    // Thirty events, each change once, in commit order; a node is read as it is when its event goes out.
    expect(seen.every((event, index) => index === 0 || event.revision > seen[index - 1]!.revision)).toBe(true);
    expect(seen.at(-1)!.description).toBe('step 29');
    const delivery = app.app.deliveryProcess;
    if (setting === 'off') expect(delivery).toBeUndefined();
    else {
      expect(delivery!.stats().handedOver).toBeGreaterThan(0);
      // The client went away: the process lets go of its connection.
      await expect.poll(() => delivery!.stats().connections, fromTheDeliveryProcess).toBe(0);
    }
  });

  it('says up front whether the connection ends with the stream', async () => {
    const response = await openSse(app, clusterChanges);
    expect(response.headers.connection).toBe(setting === 'on' ? 'close' : 'keep-alive');
    response.destroy();
  });

  it('cuts a subscriber that stops reading once its buffer is full, and closes its connection', async () => {
    const ids = await Promise.all(Array.from({ length: 25 }, (_, index) => createCluster(`slow-${setting}-${index}`)));
    // Large events (64 KiB of annotations each) fill the socket's buffers after a few dozen.
    await app.app.database.prisma.$executeRawUnsafe(
      `UPDATE "Cluster" SET annotations = jsonb_build_object('bulk', repeat('x', 65536)) WHERE name LIKE 'slow-${setting}-%'`,
    );
    const response = await openSse(app, 'subscription { resourceChanges(types: ["Cluster"]) { id node { ... on Cluster { annotations } } } }');
    response.pause();
    if (setting === 'on') await expect.poll(() => app.app.deliveryProcess!.stats().connections, fromTheDeliveryProcess).toBe(1);
    const closed = new Promise<void>((resolve) => response.socket.once('close', () => resolve()));
    const slowBefore = app.app.streams.stats().ended.slow ?? 0;
    // Rounds of 25 changes until the stream is cut: a stream holds 1,000 for its consumer, and
    // before the stall shows, the sockets' buffers take what was written whole (a hand-out of
    // 100 changes of 64 KiB is 6.4 MB): up to 120 rounds leave room for both.
    for (let round = 0; round < 120 && (app.app.streams.stats().ended.slow ?? 0) === slowBefore; round += 1)
      await app.app.database.prisma.$executeRawUnsafe(
        `UPDATE "Cluster" SET description = 'round ${round}' WHERE id IN (${ids.map((id) => `'${id}'`).join(',')})`,
      );
    await expect.poll(() => app.app.streams.stats().ended.slow ?? 0, fromTheDeliveryProcess).toBeGreaterThan(slowBefore);
    const { streams } = (await (await fetch(`${app.url}/healthz`)).json()) as { streams: StreamsReport };
    expect(streams.ended.slow).toBeGreaterThan(slowBefore);
    expect(streams.maxBuffered).toBe(1000);
    response.resume();
    await closed;
    if (setting === 'on') await expect.poll(() => app.app.deliveryProcess!.stats().connections, fromTheDeliveryProcess).toBe(0);
  });

  it('cuts the one of alike subscribers that stops reading, while the other hears every change in order', async () => {
    // Admins with one document are served a batch together (a cohort, src/changes/fan-out.ts);
    // one of them whose client stops reading must leave the cohort's way and be cut alone.
    const ids = await Promise.all(Array.from({ length: 25 }, (_, index) => createCluster(`alike-${setting}-${index}`)));
    await app.app.database.prisma.$executeRawUnsafe(
      `UPDATE "Cluster" SET annotations = jsonb_build_object('bulk', repeat('x', 16384)) WHERE name LIKE 'alike-${setting}-%'`,
    );
    const document =
      'subscription($since: String) { resourceChanges(types: ["Cluster"], since: $since) { id revision node { ... on Cluster { annotations } } } }';
    type Heard = { data?: { resourceChanges: { id: string; revision: string } } };
    // From the revision after the setup's writes, which may reach the instance's streams after they subscribed.
    const after = await since();
    const reader = await subscribeSse<Heard>(app.url, app.token, document, after);
    const stalled = await openSse(app, document, after);
    stalled.pause();
    if (setting === 'on') await expect.poll(() => app.app.deliveryProcess!.stats().connections, fromTheDeliveryProcess).toBe(2);
    const ours = new Set(ids);
    const heard: bigint[] = [];
    const reading = (async () => {
      for (let event = await reader.next(); event?.data; event = await reader.next())
        if (ours.has(event.data.resourceChanges.id)) heard.push(BigInt(event.data.resourceChanges.revision));
    })();
    const slowBefore = app.app.streams.stats().ended.slow ?? 0;
    const cohortsBefore = cohortDeliveries();
    let rounds = 0;
    while (rounds < 120 && (app.app.streams.stats().ended.slow ?? 0) === slowBefore) {
      await app.app.database.prisma.$executeRawUnsafe(
        `UPDATE "Cluster" SET description = 'alike round ${rounds}' WHERE id IN (${ids.map((id) => `'${id}'`).join(',')})`,
      );
      rounds += 1;
      // The reader keeps up (it is a client that reads); the stalled one falls behind.
      await expect.poll(() => heard.length, fromTheDeliveryProcess).toBe(rounds * ids.length);
    }
    await expect.poll(() => app.app.streams.stats().ended.slow ?? 0, fromTheDeliveryProcess).toBe(slowBefore + 1);
    // The reader heard every change of every round, each once, in commit order.
    expect(heard).toHaveLength(rounds * ids.length);
    expect(heard.every((revision, index) => index === 0 || revision > heard[index - 1]!)).toBe(true);
    expect(cohortDeliveries()).toBeGreaterThan(cohortsBefore);
    const { streams } = (await (await fetch(`${app.url}/healthz`)).json()) as { streams: StreamsReport };
    expect(streams.delivered.toCohorts).toBe(cohortDeliveries());
    reader.close();
    stalled.destroy();
    await reading;
    // Some fifty rounds, each waiting for the reader (written by the nice-10 delivery process): 4–10 s in CI so far.
  }, 120_000);
});

/** A subscription's raw response, unread: what a client that stopped reading holds. */
function openSse(app: TestApp, query: string, variables?: Record<string, unknown>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${app.url}/graphql`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${app.token}` },
    });
    outgoing.on('response', resolve).on('error', reject);
    outgoing.end(JSON.stringify({ query, variables }));
  });
}
