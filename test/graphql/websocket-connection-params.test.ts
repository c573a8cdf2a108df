import { randomBytes } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createKey } from '../auth/helpers.js';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { connectionAnswer, graphqlWsClient, upgradeStatus } from '../helpers/graphql-ws.js';
import { subscribeSse } from '../helpers/sse.js';

const changesOf = (types: string) =>
  `subscription($since: String) { resourceChanges(types: ${types}, since: $since) { verb id node { id ... on Cluster { name } } } }`;
type Event = { data?: { resourceChanges: { verb: string; id: string } }; errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> };

/** A key that exists nowhere (a random id, never cached): each try of it costs a lookup and fails. */
const madeUpKey = () => `token-${randomBytes(6).toString('hex')}:${randomBytes(24).toString('hex')}`;

/**
 * A browser cannot put an Authorization header on a WebSocket: a page of another origin
 * holding an API key opens graphql-ws without a credential and sends the key in its
 * ConnectionInit (`connectionParams`). The socket is authenticated by the same step as
 * HTTP, refused (4403) without a valid key, counted like any failed authentication, and
 * runs nothing before.
 */
describe('graphql-ws authenticated from connectionParams', () => {
  let server: TestApp;
  const clients: Client[] = [];
  const socketWith = (connectionParams: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const client = graphqlWsClient(server.url, headers, connectionParams);
    clients.push(client);
    return client;
  };
  const now = async () => (await server.graphql('{ changeRevision }')).data!.changeRevision as string;
  const setting = async (id: string, value: string) => {
    const updated = await server.graphql(`mutation($id: ID!, $value: String!) { updateSetting(id: $id, input: { value: $value }) { value } }`, { id, value });
    expect(updated.errors).toBeUndefined();
  };
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server?.close();
  });

  it('opens without a credential and runs a subscription with the key in connectionParams', async () => {
    expect(await upgradeStatus(server.url, '/graphql', {})).toBe('open');
    const events = socketWith({ authorization: `Bearer ${server.token}` }).iterate<Event['data']>({
      query: changesOf('["Cluster"]'),
      variables: { since: await now() },
    });
    const first = events.next();
    const created = await server.graphql(`mutation { createCluster(input: { name: "seen-over-connection-params" }) { id } }`);
    const id = created.data!.createCluster.id as string;
    expect((await first).value).toEqual({ data: { resourceChanges: { verb: 'CREATE', id, node: { id, name: 'seen-over-connection-params' } } } });
    await events.return?.();
  });

  it('takes the key in each form clients send it', async () => {
    const token = server.token;
    const forms = [
      { Authorization: `Bearer ${token}` },
      { authorization: basic(token) },
      { authorization: token },
      { headers: { Authorization: `Bearer ${token}` } },
      { token },
      { authToken: token },
      { authorization: `Bearer ${token}`, token },
    ];
    for (const init of forms) expect(await connectionAnswer(server.url, { init }), JSON.stringify(Object.keys(init))).toBe('acknowledged');
  });

  it('closes a socket without a valid key with 4403, and runs nothing on it before', async () => {
    const forbidden = (reason: string) => ({ code: 4403, reason });
    expect(await connectionAnswer(server.url, { init: undefined })).toEqual(
      forbidden('this API needs a credential: an API key in connectionParams ({ authorization: "Bearer <key>" })'),
    );
    expect(await connectionAnswer(server.url, { init: { authorization: '' } })).toEqual(await connectionAnswer(server.url, { init: {} }));
    expect(await connectionAnswer(server.url, { init: { authorization: madeUpKey() } })).toEqual(forbidden('the credential is not valid'));
    const wrongSecret = `${server.token.slice(0, server.token.indexOf(':'))}:${randomBytes(24).toString('hex')}`;
    expect(await connectionAnswer(server.url, { init: { authorization: `Bearer ${wrongSecret}` } })).toEqual(forbidden('the credential is not valid'));
    expect(await connectionAnswer(server.url, { init: { authorization: 'Bearer not-a-key' } })).toEqual(
      forbidden('the Authorization header or session cookie is not a valid credential'),
    );
    expect(await connectionAnswer(server.url, { init: { authorization: 42 } })).toEqual(forbidden('a connectionParams credential must be a string'));
    expect(await connectionAnswer(server.url, { init: { authorization: `Bearer ${server.token}`, token: madeUpKey() } })).toEqual(
      forbidden('connectionParams carry different credentials'),
    );
    // graphql-ws' own rule, which holds because the ack waits for the credential: nothing subscribes before it.
    expect(await connectionAnswer(server.url, { init: { authorization: `Bearer ${server.token}` }, subscribeFirst: true })).toEqual({
      code: 4401,
      reason: 'Unauthorized',
    });
  });

  it('checks a credential in connectionParams beside the upgrade’s too: the same key, or the socket closes', async () => {
    const other = await createKey(server, server.token);
    const headers = { authorization: `Bearer ${server.token}` };
    expect(await connectionAnswer(server.url, { headers, init: { authorization: `Bearer ${server.token}` } })).toBe('acknowledged');
    expect(await connectionAnswer(server.url, { headers, init: undefined })).toBe('acknowledged');
    expect(await connectionAnswer(server.url, { headers, init: { authorization: `Bearer ${other.token}` } })).toEqual({
      code: 4403,
      reason: 'connectionParams name another key than the upgrade’s credential',
    });
    expect(await connectionAnswer(server.url, { headers, init: { authorization: madeUpKey() } })).toEqual({
      code: 4403,
      reason: 'the credential is not valid',
    });
  });

  it('refuses foreign origins before any credential, and opens for the allowed ones', async () => {
    const app = 'https://app.example.com:8443';
    expect(await upgradeStatus(server.url, '/graphql', { origin: 'https://attacker.example' })).toBe(403);
    expect(await upgradeStatus(server.url, '/graphql', { origin: app })).toBe(403);
    await setting('cors-allowed-origins', app);
    try {
      expect(await upgradeStatus(server.url, '/graphql', { origin: app })).toBe('open');
      expect(await connectionAnswer(server.url, { headers: { origin: app }, init: { authorization: `Bearer ${server.token}` } })).toBe('acknowledged');
      expect(await upgradeStatus(server.url, '/graphql', { origin: 'https://attacker.example' })).toBe(403);
      // Only graphql-ws authenticates after opening: Rancher's socket still wants its credential at the upgrade.
      expect(await upgradeStatus(server.url, '/v3/subscribe', { origin: app })).toBe(401);
    } finally {
      await setting('cors-allowed-origins', '');
    }
  });

  it('closes a socket that sends no ConnectionInit, which held a place under the stream cap until then', async () => {
    const waiting = () => server.app.streams.stats().awaitingCredential;
    await setting('stream-max-per-instance', String(server.app.streams.stats().open + 1));
    try {
      const silent = connectionAnswer(server.url, { init: 'none' });
      await expect.poll(waiting).toBe(1);
      expect(await upgradeStatus(server.url, '/graphql', {})).toBe(429);
      const refused = await subscribeSse<Event>(server.url, server.token, changesOf('["Cluster"]'));
      expect((await refused.next())?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      refused.close();
      expect(await silent).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
      await expect.poll(waiting).toBe(0);
      expect(await connectionAnswer(server.url, { init: { authorization: `Bearer ${server.token}` } })).toBe('acknowledged');
      // Authenticated, a socket holds no place of its own (its subscriptions do).
      expect(waiting()).toBe(0);
    } finally {
      await setting('stream-max-per-instance', '5000');
    }
  });

  it('ends a subscription whose connectionParams key is revoked', async () => {
    const key = await createKey(server, server.token);
    const events = socketWith({ authorization: `Bearer ${key.token}` }).iterate<Event['data']>({
      query: changesOf('["Token"]'),
      variables: { since: await now() },
    });
    // A first event proves the subscription runs (the socket authenticated) before the key goes.
    const first = events.next();
    const described = await graphqlAs(server.url, server.token, `mutation($id: ID!) { updateToken(id: $id, input: { description: "watched" }) { id } }`, {
      id: key.id,
    });
    expect(described.errors).toBeUndefined();
    expect((await first).value).toEqual({ data: { resourceChanges: { verb: 'UPDATE', id: key.id, node: { id: key.id } } } });
    const deactivated = await graphqlAs(server.url, server.token, `mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id: key.id });
    expect(deactivated.errors).toBeUndefined();
    // Whatever was in flight, the subscription ends with graphql-ws' Error message: UNAUTHORIZED.
    const ending = async () => {
      for (let event = await events.next(); !event.done; event = await events.next());
    };
    await expect(ending()).rejects.toEqual([
      { message: 'the credential of this stream is no longer valid', extensions: { code: 'UNAUTHORIZED', reason: 'revoked', http: { status: 401 } } },
    ]);
  });
});

/** In a server of its own: the address it locks out stays locked for the rest of the minute. */
describe('failed authentications in connectionParams', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  it('count against the address as failed HTTP authentications do, up to the lockout', async () => {
    const limited = await server.graphql('mutation { updateSetting(id: "api-rate-limit", input: { value: "3" }) { value } }');
    expect(limited.errors).toBeUndefined();
    // Each attempt counts twice against the address: an opening without a credential and a
    // failed authentication; once the address is over its limit, the opening itself is refused.
    const answers: Array<number | string> = [];
    for (let attempt = 0; attempt < 10 && answers.at(-1) !== 429; attempt += 1) {
      const answer = await connectionAnswer(server.url, { init: { authorization: `Bearer ${madeUpKey()}` } }).catch((error: Error) =>
        Number(/upgrade refused: (\d+)/.exec(error.message)?.[1]),
      );
      answers.push(typeof answer === 'number' ? answer : answer === 'acknowledged' ? answer : answer.code);
    }
    expect(answers).toEqual([4403, 4403, 429]);
    // The same lockout HTTP requests meet: a key that would have to be read is refused.
    const response = await fetch(`${server.url}/v3/clusters`, { headers: { authorization: `Bearer ${madeUpKey()}` } });
    expect(response.status).toBe(429);
    expect(await upgradeStatus(server.url, '/graphql', {})).toBe(429);
    // A socket with its credential at the upgrade is its user's, not the address's: it opens,
    // and a made-up key beside it meets the lockout (try again later), not a lookup.
    const headers = { authorization: `Bearer ${server.token}` };
    expect(await connectionAnswer(server.url, { headers, init: undefined })).toBe('acknowledged');
    expect(await connectionAnswer(server.url, { headers, init: { authorization: `Bearer ${madeUpKey()}` } })).toEqual({
      code: 1013,
      reason: expect.stringMatching(/^too many failed authentications from this address; retry in \d+ s$/),
    });
  });
});
