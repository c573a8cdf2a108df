import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { cookieLogin, createUser, type Session } from './helpers.js';

/**
 * A cross-site attacker holds nothing but the victim's browser: it sends the R_SESS
 * cookie (SameSite=Lax: on top-level GET navigations, and on any request from a page
 * of the same site) and it can send a GET, a HEAD, or a form POST with one of the three
 * "simple" content types — never a header of its own or a JSON body. Every
 * state-changing route of every face is walked here with exactly that, in every
 * spelling of method override and action, and nothing may change.
 *
 * CSRF does not depend on the database, so one is enough (PostgreSQL when there is
 * one: it starts faster than the embedded database).
 */
const target = databaseTargets.at(-1)!;

interface Attempt {
  method: string;
  path: string;
  contentType?: string;
  body?: string;
}

/** The bodies a cross-site form can send: none, and the three CORS-simple content types. */
const formBodies: Array<Pick<Attempt, 'contentType' | 'body'>> = [
  {},
  { contentType: 'text/plain', body: '{"name":"csrf"}' },
  { contentType: 'application/x-www-form-urlencoded', body: 'name=csrf' },
  { contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\ncsrf\r\n--x--\r\n' },
];
const unsafeMethods = ['POST', 'PUT', 'DELETE', 'PATCH'];
const overrides = ['POST', 'PUT', 'DELETE', 'delete', 'Put', 'GET'];

interface NormanSchemaSummary {
  id: string;
  collectionMethods: string[];
  resourceMethods: string[];
  collectionActions: Record<string, unknown>;
  resourceActions: Record<string, unknown>;
  links: { collection?: string };
}

describe(`CSRF: a cookie without proof changes nothing, on any face (${target.name})`, () => {
  let server: TestApp;
  let session: Session;
  let schemas: NormanSchemaSummary[];
  /** One real id per type that has any (fake ones where none exist: the refusal must come first anyway). */
  const ids = new Map<string, string>();
  let before: Record<string, unknown>;

  beforeAll(async () => {
    server = await startTestApp(target);
    await createPlace(server);
    await createUser(server, 'csrf-bystander');
    const credential = await server.graphql(
      `mutation { createCloudCredential(input: { name: "c", digitaloceancredentialConfig: { accessToken: "t" } }) { id } }`,
    );
    if (credential.errors) console.warn('no cloud credential for the walk:', credential.errors[0]!.message);
    session = await cookieLogin(server);
    schemas = (await v3(server, 'GET', '/v3/schemas?limit=-1')).body.data;
    for (const schema of schemas) {
      if (!schema.links.collection) continue;
      const listed = await v3(server, 'GET', new URL(schema.links.collection).pathname);
      const first = listed.body?.data?.[0]?.id;
      if (typeof first === 'string') ids.set(schema.id, first);
    }
    before = await snapshot();
  });
  afterAll(() => server?.close());

  const cookieHeaders = (attempt: Attempt): Record<string, string> => ({
    cookie: `R_SESS=${session.cookie}; CSRF=${session.csrf}`,
    accept: 'application/json',
    ...(attempt.contentType ? { 'content-type': attempt.contentType } : {}),
  });

  async function send(attempt: Attempt): Promise<{ status: number; text: string }> {
    const response = await fetch(`${server.url}${attempt.path}`, {
      method: attempt.method,
      headers: cookieHeaders(attempt),
      body: attempt.body,
      redirect: 'manual',
    });
    return { status: response.status, text: await response.text() };
  }

  /** Every /v3 route that changes something, in every spelling a link or a form could use. */
  function v3Attempts(): Attempt[] {
    const attempts: Attempt[] = [];
    const withForms = (method: string, path: string) => formBodies.map((form) => ({ method, path, ...form }));
    // A form can only POST; PUT, DELETE and PATCH come bare (the cookie is all that matters).
    const crossSite = (path: string) => [
      ...withForms('POST', path),
      ...unsafeMethods.filter((method) => method !== 'POST').map((method) => ({ method, path })),
      { method: 'GET', path },
      { method: 'HEAD', path },
    ];
    const join = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
    for (const schema of schemas) {
      if (!schema.links.collection) continue;
      const collection = new URL(schema.links.collection).pathname;
      const resource = `${collection}/${encodeURIComponent(ids.get(schema.id) ?? 'x-none').replace(/%3A/gi, ':')}`;
      for (const path of [collection, resource]) {
        attempts.push(...crossSite(path));
        for (const override of overrides) attempts.push(...crossSite(join(path, `_method=${override}`)));
        const actions = Object.keys(path === collection ? schema.collectionActions : { ...schema.resourceActions, remove: {} });
        for (const action of actions) {
          attempts.push(...crossSite(join(path, `action=${action}`)));
          attempts.push(...crossSite(join(path, `_method=POST&action=${action}`)));
          attempts.push(...crossSite(join(path, `action=${action}&_method=post`)));
        }
      }
    }
    // The logout Rancher's UI calls, on both prefixes.
    for (const path of ['/v3/tokens?action=logout', '/v3-public/tokens?action=logout', '/v3/tokens?_method=POST&action=logout'])
      attempts.push(...crossSite(path));
    return attempts;
  }

  it('refuses every unsafe /v3 and /v3-public request with 422 InvalidCSRFToken, and runs every GET and HEAD as the read it is', async () => {
    const attempts = v3Attempts();
    expect(attempts.length).toBeGreaterThan(300);
    for (const attempt of attempts) {
      const { status, text } = await send(attempt);
      const label = `${attempt.method} ${attempt.path} ${attempt.contentType ?? ''} → ${status} ${text.slice(0, 200)}`;
      if (attempt.method === 'GET' || attempt.method === 'HEAD') {
        // A read (200), or a refusal of what a read cannot do: never a write, never a crash.
        expect([200, 404, 405], label).toContain(status);
      } else {
        expect(status, label).toBe(422);
        expect(JSON.parse(text), label).toMatchObject({ type: 'error', code: 'InvalidCSRFToken' });
      }
    }
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('refuses every GraphQL mutation sent with the cookie, by POST in any form content type or by GET', async () => {
    const clusterId = ids.get('cluster')!;
    const documents = [
      `mutation { deleteCluster(id: "${clusterId}") { id } }`,
      `mutation { updateCluster(id: "${clusterId}", input: { description: "csrf" }) { id } }`,
      'mutation { logoutToken { id } }',
      `mutation { createCluster(input: { name: "csrf" }) { id } }`,
      ...(await mutationNames()).map((name) => `mutation { ${name} { __typename } }`),
    ];
    for (const query of documents) {
      for (const form of formBodies) {
        const body =
          form.contentType === 'application/x-www-form-urlencoded'
            ? new URLSearchParams({ query }).toString()
            : form.contentType === 'text/plain'
              ? JSON.stringify({ query })
              : form.body;
        const refused = await send({ method: 'POST', path: '/graphql', ...form, body });
        expect(refused.status, `POST ${form.contentType} ${query}`).toBe(422);
        expect(JSON.parse(refused.text).errors[0].extensions).toEqual({ code: 'INVALID_INPUT', reason: 'InvalidCSRFToken' });
      }
      const viaGet = await send({ method: 'GET', path: `/graphql?query=${encodeURIComponent(query)}` });
      expect(viaGet.status, `GET ${query} → ${viaGet.text}`).toBe(405);
      const viaGetOverride = await send({ method: 'GET', path: `/graphql?_method=POST&query=${encodeURIComponent(query)}` });
      expect(viaGetOverride.status, `GET ?_method=POST ${query}`).toBe(405);
    }
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('refuses /v1 writes and unsafe /meta/proxy requests, and never lets ?_method turn a /v1 GET into a write', async () => {
    const name = (await v3(server, 'GET', `/v1/provisioning.cattle.io.clusters`)).body.data[0].metadata.name as string;
    const one = `/v1/provisioning.cattle.io.clusters/fleet-default/${name}`;
    for (const form of formBodies) {
      for (const [method, path] of [
        ['POST', '/v1/provisioning.cattle.io.clusters'],
        ['POST', '/v1/provisioning.cattle.io.clusters/fleet-default'],
        ['PUT', one],
        ['DELETE', one],
        ['PATCH', one],
      ] as const) {
        const refused = await send({ method, path, ...form });
        expect(refused.status, `${method} ${path}`).toBe(422);
        expect(JSON.parse(refused.text), `${method} ${path}`).toMatchObject({ kind: 'Status', code: 422 });
      }
      for (const method of [...unsafeMethods, 'PATCH']) {
        const refused = await send({ method, path: '/meta/proxy/api.digitalocean.com/v2/droplets', ...form });
        expect(refused.status, `${method} /meta/proxy`).toBe(422);
        expect(JSON.parse(refused.text)).toMatchObject({ type: 'error', code: 'InvalidCSRFToken' });
      }
    }
    for (const override of overrides) {
      const read = await send({ method: 'GET', path: `${one}?_method=${override}` });
      expect(read.status).toBe(200);
    }
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  /** Every field of every collection the admin can list, minus what reading itself updates. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const state: Record<string, unknown> = {};
    for (const schema of schemas) {
      if (!schema.links.collection) continue;
      const listed = await v3(server, 'GET', `${new URL(schema.links.collection).pathname}?limit=1000`);
      state[schema.id] = (listed.body?.data ?? []).map((item: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(item).filter(([key]) => !/lastUsed/i.test(key))),
      );
    }
    return state;
  }

  async function mutationNames(): Promise<string[]> {
    const result = await server.graphql(`{ __schema { mutationType { fields { name } } } }`);
    return result.data!.__schema.mutationType.fields.map((field: { name: string }) => field.name);
  }
});
