import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { foreignRequests, launchBrowser, recordRequests } from '../helpers/browser.js';

describe('GraphiQL in a real browser', () => {
  let server: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    await server.graphql(`mutation { createCluster(input: { name: "seen-in-graphiql" }) { id } }`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders from this server alone and runs a query', async () => {
    const page = await browser.newPage();
    const requested = recordRequests(page);
    // A browser session: log in for a cookie, as a person would before using GraphiQL.
    const login = await page.request.post(`${server.url}/v3-public/localProviders/local?action=login`, {
      data: { username: 'admin', password: server.adminPassword, responseType: 'cookie' },
    });
    expect(login.status()).toBe(201);
    const response = await page.goto(`${server.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/text\/html/);

    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.graphiql-query-editor .view-lines').innerText(), { timeout: 30_000 }).toContain('clusters');
    await run.click();
    await expect.poll(() => page.locator('.graphiql-response .view-lines').innerText(), { timeout: 30_000 }).toContain('seen-in-graphiql');

    expect(foreignRequests(requested, server.url)).toEqual([]);
    expect(requested.some((url) => url.endsWith('/yoga-graphiql.umd.js'))).toBe(true);
    await page.close();
  });
});
