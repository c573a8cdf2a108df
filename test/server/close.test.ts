import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('closing the app', () => {
  let server: TestApp | undefined;
  afterAll(() => server?.close());

  it('closes once however many callers ask, at once or later, and then refuses connections', async () => {
    server = await startTestApp({ name: 'pglite' });
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    // Two signals in a row, or a signal and a teardown: the second must not close the database under the first.
    const [first, second] = [server.app.close(), server.app.close()];
    expect(second).toBe(first);
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    await expect(server.app.close()).resolves.toBeUndefined();
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow();
  });
});
