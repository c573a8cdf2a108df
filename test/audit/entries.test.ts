import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs } from '../helpers/app.js';
import { v3 } from '../rest-compat/helpers.js';
import { startAuditedApp, type AuditedApp } from './helpers.js';

/** What the entries say, at level 1 (metadata only), and who may read them back. */
describe('audit entries at level 1', () => {
  let server: AuditedApp;
  beforeAll(async () => {
    server = await startAuditedApp({ name: 'pglite' }, 1);
  });
  afterAll(() => server?.close());

  it('gives a document with three mutation fields three entries sharing one audit id', async () => {
    const result = await server.graphql(`mutation Three {
      a: createCluster(input: { name: "audit-a" }) { id }
      b: createCluster(input: { name: "audit-b" }) { id }
      c: createCluster(input: { name: "audit-c" }) { id }
    }`);
    await server.graphql(`mutation Refused { deleteCluster(id: "c-nope0") { id } }`);
    const entries = await server.entries();
    const three = entries.filter((entry) => entry.operation === 'mutation Three');
    expect(three).toHaveLength(3);
    expect(new Set(three.map((entry) => entry.auditID)).size).toBe(1);
    expect(three.map(({ verb, resourceType, resourceId, outcome, code }) => ({ verb, resourceType, resourceId, outcome, code }))).toEqual(
      ['a', 'b', 'c'].map((alias) => ({ verb: 'create', resourceType: 'cluster', resourceId: result.data![alias].id, outcome: 'success', code: 'OK' })),
    );
    expect(three[0]).toMatchObject({
      face: 'graphql',
      method: 'POST',
      requestURI: '/graphql',
      user: { name: 'admin' },
      sourceIPs: ['127.0.0.1'],
      responseCode: 200,
    });
    expect(entries.find((entry) => entry.operation === 'mutation Refused')).toMatchObject({
      verb: 'delete',
      resourceId: 'c-nope0',
      outcome: 'failure',
      code: 'NOT_FOUND',
    });
    // Level 1 is metadata: no headers, no bodies.
    expect(three[0]).not.toHaveProperty('requestBody');
    expect(three[0]).not.toHaveProperty('requestHeader');
  });

  it('gives a query one entry per operation, and names /v3 verbs as Rancher does', async () => {
    await server.graphql(`query Two { clusters { totalCount } me { id } }`);
    const list = await v3(server, 'GET', '/v3/clusters');
    expect(list.status).toBe(200);
    await v3(server, 'GET', '/v3/clusters/c-nope1');
    const entries = await server.entries();
    expect(entries.filter((entry) => entry.operation === 'query Two')).toEqual([
      expect.objectContaining({ field: 'clusters,me', verb: 'list', resourceType: 'cluster' }),
    ]);
    expect(entries.filter((entry) => entry.face === 'v3' && entry.requestURI === '/v3/clusters').at(-1)).toMatchObject({
      method: 'GET',
      verb: 'list',
      resourceType: 'cluster',
      outcome: 'success',
      responseCode: 200,
    });
    expect(entries.find((entry) => entry.requestURI === '/v3/clusters/c-nope1')).toMatchObject({
      verb: 'get',
      resourceId: 'c-nope1',
      outcome: 'failure',
      // The lookup answered null; /v3 made that its 404.
      code: 'HTTP_404',
      responseCode: 404,
    });
  });

  it('reads each request’s own arguments when the same document runs again', async () => {
    // The plugin works a document out once (graphql-plugin.ts's plans); the values are each request's.
    const lookup = 'query Lookup($id: ID!) { cluster(id: $id) { id } }';
    await server.graphql(lookup, { id: 'c-again1' });
    await server.graphql(lookup, { id: 'c-again2' });
    await v3(server, 'GET', '/v3/clusters/c-again3');
    await v3(server, 'GET', '/v3/clusters/c-again4');
    const entries = await server.entries();
    expect(entries.filter((entry) => entry.operation === 'query Lookup').map((entry) => entry.resourceId)).toEqual(['c-again1', 'c-again2']);
    expect(entries.filter((entry) => entry.requestURI.startsWith('/v3/clusters/c-again')).map((entry) => entry.resourceId)).toEqual(['c-again3', 'c-again4']);
  });

  it('names the operation a document ran by its name, and still records one it does not have', async () => {
    const document = 'query First { clusters { totalCount } } query Second { me { id } }';
    const run = (operationName: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ query: document, operationName }),
      });
    for (const name of ['Second', 'First', 'Missing']) await run(name);
    const entries = (await server.entries()).filter((entry) => entry.face === 'graphql').slice(-3);
    expect(entries.map(({ operation, field, outcome }) => ({ operation, field, outcome }))).toEqual([
      { operation: 'query Second', field: 'me', outcome: 'success' },
      { operation: 'query First', field: 'clusters', outcome: 'success' },
      // No such operation: nothing ran, and the request is recorded as the failure it was.
      { operation: undefined, field: undefined, outcome: 'failure' },
    ]);
  });

  it('records failed logins with the username, and refusals before any GraphQL ran', async () => {
    await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', { username: 'nobody', password: 'not the password' });
    await graphqlAs(server.url, undefined, `mutation { login(input: { username: "ghost", password: "nope nope nope" }) { id } }`);
    await v3({ url: server.url }, 'GET', '/v3/clusters');
    await server.graphql(`{ clusters { nosuchfield } }`);
    const entries = await server.entries();
    expect(entries.find((entry) => entry.userLoginName === 'nobody')).toMatchObject({
      face: 'v3-public',
      verb: 'login',
      resourceType: 'token',
      outcome: 'failure',
      code: 'UNAUTHORIZED',
      responseCode: 401,
      user: null,
    });
    expect(entries.find((entry) => entry.userLoginName === 'ghost')).toMatchObject({
      face: 'graphql',
      verb: 'login',
      outcome: 'failure',
      code: 'UNAUTHORIZED',
    });
    expect(entries.filter((entry) => entry.face === 'v3' && entry.user === null).at(-1)).toMatchObject({
      requestURI: '/v3/clusters',
      outcome: 'failure',
      code: 'HTTP_401',
      responseCode: 401,
    });
    expect(entries.at(-1)).toMatchObject({ face: 'graphql', outcome: 'failure', code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('lets admins, and only admins, query the table by GraphQL and /v3', async () => {
    await server.entries();
    const mine =
      await server.graphql(`{ auditEvents(filter: { verb: { eq: "create" }, outcome: { eq: "success" }, resourceType: { eq: "cluster" } }, sort: { field: TIME, order: DESC }, first: 1) {
      totalCount edges { cursor node { id verb resourceId username face } } pageInfo { hasNextPage endCursor } } }`);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.auditEvents.totalCount).toBe(3);
    expect(mine.data!.auditEvents.edges[0].node).toMatchObject({ verb: 'create', username: 'admin', face: 'graphql' });
    const next = await server.graphql(
      `query($after: String) { auditEvents(filter: { verb: { eq: "create" }, resourceType: { eq: "cluster" } }, sort: { field: TIME, order: DESC }, first: 1, after: $after) { edges { node { id } } } }`,
      {
        after: mine.data!.auditEvents.pageInfo.endCursor,
      },
    );
    expect(next.data!.auditEvents.edges[0].node.id).not.toBe(mine.data!.auditEvents.edges[0].node.id);

    // A row says what its JSON line says, its time to the millisecond (in UTC) and its nulls included.
    const [line] = (await server.entries()).filter((entry) => entry.operation === 'mutation Refused');
    const row = await server.graphql(
      `query($auditId: String!) { auditEvents(filter: { auditId: { eq: $auditId } }) { nodes { time auditId face method requestUri username tokenId userLoginName sourceIp userAgent operation field resourceType resourceId verb outcome code responseCode durationMs details } } }`,
      { auditId: line!.auditID },
    );
    expect(row.errors).toBeUndefined();
    expect(row.data!.auditEvents.nodes).toEqual([
      {
        time: line!.time,
        auditId: line!.auditID,
        face: 'graphql',
        method: 'POST',
        requestUri: '/graphql',
        username: 'admin',
        tokenId: line!.user!.tokenId,
        userLoginName: null,
        sourceIp: '127.0.0.1',
        userAgent: line!.userAgent,
        operation: 'mutation Refused',
        field: 'deleteCluster',
        resourceType: 'cluster',
        resourceId: 'c-nope0',
        verb: 'delete',
        outcome: 'failure',
        code: 'NOT_FOUND',
        responseCode: 200,
        durationMs: line!.durationMs,
        details: {},
      },
    ]);

    const collection = await v3(server, 'GET', '/v3/auditevents?verb=login&outcome=failure');
    expect(collection.status).toBe(200);
    expect(collection.body.data.length).toBeGreaterThanOrEqual(2);
    expect(collection.body.data[0]).toMatchObject({ type: 'auditEvent', verb: 'login' });
    expect((await v3(server, 'POST', '/v3/auditevents', { verb: 'forged' })).status).toBe(405);

    await server.graphql(`mutation { createUser(input: { username: "plain", password: "plain user password" }) { id } }`);
    const plain = await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', { username: 'plain', password: 'plain user password' });
    const refused = await graphqlAs(server.url, plain.body.token, `{ auditEvents { totalCount } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('PERMISSION_DENIED');
    expect((await v3({ url: server.url, token: plain.body.token }, 'GET', '/v3/auditevents')).status).toBe(403);
  });

  it('shows the queue in /healthz', async () => {
    await server.entries();
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health.audit).toMatchObject({ level: 1, queued: 0, dropped: 0, failed: 0 });
    expect(health.audit.written).toBeGreaterThan(10);
  });
});
