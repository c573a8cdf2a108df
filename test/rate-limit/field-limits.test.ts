import type { GraphQLResolveInfo } from 'graphql';
import { getGraphQLRateLimiter } from 'graphql-rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from 'graphql-rate-limit';
import { createFieldLimitStore } from '../../src/rate-limit/field-limit-store.js';
import { closeRedis, connectRedis, whenRedisReady } from '../../src/rate-limit/redis.js';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { keysUnder, patientCommandTimeoutMs, redisReachable, redisUrl, suiteKeyPrefix } from '../helpers/redis.js';

/** How many of `calls` concurrent calls a limit of `max` lets through, spread over the stores. */
async function allowedOf(stores: Store[], calls: number, max: number): Promise<number> {
  const limiters = stores.map((store) => getGraphQLRateLimiter({ store, identifyContext: (context: { id: string }) => context.id }));
  const context = { id: `burst-${Date.now()}-${Math.random()}` };
  const info = { fieldName: 'costly' } as GraphQLResolveInfo;
  const refusals = await Promise.all(
    Array.from({ length: calls }, (_, index) => limiters[index % limiters.length]!({ parent: null, args: {}, context, info }, { max, window: '1m' })),
  );
  return refusals.filter((refusal) => refusal === undefined).length;
}

describe('the atomic field-limit store under graphql-rate-limit', () => {
  it('in memory, lets exactly the limit of a concurrent burst through', async () => {
    expect(await allowedOf([createFieldLimitStore()], 300, 100)).toBe(100);
  });

  it.skipIf(!redisReachable)('through Redis, two instances together let exactly the limit through', async () => {
    const connections = await Promise.all([
      connectRedis(redisUrl, { keyPrefix: suiteKeyPrefix, commandTimeoutMs: patientCommandTimeoutMs }),
      connectRedis(redisUrl, { keyPrefix: suiteKeyPrefix, commandTimeoutMs: patientCommandTimeoutMs }),
    ]);
    await Promise.all(connections.map((redis) => whenRedisReady(redis)));
    try {
      expect(
        await allowedOf(
          connections.map((redis) => createFieldLimitStore(redis)),
          300,
          100,
        ),
      ).toBe(100);
      // The script's key got the prefix too (ioredis adds it to a script's KEYS).
      const written = await keysUnder(`${suiteKeyPrefix}field-limit:burst-`);
      expect(written).toHaveLength(1);
      expect(await keysUnder(written[0]!.slice(suiteKeyPrefix.length))).toEqual([]);
    } finally {
      await Promise.all(connections.map(closeRedis));
    }
  });
});

describe('field limits declared on the schema', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const loginMutation = `mutation($input: LoginInput!) { login(input: $input) { id } }`;
  const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.code ?? 'ok';

  it('stops guessing at one username after ten tries a minute, even with the right password, and not other usernames', async () => {
    const created = await server.graphql(`mutation { createUser(input: { username: "guessed", password: "the-right-password" }) { id } }`);
    expect(created.errors).toBeUndefined();
    const tries = [];
    for (let index = 0; index < 10; index += 1)
      tries.push(codeOf(await graphqlAs(server.url, undefined, loginMutation, { input: { username: 'guessed', password: `wrong-${index}` } })));
    expect(tries).toEqual(Array(10).fill('UNAUTHORIZED'));
    const right = await graphqlAs(server.url, undefined, loginMutation, { input: { username: 'guessed', password: 'the-right-password' } });
    expect(codeOf(right)).toBe('RATE_LIMITED');
    expect(right.errors?.[0]?.message).toMatch(/login may be called 10 times per 60 s/);
    // Other usernames have their own count.
    expect(codeOf(await graphqlAs(server.url, undefined, loginMutation, { input: { username: 'admin', password: server.adminPassword } }))).toBe('ok');
  });

  it('holds every login face to ONE count per address and username: GraphQL, the REST login and its cookie form', async () => {
    await server.graphql(`mutation { createUser(input: { username: "everyface", password: "the-right-password" }) { id } }`);
    const restLogin = (body: Record<string, unknown>) =>
      fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        retryAfter: response.headers.get('retry-after'),
      }));
    const wrong = (index: number) => ({ username: 'everyface', password: `wrong-${index}` });
    const tries: Array<string | number> = [];
    for (let index = 0; index < 4; index += 1) tries.push(String(codeOf(await graphqlAs(server.url, undefined, loginMutation, { input: wrong(index) }))));
    for (let index = 4; index < 7; index += 1) tries.push((await restLogin(wrong(index))).status);
    for (let index = 7; index < 10; index += 1) tries.push((await restLogin({ ...wrong(index), responseType: 'cookie' })).status);
    expect(tries).toEqual([...Array(4).fill('UNAUTHORIZED'), ...Array(6).fill(401)]);

    // The eleventh try is refused on every face, the right password included.
    const right = { username: 'everyface', password: 'the-right-password' };
    expect(codeOf(await graphqlAs(server.url, undefined, loginMutation, { input: right }))).toBe('RATE_LIMITED');
    for (const body of [right, { ...right, responseType: 'cookie' }]) {
      const refused = await restLogin(body);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ type: 'error', baseType: 'error', status: 429 });
      expect(String(refused.body.message)).toMatch(/login may be called 10 times per 60 s/);
    }
  });

  it('counts guesses by address and username whoever is signed in: an attacker’s own keys open no new count', async () => {
    await server.graphql(`mutation { createUser(input: { username: "targeted", password: "the-right-password" }) { id } }`);
    await server.graphql(`mutation { createUser(input: { username: "attacker", password: "attacker-password" }) { id } }`);
    const attacker = await login(server.url, 'attacker', 'attacker-password');
    const guess = (index: number) => ({ username: 'targeted', password: `wrong-${index}` });
    const tries: unknown[] = [];
    for (let index = 0; index < 5; index += 1) tries.push(codeOf(await graphqlAs(server.url, undefined, loginMutation, { input: guess(index) })));
    for (let index = 5; index < 10; index += 1) tries.push(codeOf(await graphqlAs(server.url, attacker, loginMutation, { input: guess(index) })));
    expect(tries).toEqual(Array(10).fill('UNAUTHORIZED'));
    // The eleventh guess, with the key or without, meets the same count.
    expect(codeOf(await graphqlAs(server.url, attacker, loginMutation, { input: guess(10) }))).toBe('RATE_LIMITED');
    expect(codeOf(await graphqlAs(server.url, undefined, loginMutation, { input: guess(11) }))).toBe('RATE_LIMITED');
  });

  it('counts aliases one by one', async () => {
    await server.graphql(`mutation { createUser(input: { username: "aliased", password: "aliased-password" }) { id } }`);
    // Root mutation fields run one after another; the first refusal ends the operation.
    const aliases = Array.from({ length: 12 }, (_, index) => `a${index}: login(input: { username: "aliased", password: "aliased-password" }) { id }`).join(' ');
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { ${aliases} }` }),
    });
    const body = (await response.json()) as { errors: Array<{ path: string[]; extensions: { code: string } }> };
    expect(body.errors.map((error) => [error.path[0], error.extensions.code])).toEqual([['a10', 'RATE_LIMITED']]);
  });

  it('counts a deprecated alias against the limit of the mutation it stands for', async () => {
    const { data } = await server.graphql(`mutation { createUser(input: { username: "two-names", password: "two-names-password" }) { id } }`);
    const token = await login(server.url, 'two-names', 'two-names-password');
    const codes: string[] = [];
    // changeUserPassword allows 5 a minute; its old name userChangePassword must not add 5 more.
    for (const name of ['changeUserPassword', 'userChangePassword', 'changeUserPassword', 'userChangePassword', 'changeUserPassword', 'userChangePassword']) {
      const mutation = `mutation($id: ID!) { ${name}(id: $id, input: { currentPassword: "not-the-password", newPassword: "a-new-password" }) { id } }`;
      codes.push(String(codeOf(await graphqlAs(server.url, token, mutation, { id: data!.createUser.id }))));
    }
    expect(codes.slice(0, 5)).not.toContain('RATE_LIMITED');
    expect(codes[5]).toBe('RATE_LIMITED');
  });

  it('limits a user’s key creation across GraphQL and /v3, under a concurrent burst', async () => {
    await server.graphql(`mutation { createUser(input: { username: "keymaker", password: "keymaker-password" }) { id } }`);
    const token = await login(server.url, 'keymaker', 'keymaker-password');
    const viaGraphQL = Array.from({ length: 20 }, () => graphqlAs(server.url, token, `mutation { createToken(input: { name: "burst" }) { id } }`).then(codeOf));
    const viaV3 = Array.from({ length: 20 }, () =>
      fetch(`${server.url}/v3/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"name":"burst"}',
      }).then((response) => (response.status === 201 ? 'ok' : response.status === 429 ? 'RATE_LIMITED' : String(response.status))),
    );
    const outcomes = await Promise.all([...viaGraphQL, ...viaV3]);
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(30);
    expect(outcomes.filter((outcome) => outcome === 'RATE_LIMITED')).toHaveLength(10);
  });
});
