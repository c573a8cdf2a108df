import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetcher,
  GraphQLRequestError,
  LoginDocument,
  type LoginMutation,
  type LoginMutationVariables,
  LogoutDocument,
  type LogoutMutation,
  type LogoutMutationVariables,
  MeDocument,
  type MeQuery,
  type MeQueryVariables,
} from '@cattle-graph/client';
import { configureFor, failureOf } from './client-calls.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * The `Login` and `Logout` operations (client/operations/session.graphql) as a browser
 * app signs in with them (README, "Signing in from a browser app"): through the client's
 * own transport, by the hash of a trusted document, against a real server.
 */
describe('signing in and out with useLoginMutation / useLogoutMutation', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const configure = (headers: Record<string, string> = {}) => configureFor(server, headers);
  const logIn = (input: LoginMutationVariables['input']) => fetcher<LoginMutation, LoginMutationVariables>(LoginDocument, { input })();
  const logOut = () => fetcher<LogoutMutation, LogoutMutationVariables>(LogoutDocument)();
  const me = () => fetcher<MeQuery, MeQueryVariables>(MeDocument)();

  it('Login needs no credential and answers the session key once; it works as Bearer until Logout ends it', async () => {
    configure();
    const session = (await logIn({ username: 'admin', password: server.adminPassword, description: 'browser app' })).login;
    expect(session).toMatchObject({ description: 'browser app', enabled: true, expired: false, isDerived: false, current: false });
    expect(session.token).toMatch(new RegExp(`^${session.id}:.+`));

    configure({ authorization: `Bearer ${session.token}` });
    expect((await me()).me.username).toBe('admin');
    expect((await logOut()).logoutToken.id).toBe(session.id);

    const after = await failureOf(me());
    expect(after).toBeInstanceOf(GraphQLRequestError);
    expect(after).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('signs in on a server that runs only trusted documents: Login goes by its hash, before any credential', async () => {
    // Through /v3: a GraphQL document of its own would be refused once the setting is on.
    const trustedOnly = (value: boolean) =>
      v3(server, 'PUT', '/v3/settings/graphql-trusted-documents-only', { value: String(value) }).then((response) => response.status);
    expect(await trustedOnly(true)).toBe(200);
    try {
      configure();
      const session = (await logIn({ username: 'admin', password: server.adminPassword })).login;
      configure({ authorization: `Bearer ${session.token}` });
      expect((await me()).me.username).toBe('admin');
      await logOut();
    } finally {
      expect(await trustedOnly(false)).toBe(200);
    }
  });

  it('a wrong password is UNAUTHORIZED, with no session', async () => {
    configure();
    const refused = await failureOf(logIn({ username: 'admin', password: 'not the password' }));
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect(refused?.code).toBe('UNAUTHORIZED');
    expect(refused?.errors[0]?.path).toEqual(['login']);
  });

  it('Logout ends a cookie session too (R_SESS from the /v3-public login, as a browser sends it)', async () => {
    const response = await fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: server.adminPassword, responseType: 'cookie' }),
    });
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('R_SESS='))
      ?.split(';')[0];
    expect(cookie).toMatch(/^R_SESS=token-/);

    // A JSON body is what lets an unsafe request with the cookie past the CSRF check.
    configure({ cookie: cookie! });
    expect((await me()).me.username).toBe('admin');
    await logOut();
    expect(await failureOf(me())).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });
});
