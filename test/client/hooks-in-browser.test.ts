import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser } from '../helpers/browser.js';
import { type HoldingGate, startHoldingGate } from './holding-gate.js';
import type { harness, Shown, View } from './hooks-page.js';

/**
 * The generated hooks in Chromium, rendered by React under TanStack Query
 * (test/client/hooks-page.tsx), against the real server behind a gate that can hold a
 * request (./holding-gate.ts): a query TanStack Query cancels — its component unmounted,
 * its key changed — aborts its HTTP request, seen as a closed connection on the server's
 * side; and the infinite hooks read whole lists page by page.
 */
describe('the generated hooks in a browser', () => {
  let server: TestApp;
  let gate: HoldingGate;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    for (const name of ['page-e', 'page-c', 'page-a', 'page-d', 'page-b']) {
      expect((await server.graphql(`mutation { createCluster(input: { name: "${name}" }) { id } }`)).errors).toBeUndefined();
    }
    for (const name of ['key-1', 'key-2', 'key-3', 'key-4']) {
      expect((await server.graphql(`mutation { createToken(input: { name: "${name}" }) { id } }`)).errors).toBeUndefined();
    }
    gate = await startHoldingGate(server.url, {
      html: '<!doctype html><title>hooks</title><div id="root"></div><script src="/app.js"></script>',
      script: await pageScript(),
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(gate.url);
    await page.evaluate((token) => (window as unknown as InPage).harness.configure(token), server.token);
  });
  afterAll(async () => {
    await browser?.close();
    await gate?.close();
    await server?.close();
  });

  /** Renders `view` in the page; the page shows it at once (flushSync), so `shown` reads this view. */
  const show = (view: View) => page.evaluate((shown) => (window as unknown as InPage).harness.show(shown), view);
  const shown = async (): Promise<Shown> => JSON.parse((await page.locator('output[data-state="done"]').textContent()) ?? '') as Shown;

  /** Shows `view` with its first request held at the gate, and answers that request. */
  async function showHeld(view: View) {
    gate.holding = true;
    await show(view);
    const held = await gate.nextHeld();
    gate.holding = false;
    return held;
  }

  it('a query whose component unmounts aborts its request', async () => {
    const held = await showHeld({ kind: 'clusters', name: 'page-a' });
    expect(held.body).toContain('"persistedQuery"');
    await show({ kind: 'nothing' });
    // Settles only when the browser closes the connection: without the abort the request
    // would wait at the gate, and this test run into its timeout.
    await held.abandoned;
  });

  it('a query whose key changes aborts the request for the old key, and shows the new one', async () => {
    const held = await showHeld({ kind: 'clusters', name: 'page-c' });
    await show({ kind: 'clusters', name: 'page-b' });
    await held.abandoned;
    expect(await shown()).toEqual({ pages: 1, items: ['page-b'], totalCount: 1 });
  });

  it('an infinite query whose component unmounts aborts the request for its page', async () => {
    const held = await showHeld({ kind: 'all-clusters', pageSize: 10 });
    await show({ kind: 'nothing' });
    await held.abandoned;
  });

  it('useInfiniteClustersQuery reads a whole list page by page, `after` from pageInfo.endCursor', async () => {
    await show({ kind: 'all-clusters', pageSize: 2 });
    expect(await shown()).toEqual({ pages: 3, items: ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'], totalCount: 5 });
  });

  it('useInfiniteTokensQuery pages the Tokens list, under the queryKey the caller gives', async () => {
    await show({ kind: 'all-tokens', pageSize: 2, queryKey: ['my-tokens'] });
    const tokens = await shown();
    // The admin's keys: the four made here and the test's session.
    expect(tokens.totalCount).toBeGreaterThanOrEqual(5);
    expect(new Set(tokens.items).size).toBe(tokens.totalCount);
    expect(tokens.pages).toBe(Math.ceil(tokens.totalCount / 2));
    const keys = await page.evaluate(() => (window as unknown as InPage).harness.queryKeys());
    expect(keys).toContainEqual(['my-tokens']);
    expect(keys).not.toContainEqual(['Tokens.infinite']);
  });
});

/** The page's window, where the bundle puts the harness (hooks-page.tsx). */
type InPage = { harness: typeof harness };

/** hooks-page.tsx with React, TanStack Query and the built client package, for a plain page. */
async function pageScript(): Promise<string> {
  const bundle = await build({
    entryPoints: ['test/client/hooks-page.tsx'],
    bundle: true,
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}
