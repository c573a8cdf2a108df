import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signUp, userPassword } from '../auth/helpers.js';
import { login, startTestApp, type TestApp } from '../helpers/app.js';
import { graphqlWsClient, upgradeStatus } from '../helpers/graphql-ws.js';

const changes = 'subscription { resourceChanges(types: ["Cluster"]) { verb id } }';

interface Answer {
  data?: unknown;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** What a socket answers first to one operation: its first result, or its errors. */
function firstAnswer(client: Client, query: string, extensions?: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe(
      { query, ...(extensions ? { extensions } : {}) },
      {
        next: (result) => {
          dispose();
          resolve(result as Answer);
        },
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => undefined,
      },
    );
  });
}

/**
 * How many change streams `server` has opened so far: those still open and those that ended.
 * It only grows, whichever of them close meanwhile; a refused subscription opens none.
 */
function streamsOpened(server: TestApp): number {
  const { open, ended } = server.app.streams.stats();
  return Object.values(ended).reduce<number>((opened, count) => opened + (count ?? 0), open);
}

/**
 * A subscription that the server started (its first event is not awaited): closed again at once.
 * The server answers a refused subscribe with its errors; one it runs opens a change stream and
 * says nothing until a change. That stream, not a pause, tells a start: after a fixed 300 ms, a
 * refusal that a busy machine had not sent yet was taken for a start.
 */
async function started(server: TestApp, client: Client): Promise<{ code?: unknown } | 'started'> {
  const before = streamsOpened(server);
  return new Promise((resolve, reject) => {
    let opening: NodeJS.Timeout | undefined;
    const dispose = client.subscribe(
      { query: changes },
      {
        next: () => undefined,
        error: (error) => {
          clearInterval(opening);
          if (Array.isArray(error)) resolve({ code: error[0]?.extensions?.code });
          else reject(error);
        },
        complete: () => undefined,
      },
    );
    opening = setInterval(() => {
      if (streamsOpened(server) === before) return;
      clearInterval(opening);
      dispose();
      resolve('started');
    }, 10);
  });
}

const codesOf = (answer: Answer) => answer.errors?.map((error) => error.extensions?.code);

/**
 * A graphql-ws socket is held to what the router holds an HTTP request to: queries and
 * mutations go over HTTP (counted, audited, answered once), a subscription runs with the
 * rights the key carries at that moment, counts against the per-minute limit, and obeys
 * the trusted-documents rule.
 */
describe('operations over a graphql-ws socket', () => {
  let server: TestApp;
  const clients: Client[] = [];
  const socketAs = (token: string) => {
    const client = graphqlWsClient(server.url, { authorization: `Bearer ${token}` });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server?.close();
  });

  it('refuses queries and mutations, and runs nothing of them', async () => {
    const client = socketAs(server.token);
    const query = await firstAnswer(client, '{ me { username } }');
    expect(codesOf(query)).toEqual(['BAD_REQUEST']);
    expect(query.errors?.[0]?.message).toBe('a WebSocket carries subscriptions only: send a query as an HTTP request to /graphql');
    const mutation = await firstAnswer(client, 'mutation { createCluster(input: { name: "over-a-socket" }) { id } }');
    expect(codesOf(mutation)).toEqual(['BAD_REQUEST']);
    const listed = await server.graphql('{ clusters(filter: { name: { eq: "over-a-socket" } }) { totalCount } }');
    expect(listed.data).toEqual({ clusters: { totalCount: 0 } });
    expect(await started(server, client)).toBe('started');
  });

  it('gives an admin demoted while the socket is open no way to act as one through it', async () => {
    await createUser(server, 'demoted-later', { globalRole: 'ADMIN' });
    const client = socketAs(await login(server.url, 'demoted-later', userPassword));
    // The socket opens, and runs a subscription, while its user is an admin.
    expect(await started(server, client)).toBe('started');
    const found = await server.graphql('{ users(filter: { username: { eq: "demoted-later" } }) { edges { node { id } } } }');
    const demoted = await server.graphql('mutation($id: ID!) { updateUser(id: $id, input: { globalRole: USER }) { globalRole } }', {
      id: found.data!.users.edges[0].node.id,
    });
    expect(demoted.errors).toBeUndefined();
    const escalation = await firstAnswer(
      client,
      'mutation { createUser(input: { username: "made-over-a-socket", password: "a-long-enough-password", globalRole: ADMIN }) { id } }',
    );
    expect(codesOf(escalation)).toEqual(['BAD_REQUEST']);
    const made = await server.graphql('{ users(filter: { username: { eq: "made-over-a-socket" } }) { totalCount } }');
    expect(made.data).toEqual({ users: { totalCount: 0 } });
    // Subscriptions still start, with the rights of now.
    expect(await started(server, client)).toBe('started');
  });

  it('counts each subscription against its caller’s per-minute limit', async () => {
    const { token } = await signUp(server, 'counted-on-a-socket');
    const limited = await server.graphql('mutation { updateSetting(id: "api-rate-limit", input: { value: "3" }) { value } }');
    expect(limited.errors).toBeUndefined();
    try {
      const client = socketAs(token);
      const answers = [];
      for (let attempt = 0; attempt < 4; attempt += 1) answers.push(await started(server, client));
      expect(answers).toEqual(['started', 'started', 'started', { code: 'RATE_LIMITED' }]);
    } finally {
      // The admin's own requests count too: a fresh login is counted per address, not per user.
      const admin = await login(server.url, 'admin', server.adminPassword);
      const restored = await socketlessUpdate(server, admin, 'api-rate-limit', '100');
      expect(restored).toBe('100');
    }
  });

  it('opens sockets for the pages of an origin on the CORS allow list, and only those', async () => {
    const app = 'https://app.example.com:8443';
    const bearer = { authorization: `Bearer ${server.token}` };
    expect(await upgradeStatus(server.url, '/graphql', { ...bearer, origin: app })).toBe(403);
    expect(await socketlessUpdate(server, server.token, 'cors-allowed-origins', app)).toBe(app);
    try {
      expect(await upgradeStatus(server.url, '/graphql', { ...bearer, origin: app })).toBe('open');
      expect(await upgradeStatus(server.url, '/graphql', { cookie: `R_SESS=${server.token}`, origin: app })).toBe('open');
      expect(await upgradeStatus(server.url, '/v3/subscribe', { ...bearer, origin: app })).toBe('open');
      expect(await upgradeStatus(server.url, '/graphql', { ...bearer, origin: 'https://other.example.com' })).toBe(403);
    } finally {
      expect(await socketlessUpdate(server, server.token, 'cors-allowed-origins', '')).toBe('');
    }
  });

  it('obeys the trusted-documents rule as HTTP requests do', async () => {
    const client = socketAs(server.token);
    expect(await socketlessUpdate(server, server.token, 'graphql-trusted-documents-only', 'true')).toBe('true');
    try {
      expect(await started(server, client)).toEqual({ code: 'TRUSTED_DOCUMENTS_ONLY' });
      const unknownHash = await firstAnswer(client, '', { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } });
      expect(codesOf(unknownHash)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    } finally {
      expect(await socketlessUpdate(server, server.token, 'graphql-trusted-documents-only', 'false')).toBe('false');
    }
  });
});

/** Sets a setting through /v3 with `token` (GraphQL may be refusing arbitrary documents by then). */
async function socketlessUpdate(server: TestApp, token: string, id: string, value: string): Promise<unknown> {
  const response = await fetch(`${server.url}/v3/settings/${id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ value }),
  });
  return ((await response.json()) as { value?: string }).value;
}
