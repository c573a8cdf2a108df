import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seriousViolations } from '../helpers/axe.js';
import { foreignRequests, launchBrowser, recordRequests } from '../helpers/browser.js';

const screenshots = 'test-artifacts/screenshots';

/** The web console at /dashboard, end to end in Chromium, as one person's session. */
describe('the web console', () => {
  let server: TestApp;
  let browser: Browser;
  let page: Page;
  let requested: string[];

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    server = await startTestApp({ name: 'pglite' });
    browser = await launchBrowser();
    page = await browser.newPage();
    requested = recordRequests(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function check(name: string) {
    await page.screenshot({ path: `${screenshots}/dashboard-${name}.png`, fullPage: true });
    expect(await seriousViolations(page), name).toEqual([]);
  }

  it('asks to log in, with the local provider, and logs in with the session cookie', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 });
    await check('login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'API & Keys' }).waitFor({ timeout: 30_000 });
    expect(await page.getByText(`${server.url}/v3`, { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText(`${server.url}/graphql`, { exact: true }).isVisible()).toBe(true);
    await check('api-keys');
  });

  it('adds a key and shows its secret once, with copy buttons, a curl line and the warning', async () => {
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByLabel('Name').fill('ci-key');
    await page.getByLabel('Description').fill('for the pipeline');
    await page.getByLabel('Expires').selectOption({ label: '30 days' });
    await page.getByRole('button', { name: 'Create' }).click();
    const dialog = page.getByRole('dialog', { name: 'API key created' });
    await dialog.waitFor();
    expect(await dialog.getByText('cannot be shown again').isVisible()).toBe(true);
    const bearer = await dialog.getByTestId('Bearer token').innerText();
    const accessKey = await dialog.getByTestId('Access key').innerText();
    const secretKey = await dialog.getByTestId('Secret key').innerText();
    expect(bearer).toBe(`${accessKey}:${secretKey}`);
    expect(await dialog.getByTestId('curl').innerText()).toBe(`curl -u '${bearer}' ${server.url}/v3`);
    for (const label of ['Access key', 'Secret key', 'Bearer token', 'curl']) expect(await dialog.getByRole('button', { name: `Copy ${label}` }).isVisible()).toBe(true);
    await check('secret-dialog');
    // The secret works, as Basic credentials on /v3.
    const clusters = await fetch(`${server.url}/v3/clusters`, { headers: { authorization: `Basic ${Buffer.from(bearer).toString('base64')}` } });
    expect(clusters.status).toBe(200);
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByText(secretKey).count()).toBe(0);
  });

  it('lists keys with state, expiry and last use, and deactivates, activates, edits and deletes one', async () => {
    const row = page.locator('tr', { hasText: 'ci-key' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Active');
    const menu = async () => {
      if ((await row.locator('details').getAttribute('open')) === null) await row.locator('summary').click();
    };
    await menu();
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => row.innerText()).toContain('Inactive');
    await menu();
    await row.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => row.innerText()).toMatch(/\bActive\b/);
    await menu();
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('Description').fill('renamed in the console');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.innerText()).toContain('renamed in the console');
    await menu();
    expect(await row.getByRole('link', { name: /View .* in API/ }).getAttribute('href')).toMatch(/^\/v3\/tokens\/token-/);
    await check('key-menu');
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'ci-key' }).count()).toBe(0);
  });

  it('creates clusters, shows errors next to the field, filters, and links each to the API', async () => {
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('heading', { name: 'Create a cluster' }).waitFor();
    for (const name of ['web-one', 'web-two']) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('status').filter({ hasText: `Created ${name}` }).waitFor();
    }
    await page.getByLabel('Name', { exact: true }).fill('web-one');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#name-error').waitFor();
    await page.getByLabel('Filter by name').fill('two');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').innerText()).toContain('web-two');
    expect(await page.getByRole('link', { name: 'View web-two in API' }).getAttribute('href')).toMatch(/^\/v3\/clusters\/c-/);
    await check('clusters');
  });

  it('logs out, and everything came from this server', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 });
    expect(foreignRequests(requested, server.url)).toEqual([]);
  });
});
