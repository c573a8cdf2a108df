import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { createKey, expectGraphQLError, expectHidden, expectNormanError, secretOf, statusWith, storedToken, tokenFields } from './helpers.js';

describe.each(databaseTargets)('API keys on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  const admin = () => server.token;
  const readKey = (id: string) => server.graphql(`query($id: ID!) { token(id: $id) { ${tokenFields} } node(id: $id) { ... on Token { token } } }`, { id });
  // One root field, so that a missing key gives exactly one error (parallel root fields may report two).
  const readKeyOnly = (id: string) => server.graphql(`query($id: ID!) { token(id: $id) { id } }`, { id });
  const setMaxTtl = (minutes: string) =>
    server.graphql(`mutation($value: String!) { updateSetting(id: "auth-token-max-ttl-minutes", input: { value: $value }) { value } }`, { value: minutes });

  it('returns a 256-bit secret once, in the create answer, with every documented field', async () => {
    const key = await createKey(server, admin(), { name: 'ci', description: 'for CI', ttl: 0 });
    expect(key.token).toMatch(new RegExp(`^${key.id}:[A-Za-z0-9_-]+$`));
    expect(Buffer.from(secretOf(key.token), 'base64url').length).toBeGreaterThanOrEqual(32);
    const me = await server.graphql(`{ me { id } }`);
    expect(key).toMatchObject({
      name: 'ci',
      description: 'for CI',
      ttl: 0,
      expiresAt: null,
      expired: false,
      enabled: true,
      lastUsedAt: null,
      userId: me.data!.me.id,
      clusterId: null,
      isDerived: true,
      current: false,
    });
    expect(Date.parse(key.created)).not.toBeNaN();
  });

  it('never shows the secret again: GraphQL reads, lists and updates, and /v3 get, list and update', async () => {
    const key = await createKey(server, admin(), { name: 'hidden' });
    const secret = secretOf(key.token);
    const answers = [
      await readKey(key.id),
      await server.graphql(`{ tokens { edges { node { ${tokenFields} } } } }`),
      await server.graphql(`mutation($id: ID!) { updateToken(id: $id, input: { description: "renamed" }) { ${tokenFields} } }`, { id: key.id }),
      await v3(server, 'GET', `/v3/tokens/${key.id}`),
      await v3(server, 'GET', '/v3/tokens'),
      await v3(server, 'PUT', `/v3/tokens/${key.id}`, { description: 'again' }),
      await v3(server, 'POST', `/v3/tokens/${key.id}?action=deactivate`, {}),
    ];
    expect(answers[0]).toMatchObject({ data: { token: { id: key.id, token: null }, node: { token: null } } });
    for (const answer of answers) {
      expect(JSON.stringify(answer)).toContain(key.id);
      expect(JSON.stringify(answer)).not.toContain(secret);
    }
  });

  it('stores only a hash of the secret', async () => {
    const key = await createKey(server, admin(), { name: 'stored' });
    const row = await storedToken(server, key.id);
    const text = JSON.stringify(row);
    expect(text).not.toContain(secretOf(key.token));
    expect(text).not.toContain(Buffer.from(secretOf(key.token), 'base64url').toString('hex'));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates a key with POST /v3/tokens: 201, the secret once', async () => {
    const created = await v3(server, 'POST', '/v3/tokens', { name: 'from-v3', description: 'rest', ttl: 0 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'token', name: 'from-v3', description: 'rest', ttl: 0, enabled: true });
    expect(created.body.token).toMatch(new RegExp(`^${created.body.id}:`));
    expect(await statusWith(server, created.body.token)).toBe(200);
    const again = await v3(server, 'GET', `/v3/tokens/${created.body.id}`);
    expect(JSON.stringify(again.body)).not.toContain(secretOf(created.body.token));
  });

  it('lists the caller’s own session with current: true', async () => {
    const listed = await v3(server, 'GET', '/v3/tokens');
    const current = listed.body.data.filter((token: { current: boolean }) => token.current);
    expect(current.map((token: { id: string }) => token.id)).toEqual([server.token.split(':')[0]]);
  });

  it('records when a key was last used', async () => {
    const key = await createKey(server, admin(), { name: 'used' });
    expect(await statusWith(server, key.token)).toBe(200);
    // Recorded off the request path: poll until it lands.
    let lastUsedAt: string | null = null;
    for (let attempt = 0; attempt < 50 && !lastUsedAt; attempt++) {
      lastUsedAt = (await readKey(key.id)).data!.token.lastUsedAt;
      if (!lastUsedAt) await sleep(50);
    }
    expect(Date.parse(lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(key.created));
  });

  it('lets a key with a tiny ttl expire: 401, and expired: true', async () => {
    const key = await createKey(server, admin(), { name: 'brief', ttl: 1 });
    expect(key.ttl).toBe(1);
    expect(Date.parse(key.expiresAt) - Date.parse(key.created)).toBe(1);
    while (Date.now() <= Date.parse(key.expiresAt)) await sleep(5);
    expect(await statusWith(server, key.token)).toBe(401);
    expect((await readKey(key.id)).data!.token.expired).toBe(true);
    // Its holder (the secret matches) is told why; a wrong secret for the same key is told nothing.
    expect((await graphqlAs(server.url, key.token, '{ me { id } }')).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHORIZED', reason: 'expired' });
    const guessed = `${key.token.slice(0, key.token.indexOf(':'))}:${'0'.repeat(key.token.length - key.token.indexOf(':') - 1)}`;
    const refused = (await graphqlAs(server.url, guessed, '{ me { id } }')).errors?.[0];
    expect(refused).toMatchObject({ message: 'the credential is not valid', extensions: { code: 'UNAUTHORIZED' } });
    expect(refused?.extensions).not.toHaveProperty('reason');
  });

  it('caps lifetimes with auth-token-max-ttl-minutes when it is not 0', async () => {
    expect((await setMaxTtl('60')).errors).toBeUndefined();
    try {
      const forever = await createKey(server, admin(), { ttl: 0 });
      expect(forever.ttl).toBe(3_600_000);
      expect(Date.parse(forever.expiresAt) - Date.parse(forever.created)).toBe(3_600_000);
      expect((await createKey(server, admin(), { ttl: 7_200_000 })).ttl).toBe(3_600_000);
      expect((await createKey(server, admin(), { ttl: 60_000 })).ttl).toBe(60_000);
      const loggedIn = await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', {
        username: 'admin',
        password: server.adminPassword,
        ttl: 0,
      });
      expect(loggedIn.body.ttl).toBe(3_600_000);
    } finally {
      await setMaxTtl('');
    }
    const unlimited = await createKey(server, admin(), { ttl: 0 });
    expect(unlimited).toMatchObject({ ttl: 0, expiresAt: null });
  });

  it('refuses a ttl of part of a millisecond, which rounded down would have been a key that never expires, past the cap', async () => {
    expect((await setMaxTtl('60')).errors).toBeUndefined();
    try {
      for (const ttl of [0.5, 0.9, 60_000.5]) {
        expectGraphQLError(await server.graphql(`mutation($ttl: Float!) { createToken(input: { ttl: $ttl }) { id } }`, { ttl }), 'INVALID_INPUT', 'ttl');
        const rest = await v3(server, 'POST', '/v3/tokens', { name: 'forever', ttl });
        expect(rest.status).toBe(422);
        expect(rest.body).toMatchObject({ type: 'error', fieldName: 'ttl' });
      }
    } finally {
      await setMaxTtl('');
    }
  });

  it.each([-5, 9e15])('refuses ttl %d with INVALID_INPUT on ttl, in both faces', async (ttl) => {
    expectGraphQLError(await server.graphql(`mutation($ttl: Float!) { createToken(input: { ttl: $ttl }) { id } }`, { ttl }), 'INVALID_INPUT', 'ttl');
    const rest = await v3(server, 'POST', '/v3/tokens', { ttl });
    expect(rest.status).toBe(422);
    expect(rest.body).toMatchObject({ type: 'error', fieldName: 'ttl' });
  });

  it('deactivates and re-activates a key through GraphQL: inactive keys get 401', async () => {
    const key = await createKey(server, admin(), { name: 'toggle' });
    const off = await server.graphql(`mutation($id: ID!) { deactivateToken(id: $id) { enabled availableActions } }`, { id: key.id });
    expect(off.data!.deactivateToken).toEqual({ enabled: false, availableActions: ['activate'] });
    expect(await statusWith(server, key.token)).toBe(401);
    expect((await graphqlAs(server.url, key.token, '{ me { id } }')).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHORIZED', reason: 'disabled' });
    expectGraphQLError(await server.graphql(`mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id: key.id }), 'INVALID_STATE');
    const on = await server.graphql(`mutation($id: ID!) { activateToken(id: $id) { enabled availableActions } }`, { id: key.id });
    expect(on.data!.activateToken).toEqual({ enabled: true, availableActions: ['deactivate'] });
    expect(await statusWith(server, key.token)).toBe(200);
  });

  it('deactivates and re-activates a key through /v3 actions', async () => {
    const key = await createKey(server, admin(), { name: 'toggle-v3' });
    const before = await v3(server, 'GET', `/v3/tokens/${key.id}`);
    expect(Object.keys(before.body.actions)).toEqual(['deactivate']);
    const off = await v3(server, 'POST', `/v3/tokens/${key.id}?action=deactivate`, {});
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    expect(await statusWith(server, key.token)).toBe(401);
    expectNormanError(await v3(server, 'POST', `/v3/tokens/${key.id}?action=deactivate`, {}), 422, 'InvalidAction');
    const on = await v3(server, 'POST', `/v3/tokens/${key.id}?action=activate`, {});
    expect(on.body.enabled).toBe(true);
    expect(await statusWith(server, key.token)).toBe(200);
  });

  it('changes only the name and the description', async () => {
    const key = await createKey(server, admin(), { name: 'before', description: 'd1', ttl: 60_000 });
    const renamed = await server.graphql(
      `mutation($id: ID!) { updateToken(id: $id, input: { name: "after", description: "d2" }) { name description ttl enabled } }`,
      { id: key.id },
    );
    expect(renamed.data!.updateToken).toEqual({ name: 'after', description: 'd2', ttl: 60_000, enabled: true });
    const ttlChange = await server.graphql(`mutation($id: ID!, $input: UpdateTokenInput!) { updateToken(id: $id, input: $input) { id } }`, {
      id: key.id,
      input: { ttl: 0 },
    });
    // `ttl` is not a field of UpdateTokenInput: GraphQL refuses the variable itself.
    expectGraphQLError(ttlChange, 'BAD_USER_INPUT');

    const put = await v3(server, 'PUT', `/v3/tokens/${key.id}`, {
      name: 'put',
      ttl: 0,
      enabled: false,
      userId: 'u-other',
      clusterId: 'c-other',
      expiresAt: null,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      name: 'put',
      description: 'd2',
      ttl: 60_000,
      enabled: true,
      userId: key.userId,
      clusterId: null,
      expiresAt: key.expiresAt,
    });
    expect(await statusWith(server, key.token)).toBe(200);
  });

  it('stops a deleted key at once, in both faces', async () => {
    const viaGraphQL = await createKey(server, admin(), { name: 'doomed' });
    expect(await statusWith(server, viaGraphQL.token)).toBe(200);
    const deleted = await server.graphql(`mutation($id: ID!) { deleteToken(id: $id) { id } }`, { id: viaGraphQL.id });
    expect(deleted.errors).toBeUndefined();
    expect(await statusWith(server, viaGraphQL.token)).toBe(401);
    expect(await readKeyOnly(viaGraphQL.id)).toEqual({ data: { token: null } });

    const viaV3 = await createKey(server, admin(), { name: 'doomed-v3' });
    expect(await statusWith(server, viaV3.token)).toBe(200);
    expect((await v3(server, 'DELETE', `/v3/tokens/${viaV3.id}`)).status).toBeLessThan(300);
    expect(await statusWith(server, viaV3.token)).toBe(401);
    expectNormanError(await v3(server, 'GET', `/v3/tokens/${viaV3.id}`), 404, 'NotFound');
  });

  it('answers null (queries) or NOT_FOUND (mutations) for a key id that does not exist', async () => {
    for (const operation of [
      `{ token(id: "token-nope0") { id } }`,
      `mutation { deleteToken(id: "token-nope0") { id } }`,
      `mutation { deactivateToken(id: "token-nope0") { id } }`,
    ]) {
      expectHidden(await server.graphql(operation), operation);
    }
    const other = await graphqlAs(server.url, server.token, `{ token(id: "token-nope0") { id } }`);
    expect(other).toEqual({ data: { token: null } });
  });
});
