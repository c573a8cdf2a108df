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

describe('GraphiQL without a credential', () => {
  let server: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('offers a login instead of a schema error, and logging in loads the schema', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/graphql`);
    const hint = page.locator('#login-hint');
    await hint.waitFor({ state: 'visible', timeout: 30_000 });
    await hint.getByLabel('User').fill('admin');
    await hint.getByLabel('Password').fill(server.adminPassword);
    await hint.getByRole('button', { name: 'Log in' }).click();
    await page.waitForLoadState('load');
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    await expect.poll(() => hint.isHidden(), { timeout: 30_000 }).toBe(true);
    await page.close();
  });

  it('re-fetches the schema when an Authorization header is typed into the Headers pane', async () => {
    const page = await browser.newPage();
    const introspections: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && (request.postData() ?? '').includes('__schema')) introspections.push(request.headers().authorization ?? '');
    });
    await page.goto(`${server.url}/graphql`);
    await page.locator('#login-hint').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    await expect.poll(() => introspections.length, { timeout: 30_000 }).toBeGreaterThan(0);

    await page.getByText('Headers', { exact: true }).click();
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headersEditor.click();
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${server.token}` }));
    await expect.poll(() => introspections.at(-1), { timeout: 30_000 }).toBe(`Bearer ${server.token}`);
    await expect.poll(() => page.locator('#login-hint').isHidden(), { timeout: 30_000 }).toBe(true);
    await page.close();
  });
});
