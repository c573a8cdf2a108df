import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AuditEntry } from '../../src/audit/index.js';
import { graphqlWsClient } from '../helpers/graphql-ws.js';
import { subscribeSse } from '../helpers/sse.js';
import { startAuditedApp, type AuditedApp } from './helpers.js';

const changes = `subscription { resourceChanges(types: ["Cluster"]) { verb id } }`;

/** Issue 17: every live stream leaves an open and a close entry (with why), whatever its protocol. */
describe('audit entries of live streams', () => {
  let server: AuditedApp;
  let clusters = 0;
  beforeAll(async () => {
    server = await startAuditedApp({ name: 'pglite' }, 1);
  });
  afterAll(() => server?.close());

  /** A cluster created now: what proves a stream is live, as it must hear of it. */
  const createCluster = async () => {
    const created = await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, {
      name: `stream-audit-${++clusters}`,
    });
    return created.data!.createCluster.id as string;
  };

  /** The stream entries on `requestURI` written after the first `before` entries, once `closes` streams closed. */
  const streamEntries = async (requestURI: string, before: number, closes = 1): Promise<AuditEntry[]> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const entries = (await server.entries()).slice(before).filter((entry) => entry.face === 'stream' && entry.requestURI === requestURI);
      if (entries.filter((entry) => entry.verb === 'close').length >= closes) return entries;
    }
    throw new Error(`no stream on ${requestURI} closed`);
  };

  const expectOpenedAndClosed = (entries: AuditEntry[], expected: Partial<AuditEntry>, reason: string) => {
    expect(entries.map((entry) => entry.verb)).toEqual(['open', 'close']);
    const [open, close] = entries as [AuditEntry, AuditEntry];
    expect(open).toMatchObject({ ...expected, outcome: 'success', code: 'OK', user: { name: 'admin' }, sourceIPs: ['127.0.0.1'] });
    expect(close).toMatchObject({ ...expected, reason, auditID: open.auditID });
    expect(close.durationMs).toBeGreaterThanOrEqual(0);
  };

  it('a GraphQL subscription over SSE: open, and close when the client goes', async () => {
    const before = (await server.entries()).length;
    const subscription = await subscribeSse(server.url, server.token, changes);
    expect(subscription.status).toBe(200);
    const id = await createCluster();
    expect(await subscription.next()).toMatchObject({ data: { resourceChanges: { verb: 'CREATE', id } } });
    subscription.close();
    expectOpenedAndClosed(await streamEntries('/graphql', before), { method: 'POST', resourceType: 'Cluster', resourceId: null, responseCode: 200 }, 'client');
  });

  it('a GraphQL subscription over graphql-ws: open, and close when the client goes', async () => {
    const before = (await server.entries()).length;
    const client = graphqlWsClient(server.url, { authorization: `Bearer ${server.token}` });
    const events = client.iterate<{ resourceChanges: { verb: string; id: string } }>({ query: changes });
    // The first pull sends the subscription; the cluster is created once it is in place.
    const first = events.next();
    for (let attempt = 0; attempt < 100 && !(await server.entries()).slice(before).some((entry) => entry.verb === 'open'); attempt += 1);
    const id = await createCluster();
    expect((await first).value).toMatchObject({ data: { resourceChanges: { verb: 'CREATE', id } } });
    await events.return?.();
    await client.dispose();
    expectOpenedAndClosed(await streamEntries('/graphql', before), { method: 'GET', resourceType: 'Cluster', responseCode: 101 }, 'client');
  });

  it('Rancher’s /v3/subscribe: open with what it watches, and close when the client goes', async () => {
    const before = (await server.entries()).length;
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v3/subscribe?resourceTypes=cluster`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    await new Promise((resolve, reject) => socket.once('message', resolve).once('error', reject));
    socket.close();
    expectOpenedAndClosed(await streamEntries('/v3/subscribe', before), { method: 'GET', resourceType: 'cluster', responseCode: 101 }, 'client');
  });

  it('a stream refused at the start: opened and closed at once, with the refusal’s code', async () => {
    const capped = await server.graphql(`mutation { updateSetting(id: "stream-max-per-user", input: { value: "1" }) { value } }`);
    expect(capped.errors).toBeUndefined();
    const before = (await server.entries()).length;
    const held = await subscribeSse(server.url, server.token, changes);
    const refused = await subscribeSse(server.url, server.token, changes);
    expect(await refused.next()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    held.close();
    const entries = (await streamEntries('/graphql', before, 2)).filter((entry) => entry.verb === 'close');
    // The refused one closes first (at once), the one held when its client goes.
    expect(entries.map(({ reason, outcome, code }) => ({ reason, outcome, code }))).toEqual([
      { reason: 'RATE_LIMITED', outcome: 'failure', code: 'RATE_LIMITED' },
      { reason: 'client', outcome: 'success', code: 'OK' },
    ]);
    await server.graphql(`mutation { updateSetting(id: "stream-max-per-user", input: { value: "100" }) { value } }`);
  });
});
