import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { createUser, expectGraphQLError, expectNormanError, expectNormanUnauthorized, statusWith, userPassword } from './helpers.js';

const loginPath = '/v3-public/localProviders/local?action=login';

describe.each(databaseTargets)('login and logout on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
    // Each login face counts toward one limit per username (10 a minute), so the later tests log in users of their own.
    for (const username of ['carol', 'cookie-carol', 'logout-carol', 'graphql-logout-carol', 'sessions-carol']) await createUser(server, username);
  });
  afterAll(() => server?.close());

  const publicLogin = (body: unknown) => v3({ url: server.url }, 'POST', loginPath, body);
  const graphqlLogin = (input: Record<string, unknown>) =>
    graphqlAs(server.url, undefined, `mutation($input: LoginInput!) { login(input: $input) { id userId ttl expiresAt description isDerived token } }`, {
      input,
    });

  it('answers 201 with a Rancher token object whose token is token-xxxxx:<secret>', async () => {
    const response = await publicLogin({ username: 'carol', password: userPassword, ttl: 3_600_000, description: 'my laptop' });
    expect(response.status).toBe(201);
    const token = response.body;
    expect(token).toMatchObject({
      type: 'token',
      baseType: 'token',
      authProvider: 'local',
      description: 'my laptop',
      ttl: 3_600_000,
      enabled: true,
      expired: false,
      isDerived: false,
    });
    expect(token.id).toMatch(/^token-[a-z0-9]{5,}$/);
    expect(token.token).toMatch(new RegExp(`^${token.id}:[A-Za-z0-9_-]{43,}$`));
    expect(Date.parse(token.expiresAt) - Date.parse(token.created)).toBe(3_600_000);

    const me = await graphqlAs(server.url, token.token, `{ me { id username } }`);
    expect(me.data!.me).toEqual({ id: token.userId, username: 'carol' });
  });

  it('logs in through the GraphQL login mutation without a credential', async () => {
    const result = await graphqlLogin({ username: 'carol', password: userPassword, description: 'graphql' });
    expect(result.errors).toBeUndefined();
    const token = result.data!.login;
    expect(token).toMatchObject({ description: 'graphql', isDerived: false });
    expect(token.token).toMatch(new RegExp(`^${token.id}:`));
    expect(await statusWith(server, token.token)).toBe(200);
  });

  it('gives a wrong username and a wrong password the same 401 body, in both faces', async () => {
    const wrongUser = await publicLogin({ username: 'nobody-here', password: userPassword });
    const wrongPassword = await publicLogin({ username: 'carol', password: 'not the password at all' });
    expectNormanError(wrongUser, 401, 'Unauthorized');
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual(wrongUser.body);

    const graphqlWrongUser = await graphqlLogin({ username: 'nobody-here', password: userPassword });
    const graphqlWrongPassword = await graphqlLogin({ username: 'carol', password: 'not the password at all' });
    expectGraphQLError(graphqlWrongUser, 'UNAUTHORIZED');
    expect(graphqlWrongPassword).toEqual(graphqlWrongUser);
  });

  it('refuses a disabled user with the same answer as a wrong password', async () => {
    const id = await createUser(server, 'dave');
    await server.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { enabled: false }) { id } }`, { id });
    const refused = await publicLogin({ username: 'dave', password: userPassword });
    const wrong = await publicLogin({ username: 'carol', password: 'not the password at all' });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);
    expectGraphQLError(await graphqlLogin({ username: 'dave', password: userPassword }), 'UNAUTHORIZED');
  });

  it('refuses a login without username or password, or with a body that is not JSON, and never with 500', async () => {
    const missing = await publicLogin({ username: 'carol' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ type: 'error', code: 'MissingRequired', fieldName: 'password' });
    const garbage = await publicLogin('{not json');
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ type: 'error', baseType: 'error', status: 400 });
    const negative = await publicLogin({ username: 'carol', password: userPassword, ttl: -1 });
    expect(negative.status).toBe(422);
  });

  it.each([
    // (A number is text to Norman, `42` the description "42"; a list is not.)
    [{ description: [42] }, 'description', 'InvalidFormat'],
    [{ description: { nested: true } }, 'description', 'InvalidFormat'],
    [{ description: 'd'.repeat(5000) }, 'description', 'MaxLengthExceeded'],
    [{ responseType: 5 }, 'responseType', 'InvalidFormat'],
    [{ ttl: 9e15 }, 'ttl', 'MaxLimitExceeded'],
  ])('refuses %j with 422 on that field, never 500', async (extra, fieldName, code) => {
    const response = await publicLogin({ username: 'carol', password: userPassword, ...extra });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ type: 'error', baseType: 'error', status: 422, code, fieldName });
  });

  it('refuses an absurd ttl in the GraphQL login with INVALID_INPUT on ttl', async () => {
    expectGraphQLError(await graphqlLogin({ username: 'carol', password: userPassword, ttl: 9e15 }), 'INVALID_INPUT', 'ttl');
  });

  it('sets the R_SESS session cookie and a CSRF cookie for responseType cookie, without the secret in the body', async () => {
    const response = await fetch(`${server.url}${loginPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'cookie-carol', password: userPassword, responseType: 'cookie' }),
    });
    expect(response.status).toBe(201);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith('R_SESS='));
    expect(session).toMatch(/^R_SESS=token-[a-z0-9]+:[A-Za-z0-9_-]+; HttpOnly; Path=\/; SameSite=Lax/);
    expect(cookies.some((cookie) => /^CSRF=[0-9a-f]{32}; Path=\/; SameSite=Lax/.test(cookie))).toBe(true);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.token).toBeUndefined();
    expect(body.id).toBe(/^R_SESS=([^:]+):/.exec(session!)![1]);
  });

  it('ends the session with POST /v3/tokens?action=logout: the key answers 401 afterwards', async () => {
    const token = await login(server.url, 'logout-carol', userPassword);
    expect(await statusWith(server, token)).toBe(200);
    const out = await v3({ url: server.url, token }, 'POST', '/v3/tokens?action=logout', {});
    expect(out.status).toBe(200);
    expect(await statusWith(server, token)).toBe(401);
    expectNormanUnauthorized(await v3({ url: server.url, token }, 'GET', '/v3/tokens'));
  });

  it('ends the session with the GraphQL logoutToken mutation', async () => {
    const token = await login(server.url, 'graphql-logout-carol', userPassword);
    const out = await graphqlAs(server.url, token, `mutation { logoutToken { id } }`);
    expect(out.errors).toBeUndefined();
    expect(out.data!.logoutToken.id).toBe(token.split(':')[0]);
    expectGraphQLError(await graphqlAs(server.url, token, `{ me { id } }`), 'UNAUTHORIZED');
    expect(await statusWith(server, token)).toBe(401);
  });

  it('logs out only the session that asks, not the user’s other sessions', async () => {
    const first = await login(server.url, 'sessions-carol', userPassword);
    const second = await login(server.url, 'sessions-carol', userPassword);
    await graphqlAs(server.url, first, `mutation { logoutToken { id } }`);
    expect(await statusWith(server, first)).toBe(401);
    expect(await statusWith(server, second)).toBe(200);
  });
});
