import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedAuthentications } from '../../src/auth/failed-authentications.js';
import { createRequestLimiter } from '../../src/rate-limit/request-limiter.js';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import type { Json } from '../helpers/json.js';
import { databaseTargets } from '../helpers/targets.js';
import { createKey, expectNormanError, expectNormanUnauthorized, secretOf, v3With } from './helpers.js';

/** A well-formed key id that names no key, new each time (ids are random: nothing remembers it). */
let made = 0;
const madeUpKey = (secret: string) => `Bearer token-zz${(made++).toString(36).padStart(3, '0')}:${secret}`;

describe('FailedAuthentications', () => {
  it('refuses an address once it is over its count, for the rest of the window, and only that address', async () => {
    let now = 1_000_000;
    const limiter = createRequestLimiter();
    const failures = new FailedAuthentications(
      (address) => limiter.consume(`address:${address}`, 3),
      () => now,
    );
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await failures.record('10.0.0.1');
      expect(failures.refusalFor('10.0.0.1')).toBeUndefined();
    }
    await failures.record('10.0.0.1');
    const refusal = failures.refusalFor('10.0.0.1');
    expect(refusal?.code).toBe('RATE_LIMITED');
    expect(Number(refusal?.details.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(Number(refusal?.details.headers?.['retry-after'])).toBeLessThanOrEqual(60);
    expect(failures.refusalFor('10.0.0.2')).toBeUndefined();
    now += 61_000;
    expect(failures.refusalFor('10.0.0.1')).toBeUndefined();
  });
});

describe.each(databaseTargets)('failed authentications counted per address, on $name', (target) => {
  let server: TestApp;
  let key: Record<string, Json>;
  const limit = 5;
  beforeAll(async () => {
    server = await startTestApp(target);
    key = await createKey(server, server.token, { name: 'never used yet' });
    // The admin's requests count against the admin; failures and anonymous requests against the address.
    const lowered = await graphqlAs(server.url, server.token, `mutation { updateSetting(id: "api-rate-limit", input: { value: "${limit}" }) { value } }`);
    expect(lowered.errors).toBeUndefined();
  });
  afterAll(() => server?.close());

  it('answers 429 instead of reading unknown keys once an address failed too often, and keeps working keys in memory working', async () => {
    const tokenReads = () => server.queries.filter((sql) => /FROM "[^"]+"\."Token"/.test(sql)).length;
    const secret = secretOf(key.token as string);
    // The count's own window allows `limit`; the one beyond it is still answered (and read), and refuses what follows.
    for (let attempt = 0; attempt <= limit; attempt += 1) expectNormanUnauthorized(await v3With(server, { authorization: madeUpKey(secret) }));

    const readsBefore = tokenReads();
    const refused = await v3With(server, { authorization: madeUpKey(secret) });
    expectNormanError(refused, 429, 'TooManyRequests');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Every face refuses in its own format.
    const overGraphQL = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: madeUpKey(secret) },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(overGraphQL.status).toBe(429);
    expect(((await overGraphQL.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    const overV1 = await fetch(`${server.url}/v1/provisioning.cattle.io.clusters`, { headers: { authorization: madeUpKey(secret) } });
    expect(overV1.status).toBe(429);
    expect(await overV1.json()).toMatchObject({ kind: 'Status', code: 429, reason: 'TooManyRequests' });
    // A real key that is not in memory yet waits too: nothing is read from the database for this address.
    expectNormanError(await v3With(server, { authorization: `Bearer ${key.token}` }), 429, 'TooManyRequests');
    expect(tokenReads()).toBe(readsBefore);

    // The admin's key, in memory, still works from the same address.
    expect((await v3With(server, { authorization: `Bearer ${server.token}` })).status).toBe(200);
  });
});
