import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('HTTP caching of GET queries', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const query = '{ me { username } setting(id: "server-url") { value } }';
  const get = (token: string, headers: Record<string, string> = {}, text = query) =>
    fetch(`${server.url}/graphql?query=${encodeURIComponent(text)}`, {
      headers: { accept: 'application/graphql-response+json', authorization: `Bearer ${token}`, ...headers },
    });

  it('answers a GET query with an ETag and Cache-Control: private, and 304 when it still matches', async () => {
    const first = await get(server.token);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^private\b/);
    expect((await first.json()).data.me.username).toBe('admin');

    const again = await get(server.token, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    expect((await get(server.token, { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);
  });

  it('answers 200 with a new ETag once the data changed', async () => {
    const before = await get(server.token);
    const etag = before.headers.get('etag')!;
    const changed = await server.graphql(`mutation { updateSetting(id: "server-url", input: { value: "https://changed.example" }) { value } }`);
    expect(changed.errors).toBeUndefined();
    const sameQuery = await get(server.token, { 'if-none-match': etag });
    expect(sameQuery.status).toBe(200);
    expect(sameQuery.headers.get('etag')).not.toBe(etag);
  });

  it('never confirms one user’s answer to another: the ETag is the caller’s own body', async () => {
    const adminAnswer = await get(server.token);
    const adminTag = adminAnswer.headers.get('etag')!;
    const userKey = await createUserKey(server);
    const asUser = await get(userKey, { 'if-none-match': adminTag });
    expect(asUser.status).toBe(200);
    expect((await asUser.json()).data.me.username).toBe('cache-bob');
  });

  it('leaves POST, mutations and errors alone', async () => {
    const post = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ query }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('etag')).toBeNull();
    const mutation = await get(server.token, {}, 'mutation { createCluster(input: { name: "via-get" }) { id } }');
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('etag')).toBeNull();
    const invalid = await get(server.token, {}, '{ nope }');
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('etag')).toBeNull();
  });
});

async function createUserKey(server: TestApp): Promise<string> {
  const created = await server.graphql(`mutation { createUser(input: { username: "cache-bob", password: "a-long-password-1" }) { id } }`);
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const response = await fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'cache-bob', password: 'a-long-password-1' }),
  });
  return ((await response.json()) as { token: string }).token;
}
