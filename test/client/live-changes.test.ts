import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChangeVerb,
  configureClient,
  documentHash,
  type GraphQLRequestError,
  type ResourceChangeEvent,
  ResourceChangesDocument,
  watchResourceChanges,
  type WatchOptions,
} from '@cattle-graph/client';
import { readFile } from 'node:fs/promises';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * `watchResourceChanges` (client/src/live-changes.ts) as a frontend uses it: typed as the
 * server sends, sent as the hooks are (configuration, trusted documents), and ending
 * instead of retrying forever when the server refuses it for good.
 */
describe('watchResourceChanges', () => {
  let server: TestApp;
  /** Every request the client sent, as fetch saw it. */
  const sent: RequestInit[] = [];
  /** Answers put in front of the server's, one per request, before it is reached. */
  const staged: Array<() => Promise<Response>> = [];
  const recordingFetch: typeof fetch = (input, init) => {
    sent.push(init ?? {});
    return staged.shift()?.() ?? fetch(input, init);
  };
  const configure = (token: string, extra: Parameters<typeof configureClient>[0] = {}) =>
    configureClient({ endpoint: `${server.url}/graphql`, headers: () => ({ authorization: `Bearer ${token}` }), fetch: recordingFetch, ...extra });

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  /** Runs a watch until `until` holds for what it saw or it ends by itself (10 s at most). */
  async function watch(options: Partial<WatchOptions>, until: (seen: Seen) => boolean, act?: () => Promise<unknown>): Promise<Seen> {
    sent.length = 0;
    const stop = new AbortController();
    const seen: Seen = { events: [], errors: [], relists: 0, ended: false };
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
      setTimeout(resolve, 10_000);
    });
    const saw = () => {
      if (until(seen)) settle();
    };
    const since = options.since ?? (await revision());
    const running = watchResourceChanges({
      since,
      signal: stop.signal,
      onChange: (event) => {
        seen.events.push(event);
        saw();
      },
      onRelist: () => {
        seen.relists += 1;
        saw();
      },
      onError: (error) => {
        seen.errors.push(error);
        saw();
      },
      ...options,
    }).then(() => {
      seen.ended = true;
      saw();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await act?.();
    await Promise.race([settled, running]);
    stop.abort();
    await running;
    return seen;
  }
  const revision = async () => (await server.graphql(`{ changeRevision }`)).data!.changeRevision as string;
  const createCluster = (name: string) => server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name });

  it('types verb as the server sends it: the generated ChangeVerb', () => {
    expectTypeOf<ResourceChangeEvent['verb']>().toEqualTypeOf<ChangeVerb>();
    expectTypeOf<ChangeVerb>().toEqualTypeOf<'CREATE' | 'UPDATE' | 'REMOVE'>();
  });

  it('delivers changes with the verb the server sends', async () => {
    configure(server.token);
    const seen = await watch(
      { types: ['Cluster'] },
      (now) => now.events.length > 0,
      () => createCluster('watched'),
    );
    expect(seen.events[0]).toMatchObject({ verb: 'CREATE', type: 'Cluster' });
    expect(seen.errors).toEqual([]);
  });

  it('stops and calls onError when the server refuses the key (401), asking once', async () => {
    configure('token-xxxxx:not-a-secret');
    const seen = await watch({ types: ['Cluster'] }, (now) => now.ended);
    expect(seen.ended).toBe(true);
    expect(seen.errors.map((error) => [error.code, error.status])).toEqual([['UNAUTHORIZED', 401]]);
    expect(sent).toHaveLength(1);
  });

  it('stops and calls onError for a 403 or a 429 that does not say when to come back', async () => {
    configure(server.token);
    for (const [status, code] of [
      [403, 'PERMISSION_DENIED'],
      [429, 'RATE_LIMITED'],
    ] as const) {
      staged.push(async () => Response.json({ errors: [{ message: 'no', extensions: { code } }] }, { status }));
      const seen = await watch({ types: ['Cluster'] }, (now) => now.ended);
      expect(
        seen.errors.map((error) => [error.code, error.status]),
        String(status),
      ).toEqual([[code, status]]);
      expect(sent, String(status)).toHaveLength(1);
    }
  });

  it('tries again after a network error, a 503 and a 429 with Retry-After, and then delivers', async () => {
    configure(server.token);
    staged.push(
      () => Promise.reject(new TypeError('Failed to fetch')),
      async () => new Response('down for a moment', { status: 503, headers: { 'retry-after': '0' } }),
      async () => Response.json({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, { status: 429, headers: { 'retry-after': '0' } }),
    );
    const seen = await watch(
      { types: ['Cluster'] },
      (now) => now.events.length > 0,
      async () => {
        // The retries take a second or two of backing off; the change must come after the watch is back.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await createCluster('after-retries');
      },
    );
    expect(seen.errors).toEqual([]);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(seen.events[0]).toMatchObject({ verb: 'CREATE', type: 'Cluster' });
  });

  it('sends the subscription as a trusted document, so it runs where only those may', async () => {
    const manifest = JSON.parse(await readFile('client/persisted-documents.json', 'utf8')) as Record<string, string>;
    expect(manifest[(await documentHash(String(ResourceChangesDocument)))!]).toBe(String(ResourceChangesDocument));
    const since = await revision();
    const turnedOn = await server.graphql(`mutation { updateSetting(id: "graphql-trusted-documents-only", input: { value: "true" }) { value } }`);
    expect(turnedOn.errors).toBeUndefined();
    try {
      configure(server.token);
      // The write goes through /v3 too: the admin's own text documents are refused now.
      const createOnV3 = () => v3(server, 'POST', '/v3/clusters', { name: 'trusted' });
      const seen = await watch({ types: ['Cluster'], since }, (now) => now.events.length > 0 || now.ended, createOnV3);
      expect(seen.errors.map((error) => error.code)).toEqual([]);
      expect(seen.events[0]).toMatchObject({ verb: 'CREATE', type: 'Cluster' });
    } finally {
      // Set back through /v3, which runs its own documents whatever the setting.
      await fetch(`${server.url}/v3/settings/graphql-trusted-documents-only`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ value: 'false' }),
      });
    }
  });

  it('sends what configureClient says: endpoint, headers and credentials', async () => {
    configure(server.token, { credentials: 'include' });
    await watch(
      { types: ['Cluster'] },
      (now) => now.events.length > 0,
      () => createCluster('configured'),
    );
    expect(sent[0]?.credentials).toBe('include');
    expect(sent[0]?.headers).toMatchObject({ authorization: `Bearer ${server.token}`, accept: 'text/event-stream' });
  });
});

interface Seen {
  events: ResourceChangeEvent[];
  errors: GraphQLRequestError[];
  relists: number;
  ended: boolean;
}
