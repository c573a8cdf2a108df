import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { basic, createKey, expectNormanUnauthorized, rawRequest, secretOf, v3With } from './helpers.js';
import type { Json } from '../helpers/json.js';

describe.each(databaseTargets)('malformed and wrong credentials on $name', (target) => {
  let server: TestApp;
  let key: Record<string, Json>;
  beforeAll(async () => {
    server = await startTestApp(target);
    key = await createKey(server, server.token, { name: 'real' });
  });
  afterAll(() => server?.close());

  /** The real key with its secret's last character changed: right id, right length, wrong secret. */
  const wrongSecret = () => `${key.id}:${secretOf(key.token).slice(0, -1)}${secretOf(key.token).endsWith('A') ? 'B' : 'A'}`;

  const authorizations: Array<[string, () => string]> = [
    ['garbage', () => 'garbage'],
    ['an unknown scheme', () => `Token ${key.token}`],
    ['Basic !!!', () => 'Basic !!!'],
    ['Basic without a value', () => 'Basic'],
    ['Basic without a colon', () => `Basic ${Buffer.from(key.id).toString('base64')}`],
    ['Basic with an empty secret', () => basic(`${key.id}:`)],
    ['Basic with the wrong secret', () => basic(wrongSecret())],
    ['Bearer with an unknown key', () => `Bearer token-zzzzz:${secretOf(key.token)}`],
    ['Bearer with the key id only', () => `Bearer ${key.id}`],
    ['Bearer with a truncated secret', () => `Bearer ${key.token.slice(0, -1)}`],
    ['Bearer with a secret one character too long', () => `Bearer ${key.token}x`],
    ['Bearer with the wrong secret of the right length', () => `Bearer ${wrongSecret()}`],
    ['Bearer with the secret hash', () => `Bearer ${key.id}:${'0'.repeat(64)}`],
    ['a 7 KB value', () => `Bearer ${key.id}:${'a'.repeat(7 * 1024)}`],
    ['many spaces and no key', () => `Bearer${' '.repeat(2000)}x`],
    ['only spaces after the scheme', () => `Basic${' '.repeat(2000)}`],
  ];

  it.each(authorizations)('answers %s with 401 on /v3, Norman-shaped', async (_what, authorization) => {
    expectNormanUnauthorized(await v3With(server, { authorization: authorization() }));
  });

  it.each(authorizations)('answers %s with 401 UNAUTHORIZED over GraphQL, even for the login mutation', async (_what, authorization) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: authorization() },
      // A bad credential never falls back to anonymous, not even where anonymous is welcome.
      body: JSON.stringify({ query: `mutation { login(input: { username: "admin", password: "${server.adminPassword}" }) { id } }` }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHORIZED']);
  });

  it('asks the database once about a key id that names no key, however often it comes', async () => {
    const tokenReads = () => server.queries.filter((sql) => /FROM "[^"]+"\."Token"/.test(sql));
    const before = tokenReads().length;
    for (let attempt = 0; attempt < 3; attempt += 1)
      expectNormanUnauthorized(await v3With(server, { authorization: `Bearer token-yyyyy:${secretOf(key.token)}` }));
    expect(tokenReads().length - before).toBe(1);
  });

  it.each([
    ['an unknown key', () => `token-zzzzz:${secretOf(key.token)}`],
    ['the wrong secret', wrongSecret],
    ['bad percent-escapes', () => '%E0%A4%A'],
    ['an empty value', () => ''],
    ['a 7 KB value', () => 'x'.repeat(7 * 1024)],
  ])('answers an R_SESS cookie with %s with 401, never 500', async (_what, value) => {
    expectNormanUnauthorized(await v3With(server, { cookie: `R_SESS=${value()}` }));
  });

  it('answers non-ASCII bytes in the Authorization header with 401', async () => {
    for (const value of [Buffer.from(`Bearer ${key.id}:sécrét-ünicode-𝔘-padding-padding`, 'utf8'), Buffer.from(`Basic ${key.token}\xe9`, 'latin1')]) {
      const head = Buffer.concat([
        Buffer.from('GET /v3/clusters HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\nAuthorization: '),
        value,
        Buffer.from('\r\n\r\n'),
      ]);
      const answer = await rawRequest(server, head);
      expect(answer.status, answer.text).toBe(401);
      expect(answer.text).toContain('"code":"Unauthorized"');
    }
  });

  it('answers a header too large for Node with 431, and keeps serving', async () => {
    const answer = await rawRequest(server, `GET /v3/clusters HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    expect((await v3With(server, { authorization: `Bearer ${key.token}` })).status).toBe(200);
  });

  it('still accepts the real key after all of the above', async () => {
    expect((await v3With(server, { authorization: `Bearer ${key.token}` })).status).toBe(200);
    expect((await v3With(server, { authorization: basic(key.token) })).status).toBe(200);
  });
});
