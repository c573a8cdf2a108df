import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClustersDocument, type ClustersQuery, type ClustersQueryVariables, configureClient, fetcher, GraphQLRequestError } from '@cattle-graph/client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type HoldingGate, startHoldingGate } from './holding-gate.js';

/**
 * `fetcher` used alone, as TanStack Query's `queryFn` is called: with a context whose
 * `signal` aborts the request (the hooks, in a browser: hooks-in-browser.test.ts).
 */
describe('fetcher with an abort signal', () => {
  let server: TestApp;
  let gate: HoldingGate;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    gate = await startHoldingGate(server.url);
    configureClient({ endpoint: `${gate.url}/graphql`, headers: () => ({ authorization: `Bearer ${server.token}` }) });
  });
  afterAll(async () => {
    await gate?.close();
    await server?.close();
  });

  const clusters = (signal: AbortSignal) =>
    fetcher<ClustersQuery, ClustersQueryVariables>(ClustersDocument, { first: 1 })({ signal }).then(
      (data) => ({ data }),
      (error: unknown) => ({ error }),
    );

  it('aborted while the request waits: the connection closes, and it rejects with the abort, not NETWORK_ERROR', async () => {
    gate.holding = true;
    const stop = new AbortController();
    const answer = clusters(stop.signal);
    const held = await gate.nextHeld();
    gate.holding = false;
    stop.abort();
    await held.abandoned;
    const { error } = (await answer) as { error: unknown };
    expect(error).not.toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('already aborted: rejects with the abort', async () => {
    expect(await clusters(AbortSignal.abort())).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
  });
});
