import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { foreignRequests, launchBrowser, recordRequests } from '../helpers/browser.js';

describe('the /v3 API UI in a real browser', () => {
  let server: TestApp;
  let browser: Browser;
  let page: Page;
  let requested: string[];

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    await server.graphql(`mutation { createCluster(input: { name: "existing" }) { id } }`);
    browser = await launchBrowser();
    // The API answers 401 with a Basic challenge; the browser answers it with an API key.
    const [username, password] = server.token.split(':') as [string, string];
    page = await (await browser.newContext({ httpCredentials: { username, password } })).newPage();
    requested = recordRequests(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the API root as a page and browses to a collection', async () => {
    const response = await page.goto(`${server.url}/v3`);
    expect(response?.headers()['content-type']).toMatch(/text\/html/);
    expect(response?.headers()['x-frame-options']).toBe('SAMEORIGIN');
    await page
      .getByRole('link', { name: `${server.url}/v3/clusters` })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Collection of cluster' }).waitFor();
    await expect.poll(() => page.locator('table').innerText()).toContain('existing');
  });

  it('creates a cluster through the form built from the schema, and prints the cURL command', async () => {
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.locator('form.resource-form input[name="name"]').fill('made-in-browser');
    await page.locator('form.resource-form input[name="description"]').fill('from the API UI');
    await page.locator('form.resource-form textarea[name="labels"]').fill('{"team": "ui"}');
    await page.locator('form.resource-form button[type="submit"]').click();
    await page.waitForURL(/\/v3\/clusters\/c-[a-z0-9]{5}$/);
    await page.getByRole('heading', { name: /cluster c-/ }).waitFor();
    const fields = await page.locator('dl.fields').innerText();
    expect(fields).toContain('made-in-browser');
    expect(fields).toContain('from the API UI');

    const check = await server.graphql(`{ clusters(filter: { name: { eq: "made-in-browser" } }) { edges { node { labels description } } } }`);
    expect(check.data!.clusters.edges[0].node).toEqual({ labels: { team: 'ui' }, description: 'from the API UI' });
  });

  it('edits, shows every request as cURL and raw HTTP, and deletes after confirmation', async () => {
    // A successful save reloads the resource's page: wait for that load each time.
    const save = async (description: string) => {
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.locator('form.resource-form input[name="description"]').fill(description);
      await Promise.all([page.waitForEvent('load'), page.locator('form.resource-form button[type="submit"]').click()]);
      await expect.poll(() => page.locator('dl.fields').innerText()).toContain(description);
    };
    await save('edited');
    await save('edited twice');
    const curl = await page.locator('pre.curl').first().innerText();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell variables the page prints, not a template.
    expect(curl).toContain('curl -u "${CATTLE_ACCESS_KEY}:${CATTLE_SECRET_KEY}"');

    const url = page.url();
    await Promise.all([page.waitForURL(`${server.url}/v3/clusters`), page.getByRole('button', { name: 'Delete' }).click()]);
    const gone = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${server.token}` } });
    expect(gone.status).toBe(404);
  });

  it('shows the request it made: cURL with the key as placeholders, raw request and response', async () => {
    await page.goto(`${server.url}/v3/clusters`);
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.locator('form.resource-form input[name="name"]').fill('Bad Name');
    await page.locator('form.resource-form button[type="submit"]').click();
    const exchange = page.locator('article.exchange.failed').first();
    await exchange.waitFor();
    const curl = await exchange.locator('pre.curl').innerText();
    expect(curl).toContain('-X POST');
    expect(curl).toContain(`'${server.url}/v3/clusters'`);
    expect(curl).toContain('"name":"Bad Name"');
    expect(await exchange.locator('pre.http-request').innerText()).toMatch(/^POST \/v3\/clusters HTTP\/1\.1/);
    expect(await exchange.locator('pre.http-response').innerText()).toMatch(/^HTTP\/1\.1 422/);
  });

  it('filters and sorts with the page’s own controls', async () => {
    await page.goto(`${server.url}/v3/clusters`);
    await page.locator('form.filter select[name="field"]').selectOption('name');
    await page.locator('form.filter select[name="modifier"]').selectOption('prefix');
    await page.locator('form.filter input[name="value"]').fill('exi');
    await page.locator('form.filter button[type="submit"]').click();
    await page.waitForURL(/name_prefix=exi/);
    expect(await page.locator('table tbody').innerText()).toContain('existing');
    await page.getByRole('link', { name: 'name', exact: true }).click();
    await page.waitForURL(/sort=name/);
  });

  it('never asked anything of another server', () => {
    expect(foreignRequests(requested, server.url)).toEqual([]);
    expect(requested.some((url) => url.includes('/api-ui/') && url.endsWith('api-ui.js'))).toBe(true);
  });
});
