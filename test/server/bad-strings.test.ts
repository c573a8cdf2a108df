import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../../src/errors.js';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * Strings PostgreSQL cannot store (U+0000, a lone surrogate) are the caller's bad
 * input on every face — refused before the database, never a 500 — and the
 * database's own encoding refusals map to the same code when something gets through.
 */
describe.each(databaseTargets)('NUL bytes and invalid Unicode on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  const expectNorman422 = (response: { status: number; body: Record<string, unknown> }, fieldName?: string) => {
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    expect(response.body).toMatchObject({ type: 'error', baseType: 'error', status: 422, code: 'InvalidCharacters', ...(fieldName ? { fieldName } : {}) });
  };

  it.each([
    ['/v3/clusters/%00', 'id'],
    ['/v3/clusters?name=%00', 'filter.name.eq'],
    ['/v3/projects?clusterId=%00', 'filter.clusterId.eq'],
    ['/v3/settings/%00', 'id'],
    ['/v3/clusters/a%00b/projects', 'id'],
    ['/v3/users?username_prefix=%00', 'filter.username.prefix'],
  ])('GET %s answers 422 InvalidCharacters in Norman form', async (path, fieldName) => {
    expectNorman422(await v3(server, 'GET', path), fieldName);
  });

  it('refuses a body string with NUL or a lone surrogate on /v3, naming the field', async () => {
    expectNorman422(await v3(server, 'POST', '/v3/clusters', '{"name":"a\\u0000b"}'), 'name');
    expectNorman422(await v3(server, 'POST', '/v3/clusters', '{"name":"ok","description":"\\ud800"}'), 'description');
    expectNorman422(await v3(server, 'POST', '/v3/clusters', '{"name":"ok","labels":{"a\\u0000":"x"}}'), 'labels');
  });

  it('refuses the anonymous login with a NUL in the username, on the REST and GraphQL faces', async () => {
    expectNorman422(
      await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', '{"username":"a\\u0000","password":"x"}'),
      'username',
    );
    const viaGraphQL = await graphqlAs(server.url, undefined, `mutation($input: LoginInput!) { login(input: $input) { id } }`, {
      input: { username: 'a\u0000', password: 'x' },
    });
    expect(viaGraphQL.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'username', reason: 'InvalidCharacters' });
  });

  it('refuses NUL and lone surrogates in GraphQL variables and literals with INVALID_INPUT and the field', async () => {
    const literal = await server.graphql(`mutation { createCluster(input: { name: "a\\u0000b" }) { id } }`);
    expect(literal.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'name' });
    const variable = await server.graphql(`query($name: String) { clusters(filter: { name: { eq: $name } }) { totalCount } }`, { name: '\udc00' });
    expect(variable.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'name' });
    const inList = await server.graphql(`{ clusters(filter: { name: { in: ["ok", "x\\u0000"] } }) { totalCount } }`);
    expect(inList.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'filter.name.in.1' });
  });

  it('refuses a value nested deeper than 100 levels, on GraphQL and /v3, instead of running out of stack', async () => {
    const place = await createPlace(server);
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const graphql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: `{"query":"mutation($r: JSON!, $p: ID!) { createDockerCredential(input: { name: \\"deep\\", projectId: $p, registries: $r }) { id } }","variables":{"p":${JSON.stringify(place.projectId)},"r":{"a.example":${deep}}}}`,
    });
    const answer = (await graphql.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
    expect(answer.errors?.map((error) => error.extensions)).toEqual([{ code: 'INVALID_INPUT', reason: 'MaxLimitExceeded', fieldName: 'r.a.example.0' }]);
    expect(answer.errors?.[0]?.message).toBe('r.a.example.0 nests deeper than 100 levels');
    const rest = await v3(server, 'POST', `/v3/project/${place.projectId}/dockercredentials`, `{"name":"deep","registries":{"a.example":${deep}}}`);
    expect(rest.status, JSON.stringify(rest.body)).toBe(422);
    expect(rest.body).toMatchObject({ type: 'error', code: 'MaxLimitExceeded' });
    // Shallow enough, the same value is checked as any other (and refused here for its shape, not its depth).
    const shallow = await v3(
      server,
      'POST',
      `/v3/project/${place.projectId}/dockercredentials`,
      `{"name":"shallow","registries":{"a.example":${'['.repeat(50)}${']'.repeat(50)}}}`,
    );
    expect(shallow.body).not.toMatchObject({ code: 'MaxLimitExceeded' });
    expect(shallow.status).toBe(422);
  });

  it('answers /v1 with a Kubernetes Status 422', async () => {
    for (const path of ['/v1/provisioning.cattle.io.clusters/fleet-default/%00', '/v1/provisioning.cattle.io.clusters/fleet-default/a%00b']) {
      const response = await v3(server, 'GET', path);
      expect(response.status, JSON.stringify(response.body)).toBe(422);
      expect(response.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    }
  });

  it('refuses percent-escapes that are not UTF-8 in paths and queries, in each face’s format', async () => {
    for (const path of ['/v3/clusters/%E0%A4%A', '/v3/clusters/%FF', '/v3/clusters?name=%FF%FE', '/v3/clusters?name=%C3'])
      expectNorman422(await v3(server, 'GET', path));
    const v1 = await v3(server, 'GET', '/v1/provisioning.cattle.io.clusters/fleet-default/%FF');
    expect(v1.status, JSON.stringify(v1.body)).toBe(422);
    expect(v1.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    const graphqlGet = await fetch(`${server.url}/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D%23%FF`, {
      headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' },
    });
    expect(((await graphqlGet.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      reason: 'InvalidCharacters',
    });
    // Well-formed escapes of any script still pass, and a `%` that starts no escape is a literal `%`.
    expect((await v3(server, 'GET', `/v3/clusters?name=${encodeURIComponent('日本-é')}`)).status).toBe(200);
    expect((await v3(server, 'GET', '/v3/clusters?name=100%')).status).toBe(200);
    // A NUL is still named by the GraphQL layer (above); an escape that is not one at all is a 404 as before.
    expect((await v3(server, 'GET', '/v3/clusters/%zz')).body).toMatchObject({ type: 'error', status: 404 });
    expect(
      (await fetch(`${server.url}/graphql?query=%00`, { headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' } })).status,
    ).toBeLessThan(500);
  });

  it('refuses request bodies that are not UTF-8 on every face, instead of storing U+FFFD', async () => {
    const notUtf8 = (before: string, after: string) => Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]);
    expectNorman422(await v3(server, 'POST', '/v3/clusters', notUtf8('{"name":"utf8-probe', '"}')));
    expectNorman422(await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', notUtf8('{"username":"admin', '","password":"x"}')));
    const v1 = await v3(server, 'POST', '/v1/provisioning.cattle.io.clusters', notUtf8('{"metadata":{"name":"utf8-probe', '","namespace":"fleet-default"}}'));
    expect(v1.status, JSON.stringify(v1.body)).toBe(422);
    expect(v1.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });

    const mutation = (name: string) => `mutation { createCluster(input: { name: "${name}" }) { id } }`;
    const viaGraphQL = async (contentType: string, body: Uint8Array) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': contentType, accept: 'application/json' },
        body: new Uint8Array(body),
      });
      return ((await response.json()) as { errors?: Array<{ extensions?: unknown }> }).errors?.[0]?.extensions;
    };
    const refused = { code: 'INVALID_INPUT', reason: 'InvalidCharacters' };
    expect(await viaGraphQL('application/json', notUtf8(`{"query":${JSON.stringify(mutation('utf8-probe'))},"variables":{"n":"`, '"}}'))).toMatchObject(
      refused,
    );
    expect(await viaGraphQL('application/json', notUtf8(`{"query":"mutation { createCluster(input: { name: "utf8-probe`, '" }) { id } }"}'))).toMatchObject(
      refused,
    );
    expect(await viaGraphQL('application/graphql', notUtf8('mutation { createCluster(input: { name: "utf8-probe', '" }) { id } }'))).toMatchObject(refused);
    expect(
      await viaGraphQL(
        'application/x-www-form-urlencoded',
        Buffer.from(`query=${encodeURIComponent(mutation('utf8-probe'))}`.replace('utf8-probe', 'utf8-probe%FF')),
      ),
    ).toMatchObject(refused);

    // Nothing was stored; a well-formed body of the same shape still creates.
    expect((await server.graphql(`{ clusters(filter: { name: { prefix: "utf8-probe" } }) { totalCount } }`)).data).toEqual({ clusters: { totalCount: 0 } });
    const wellFormed = `mutation { createCluster(input: { name: "utf8-probe", description: "日本-é" }) { id } }`;
    expect(await viaGraphQL('application/x-www-form-urlencoded', Buffer.from(`query=${encodeURIComponent(wellFormed)}`))).toBeUndefined();
    expect((await server.graphql(`{ clusters(filter: { name: { prefix: "utf8-probe" } }) { totalCount } }`)).data).toEqual({ clusters: { totalCount: 1 } });
  });

  it('maps PostgreSQL’s own encoding refusal (SQLSTATE 22021) to INVALID_INPUT', async () => {
    const refusal = await server.app.database.prisma.$queryRawUnsafe('SELECT $1::text', 'a\u0000b').then(
      () => undefined,
      (error: unknown) => error,
    );
    const mapped = toApiError(refusal);
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'InvalidCharacters' } });
  });
});
