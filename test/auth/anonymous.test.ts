import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { expectNormanError, expectNormanUnauthorized } from './helpers.js';

describe.each(databaseTargets)('requests without a credential on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  it('answers /ping, /healthz, the GraphiQL page and the login route', async () => {
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const loggedIn = await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', {
      username: 'admin',
      password: server.adminPassword,
    });
    expect(loggedIn.status).toBe(201);
  });

  it.each([
    ['GET', '/v3'],
    ['GET', '/v3/'],
    ['GET', '/v3/clusters'],
    ['GET', '/v3/schemas'],
    ['GET', '/v3/tokens'],
    ['GET', '/v3/users'],
    ['GET', '/v3/settings/auth-token-max-ttl-minutes'],
    ['POST', '/v3/clusters'],
    ['POST', '/v3/tokens'],
    ['POST', '/v3/tokens?action=logout'],
    ['DELETE', '/v3/users/u-nope0'],
    ['PUT', '/v3/settings/server-url'],
    ['GET', '//v3//clusters'],
    ['GET', '/V3/clusters'],
  ])('refuses %s %s with 401 Unauthorized and a Basic challenge', async (method, path) => {
    const response = await v3({ url: server.url }, method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
    if (path === '/V3/clusters') {
      // Paths are case-sensitive: not an API route at all, and nothing is served there.
      expectNormanError(response, 404, 'NotFound');
      return;
    }
    expectNormanUnauthorized(response);
  });

  it('gives /v3 without a credential nothing but the error', async () => {
    const response = await v3({ url: server.url }, 'GET', '/v3/clusters');
    expect(Object.keys(response.body).sort()).toEqual(['baseType', 'code', 'message', 'status', 'type']);
  });

  it.each([
    ['a query', `{ clusters { totalCount } }`],
    ['the caller', `{ me { id } }`],
    ['a node', `{ node(id: "c-abcde") { id } }`],
    ['a mutation', `mutation { createCluster(input: { name: "anonymous" }) { id } }`],
    ['the logout', `mutation { logoutToken { id } }`],
    ['a key', `mutation { createToken(input: {}) { token } }`],
  ])('refuses %s over GraphQL with UNAUTHORIZED and HTTP 401', async (_what, query) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHORIZED']);
    // Nullable fields (node) come back null beside the error; nothing else does.
    for (const value of Object.values(body.data ?? {})) expect(value).toBeNull();
  });

  it('refuses a GraphQL GET without a credential', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ users { totalCount } }')}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHORIZED');
  });

  it.each([`{ __schema { queryType { name } } }`, `{ __typename }`])('refuses %s without a credential', async (query) => {
    const response = await graphqlAs(server.url, undefined, query);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('creates nothing for an anonymous mutation', async () => {
    await graphqlAs(server.url, undefined, `mutation { createCluster(input: { name: "ghost" }) { id } }`);
    const listed = await server.graphql(`{ clusters(filter: { name: { eq: "ghost" } }) { totalCount } }`);
    expect(listed.data!.clusters.totalCount).toBe(0);
  });
});
