import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetcher,
  GraphQLRequestError,
  LoginDocument,
  type LoginMutation,
  type LoginMutationVariables,
  MeDocument,
  type MeQuery,
  type MeQueryVariables,
} from '@cattle-graph/client';
import { retryAfterSeconds } from '../../client/src/retry-after.js';
import { configureFor, failureOf } from './client-calls.js';
import { login, startTestApp, type TestApp } from '../helpers/app.js';

/**
 * What a UI needs to back off from a refusal: `GraphQLRequestError.headers` and
 * `retryAfter` (client/src/errors.ts), read from a real server's answers.
 */
describe('GraphQLRequestError: response headers and retryAfter', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const configure = (headers: Record<string, string> = {}) => configureFor(server, headers);
  const setRequestLimit = async (perMinute: number) => {
    const set = await server.graphql(`mutation($value: String!) { updateSetting(id: "api-rate-limit", input: { value: $value }) { value } }`, {
      value: String(perMinute),
    });
    expect(set.errors).toBeUndefined();
  };

  it('a field error in a 200 answer carries its headers and no retryAfter', async () => {
    configure({ authorization: `Bearer ${server.token}` });
    const missing = await failureOf(
      fetcher<{ deleteCluster: { id: string } }, { id: string }>(`mutation ($id: ID!) { deleteCluster(id: $id) { id } }`, { id: 'c-missing' })(),
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 200, retryAfter: undefined });
    expect(missing?.headers.get('x-ratelimit-limit')).toBe('1000000');
  });

  it('a field limit (login: 10 a minute per address and username) is a 429 with Retry-After: its window, after which no counted call counts', async () => {
    configure();
    const tryLogin = () =>
      failureOf(fetcher<LoginMutation, LoginMutationVariables>(LoginDocument, { input: { username: 'someone-guessed', password: 'guess' } })());
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await tryLogin())?.code).toBe('UNAUTHORIZED');
    const limited = await tryLogin();
    expect(limited).toBeInstanceOf(GraphQLRequestError);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 60 });
    expect(limited?.headers.get('retry-after')).toBe('60');
  });

  it('the per-minute request limit is a 429 with Retry-After: retryAfter in seconds, and the RateLimit headers', async () => {
    // A user of its own, made before the limit is lowered, so that its count starts at none.
    const created = await server.graphql(`mutation { createUser(input: { username: "backs-off", password: "a-long-enough-password" }) { id } }`);
    expect(created.errors).toBeUndefined();
    const token = await login(server.url, 'backs-off', 'a-long-enough-password');
    await setRequestLimit(3);
    try {
      configure({ authorization: `Bearer ${token}` });
      const me = () => fetcher<MeQuery, MeQueryVariables>(MeDocument)();
      for (let request = 0; request < 3; request += 1) expect((await me()).me.username).toBe('backs-off');
      const refused = await failureOf(me());
      expect(refused).toBeInstanceOf(GraphQLRequestError);
      expect(refused).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(refused?.headers.get('x-ratelimit-limit')).toBe('3');
      expect(refused?.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused?.retryAfter).toBe(Number(refused?.headers.get('retry-after')));
      expect(refused?.retryAfter).toBeGreaterThan(0);
      expect(refused?.retryAfter).toBeLessThanOrEqual(60);
    } finally {
      await setRequestLimit(1_000_000);
    }
  });

  it('a request that never got an answer has empty headers and no retryAfter', async () => {
    configureFor({ url: 'http://127.0.0.1:1' });
    const offline = await failureOf(fetcher<MeQuery, MeQueryVariables>(MeDocument)());
    expect(offline).toMatchObject({ code: 'NETWORK_ERROR', status: 0, retryAfter: undefined });
    expect([...(offline?.headers ?? [])]).toEqual([]);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delay-seconds and HTTP dates (rounded up), and nothing else', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:30 GMT');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('0', now)).toBe(0);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', now + 500)).toBe(30);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    for (const unreadable of [null, '', '  ', '-5', '1.5', 'soon', 'Someday']) expect(retryAfterSeconds(unreadable, now)).toBeUndefined();
  });

  it('is what GraphQLRequestError.retryAfter holds, from the headers it was given', () => {
    const error = new GraphQLRequestError([{ message: 'down for a moment', extensions: { code: 'UNAVAILABLE' } }], 503, {
      headers: new Headers({ 'retry-after': '5' }),
    });
    expect(error.retryAfter).toBe(5);
  });
});
