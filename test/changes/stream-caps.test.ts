import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestApp, type TestApp } from '../helpers/app.js';
import { subscribeSse, type SseSubscription } from '../helpers/sse.js';

const changes = `subscription { resourceChanges(types: ["Cluster"]) { verb id } }`;

/** Issue 14's bounded resources: streams per user and per instance (settings), places freed as streams end. */
describe('the caps on change streams', () => {
  let server: TestApp;
  let bob: string;
  const held: SseSubscription<unknown>[] = [];
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    const created = await server.graphql(`mutation { createUser(input: { username: "bob", password: "bob-password-123" }) { id } }`);
    expect(created.errors).toBeUndefined();
    bob = await login(server.url, 'bob', 'bob-password-123');
  });
  afterAll(async () => {
    for (const stream of held) stream.close();
    await server?.close();
  });

  const setting = async (id: string, value: string) => {
    const updated = await server.graphql(`mutation($id: ID!, $value: String!) { updateSetting(id: $id, input: { value: $value }) { value } }`, { id, value });
    expect(updated.errors).toBeUndefined();
  };
  const openStreams = () => server.app.streams.stats().open;
  /** A stream that was let in: it is counted, and says nothing until a change. */
  const admitted = async (token: string) => {
    const before = openStreams();
    const stream = await subscribeSse(server.url, token, changes);
    held.push(stream);
    await expect.poll(openStreams).toBe(before + 1);
    return stream;
  };
  const refusal = async (token: string) => {
    const stream = await subscribeSse(server.url, token, changes);
    const answer = await stream.next();
    stream.close();
    return answer;
  };

  it('counts each user’s streams against that user only, and frees a place when one ends', async () => {
    await setting('stream-max-per-user', '2');
    const first = await admitted(server.token);
    await admitted(server.token);
    expect(await refusal(server.token)).toMatchObject({
      errors: [{ message: 'at most 2 change streams per user (the stream-max-per-user setting)', extensions: { code: 'RATE_LIMITED' } }],
    });
    // Another user's streams are theirs to count.
    await admitted(bob);
    await admitted(bob);
    expect(await refusal(bob)).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    // The admin's first stream ends: its place is free again, and only one.
    const open = openStreams();
    first.close();
    await expect.poll(openStreams).toBe(open - 1);
    await admitted(server.token);
    expect(await refusal(server.token)).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
  });

  it('refuses a stream beyond the instance’s cap, whoever asks', async () => {
    await setting('stream-max-per-user', '100');
    await setting('stream-max-per-instance', String(openStreams()));
    try {
      expect(await refusal(server.token)).toMatchObject({
        errors: [{ message: expect.stringMatching(/^this server already holds \d+ change streams; retry later$/), extensions: { code: 'RATE_LIMITED' } }],
      });
      const full = openStreams();
      held.pop()!.close();
      await expect.poll(openStreams).toBe(full - 1);
      await admitted(bob);
    } finally {
      await setting('stream-max-per-instance', '10000');
    }
  });
});
