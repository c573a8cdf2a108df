import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { redisReachable, redisUrl } from '../helpers/redis.js';
import { createScratchSchema, databaseTargets, postgresUrl } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

const password = 'a-long-enough-password';
let users = 0;

/** A user of its own, so that each test starts with an untouched count. */
async function newUser(server: TestApp, url = server.url): Promise<string> {
  users += 1;
  const username = `caller-${users}`;
  const created = await server.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { username, password } });
  expect(created.errors).toBeUndefined();
  return login(url, username, password);
}

async function setLimit(server: TestApp, perMinute: number): Promise<void> {
  const result = await server.graphql(`mutation($value: String!) { updateSetting(id: "api-rate-limit", input: { value: $value }) { value } }`, {
    value: String(perMinute),
  });
  expect(result.errors).toBeUndefined();
}

const v3 = (url: string, token: string) => fetch(`${url}/v3/clusters`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });

describe('the api-rate-limit setting on every face', () => {
  let server: TestApp;
  /** Callers made before the limit is lowered, so that the admin's own requests stay few. */
  let callers: string[];

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    callers = [];
    for (let index = 0; index < 6; index += 1) callers.push(await newUser(server));
    await setLimit(server, 5);
  });
  afterAll(() => server?.close());

  it('lets a user make the limit in a minute, then answers /v3 with 429 in Norman form', async () => {
    const token = callers[0]!;
    const remaining: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await v3(server.url, token);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit')).toBe('5');
      remaining.push(response.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const refused = await v3(server.url, token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: 'error', status: 429, code: 'TooManyRequests' });
  });

  it('refuses /v1 past the limit with 429 as a Kubernetes Status', async () => {
    const token = callers[5]!;
    const v1 = () => fetch(`${server.url}/v1/provisioning.cattle.io.clusters`, { headers: { authorization: `Bearer ${token}` } });
    for (let index = 0; index < 5; index += 1) expect((await v1()).status).toBe(200);
    const refused = await v1();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', code: 429 });
  });

  it('counts GraphQL and /v3 together, and refuses GraphQL with RATE_LIMITED', async () => {
    const token = callers[1]!;
    for (let index = 0; index < 5; index += 1) expect((await v3(server.url, token)).status).toBe(200);
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    // The status and headers say it; the body's extensions hold the code alone, as Yoga's own errors do.
    expect(((await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> }).errors[0]!.extensions).toEqual({ code: 'RATE_LIMITED' });
  });

  it('counts each user separately, whichever of their keys they use', async () => {
    const [first, second] = [callers[2]!, callers[3]!];
    for (let index = 0; index < 5; index += 1) expect((await v3(server.url, first)).status).toBe(200);
    expect((await v3(server.url, first)).status).toBe(429);
    expect((await v3(server.url, second)).status).toBe(200);
  });

  it('takes a changed limit without a restart', async () => {
    const token = callers[4]!;
    await setLimit(server, 1_000);
    for (let index = 0; index < 8; index += 1) expect((await v3(server.url, token)).status).toBe(200);
    await setLimit(server, 5);
  });

  it('limits anonymous login attempts per address', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'not the password' }),
        }).then((response) => response.status),
      ),
    );
    expect(attempts).toContain(429);
    expect(attempts.filter((status) => status !== 429).every((status) => status === 401)).toBe(true);
  });
});

describe.skipIf(!redisReachable || !postgresReachable)('one limit across instances sharing PostgreSQL and Redis', () => {
  let scratch: Awaited<ReturnType<typeof createScratchSchema>>;
  let first: TestApp;
  let second: TestApp;
  let token: string;

  beforeAll(async () => {
    scratch = await createScratchSchema(postgresUrl);
    // Each instance reads the limit afresh: this suite is about counting, not about how a setting spreads.
    first = await startTestApp({ name: 'pglite' }, { databaseUrl: scratch.url, redisUrl }, { cacheLifetimes: { settings: 0 } });
    second = await startTestApp({ name: 'pglite' }, { databaseUrl: scratch.url, redisUrl }, { cacheLifetimes: { settings: 0 } });
    token = await newUser(first);
    await setLimit(first, 3);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await scratch?.drop();
  });

  it('refuses the request after the limit, whichever instance counted the others', async () => {
    const statuses = [];
    for (const server of [first, second, first, second]) statuses.push((await v3(server.url, token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const me = await graphqlAs(second.url, token, '{ me { id } }');
    expect(me.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
