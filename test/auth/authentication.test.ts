import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { basic, cookieLogin, createKey, expectNormanError, v3With, type Session } from './helpers.js';
import type { Json } from '../helpers/json.js';

describe.each(databaseTargets)('the ways to present a credential on $name', (target) => {
  let server: TestApp;
  let key: Record<string, Json>;
  let session: Session;
  beforeAll(async () => {
    server = await startTestApp(target);
    key = await createKey(server, server.token, { name: 'forms' });
    session = await cookieLogin(server);
  });
  afterAll(() => server?.close());

  it('accepts Basic base64(accessKey:secretKey), the key id being the access key', async () => {
    expect((await v3With(server, { authorization: basic(key.token) })).status).toBe(200);
    expect((await v3With(server, { authorization: basic(key.token).replace('Basic', 'basic') })).status).toBe(200);
  });

  it('accepts Bearer token-xxxxx:secret', async () => {
    expect((await v3With(server, { authorization: `Bearer ${key.token}` })).status).toBe(200);
  });

  it('accepts the R_SESS cookie a login set, for GET without anything else', async () => {
    expect((await v3With(server, { cookie: `R_SESS=${session.cookie}` })).status).toBe(200);
    const me = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ me { username } }')}`, {
      headers: { cookie: `R_SESS=${session.cookie}`, accept: 'application/json' },
    });
    expect(await me.json()).toEqual({ data: { me: { username: 'admin' } } });
  });

  describe('CSRF defence for cookie sessions (src/auth/authenticate.ts)', () => {
    const cookies = () => `R_SESS=${session.cookie}; CSRF=${session.csrf}`;

    it('refuses an unsafe /v3 request with the cookie but without proof: 422 InvalidCSRFToken, nothing created', async () => {
      const refused = await v3({ url: server.url }, 'POST', '/v3/clusters', 'name=csrf-victim', { cookie: cookies(), 'content-type': 'text/plain' });
      expectNormanError(refused, 422, 'InvalidCSRFToken');
      const wrongHeader = await v3({ url: server.url }, 'POST', '/v3/clusters', 'name=csrf-victim', {
        cookie: cookies(),
        'content-type': 'text/plain',
        'x-api-csrf': 'not-the-cookie',
      });
      expectNormanError(wrongHeader, 422, 'InvalidCSRFToken');
      const deleted = await v3({ url: server.url }, 'DELETE', `/v3/tokens/${key.id}`, undefined, { cookie: cookies() });
      expectNormanError(deleted, 422, 'InvalidCSRFToken');
      expect((await v3With(server, { authorization: `Bearer ${key.token}` })).status).toBe(200);
      expect(await clusterNames()).not.toContain('csrf-victim');
    });

    it('accepts the same request with X-API-CSRF equal to the CSRF cookie', async () => {
      const created = await v3({ url: server.url }, 'POST', '/v3/clusters', { name: 'csrf-ok' }, { cookie: cookies(), 'x-api-csrf': session.csrf });
      expect(created.status).toBe(201);
      expect(await clusterNames()).toContain('csrf-ok');
    });

    it('refuses a header without a CSRF cookie to compare it with', async () => {
      const refused = await v3({ url: server.url }, 'POST', '/v3/clusters', 'x', {
        cookie: `R_SESS=${session.cookie}`,
        'content-type': 'text/plain',
        'x-api-csrf': '',
      });
      expectNormanError(refused, 422, 'InvalidCSRFToken');
    });

    it('accepts a JSON body as proof (no cross-site form can send one without a preflight)', async () => {
      const created = await v3({ url: server.url }, 'POST', '/v3/clusters', { name: 'csrf-json' }, { cookie: `R_SESS=${session.cookie}` });
      expect(created.status).toBe(201);
    });

    it('refuses a form-encoded GraphQL mutation carried by the cookie, as a cross-site form would send it', async () => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { cookie: cookies(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ query: 'mutation { createCluster(input: { name: "csrf-form" }) { id } }' }).toString(),
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
      expect(body.errors[0]!.extensions).toEqual({ code: 'INVALID_INPUT', reason: 'InvalidCSRFToken' });
      expect(await clusterNames()).not.toContain('csrf-form');
    });

    it('never runs a mutation sent with GET, the method the CSRF rule lets through', async () => {
      const query = encodeURIComponent('mutation { createCluster(input: { name: "csrf-get" }) { id } }');
      const response = await fetch(`${server.url}/graphql?query=${query}`, { headers: { cookie: cookies(), accept: 'application/json' } });
      expect(response.status).toBe(405);
      expect(await clusterNames()).not.toContain('csrf-get');
    });

    it('needs no CSRF proof when the credential is an Authorization header', async () => {
      const created = await v3(
        { url: server.url },
        'POST',
        '/v3/clusters',
        { name: 'header-auth' },
        { authorization: `Bearer ${key.token}`, cookie: `CSRF=${session.csrf}` },
      );
      expect(created.status).toBe(201);
    });
  });

  async function clusterNames(): Promise<string[]> {
    const listed = await server.graphql(`{ clusters { edges { node { name } } } }`);
    return listed.data!.clusters.edges.map((edge: { node: { name: string } }) => edge.node.name);
  }
});
