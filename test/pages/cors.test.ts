import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser } from '../helpers/browser.js';

/**
 * CORS from a second origin: pages served by another loopback server (another port is
 * another origin) call the API in Chromium with the client package's fetcher.
 */
describe('CORS for browser apps on other origins', () => {
  let server: TestApp;
  let browser: Browser;
  let listedApp: { server: Server; origin: string };
  let unlistedApp: { server: Server; origin: string };
  let settingApp: { server: Server; origin: string };

  beforeAll(async () => {
    const script = await clientScript();
    [listedApp, unlistedApp, settingApp] = await Promise.all([appServer(script), appServer(script), appServer(script)]);
    server = await startTestApp({ name: 'pglite' }, { corsOrigins: [listedApp.origin] });
    await server.graphql(`mutation { createCluster(input: { name: "seen-from-elsewhere" }) { id } }`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const app of [listedApp, unlistedApp, settingApp]) app?.server.close();
  });

  /** Opens the app's page and runs the Clusters query from it, with the admin's key. */
  async function clustersFrom(origin: string): Promise<{ names?: string[]; code?: string; className?: string }> {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ endpoint, token }) => {
          const { configureClient, fetcher, ClustersDocument, GraphQLRequestError } = (window as unknown as { client: typeof import('@cattle-graph/client') })
            .client;
          configureClient({ endpoint, headers: () => ({ authorization: `Bearer ${token}` }) });
          try {
            const data = (await fetcher(ClustersDocument, { first: 10 })()) as { clusters: { edges: Array<{ node: { name: string } }> } };
            return { names: data.clusters.edges.map((edge) => edge.node.name) };
          } catch (error) {
            return { code: (error as { code?: string }).code, className: error instanceof GraphQLRequestError ? 'GraphQLRequestError' : String(error) };
          }
        },
        { endpoint: `${server.url}/graphql`, token: server.token },
      );
    } finally {
      await page.close();
    }
  }

  it('a listed origin calls the API with credentials (preflight answered)', async () => {
    expect((await clustersFrom(listedApp.origin)).names).toContain('seen-from-elsewhere');
  });

  it('an unlisted origin is refused by the browser, and the client reports NETWORK_ERROR as its typed error', async () => {
    expect(await clustersFrom(unlistedApp.origin)).toEqual({ code: 'NETWORK_ERROR', className: 'GraphQLRequestError' });
  });

  it('the cors-allowed-origins setting adds an origin without a restart, and removing it refuses again', async () => {
    const set = (value: string) => server.graphql(`mutation { updateSetting(id: "cors-allowed-origins", input: { value: "${value}" }) { value } }`);
    expect((await set(settingApp.origin)).errors).toBeUndefined();
    expect((await clustersFrom(settingApp.origin)).names).toContain('seen-from-elsewhere');
    expect((await set('')).errors).toBeUndefined();
    expect((await clustersFrom(settingApp.origin)).code).toBe('NETWORK_ERROR');
  });

  it('the setting takes origins only, no wildcards or paths', async () => {
    for (const value of ['*', 'https://*.example.com', 'https://app.example.com/path', 'app.example.com']) {
      const refused = await server.graphql(`mutation { updateSetting(id: "cors-allowed-origins", input: { value: "${value}" }) { value } }`);
      expect(refused.errors?.[0]?.extensions?.code, value).toBe('INVALID_INPUT');
    }
  });

  it('answers preflights itself: allowed methods and headers for a listed origin, 403 and no CORS headers otherwise', async () => {
    const listed = await preflight(server.url, listedApp.origin);
    expect(listed.status).toBe(204);
    expect(listed.headers['access-control-allow-origin']).toBe(listedApp.origin);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(listed.headers['access-control-allow-headers']).toContain('authorization');
    expect(listed.headers.vary).toContain('Origin');

    const unlisted = await preflight(server.url, unlistedApp.origin);
    expect(unlisted.status).toBe(403);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
    expect(unlisted.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

/** The client package bundled for a plain page, as `window.client`. */
async function clientScript(): Promise<string> {
  const bundle = await build({
    stdin: {
      contents:
        "import { configureClient, fetcher, ClustersDocument, GraphQLRequestError } from '@cattle-graph/client';\nwindow.client = { configureClient, fetcher, ClustersDocument, GraphQLRequestError };",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}

/** A second origin: another loopback port serving a page with the client on it. */
async function appServer(script: string): Promise<{ server: Server; origin: string }> {
  const app = createServer((request, response) => {
    if (request.url === '/client.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another app</title><script src="/client.js"></script>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  return { server: app, origin: `http://127.0.0.1:${(app.address() as AddressInfo).port}` };
}

function preflight(url: string, origin: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    outgoing.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode!, headers: response.headers });
    });
    outgoing.on('error', reject).end();
  });
}
