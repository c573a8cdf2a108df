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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The element with focus, described by its role and accessible name, to follow the focus by keyboard. */
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return `${element?.getAttribute('role') ?? element?.tagName.toLowerCase()}:${element?.getAttribute('aria-label') ?? element?.textContent?.trim()}`;
    });
  const focusInside = (selector: string) => page.evaluate((inside) => Boolean(document.activeElement?.closest(inside)), selector);

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
    for (const label of ['Access key', 'Secret key', 'Bearer token', 'curl'])
      expect(await dialog.getByRole('button', { name: `Copy ${label}` }).isVisible()).toBe(true);
    await check('secret-dialog');
    // The focus trap: the dialog holds the focus; Tab past its last control (Done) comes
    // back to its first, Shift+Tab goes the other way, and Escape does not throw the
    // one-time secret away.
    expect(await focused()).toBe('button:Copy Access key');
    for (let step = 0; step < 5; step += 1) await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Copy Access key');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button:Done');
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);
    // The secret works, as Basic credentials on /v3.
    const clusters = await fetch(`${server.url}/v3/clusters`, { headers: { authorization: `Basic ${Buffer.from(bearer).toString('base64')}` } });
    expect(clusters.status).toBe(200);
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByText(secretKey).count()).toBe(0);
    // The form that opened the dialog is gone: the focus goes back to "Add key".
    expect(await focused()).toBe('button:Add key');
  });

  it('lists keys with state, expiry and last use; the key menu works by keyboard, with menu roles', async () => {
    const row = page.locator('tr', { hasText: 'ci-key' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Active');
    const button = row.getByRole('button', { name: 'Actions for ci-key' });
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.focus();
    await page.keyboard.press('Enter');
    const menu = row.getByRole('menu', { name: 'Actions for ci-key' });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Deactivate', 'Edit', 'Delete', 'View in API']);
    expect(await focused()).toBe('menuitem:Deactivate');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem:Edit');
    await page.keyboard.press('End');
    expect(await focused()).toBe('menuitem:View in API');
    expect(await menu.getByRole('menuitem', { name: 'View in API' }).getAttribute('href')).toMatch(/^\/v3\/tokens\/token-/);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem:Deactivate');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('menuitem:View in API');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('menuitem:Deactivate');
    await check('key-menu');
    await page.keyboard.press('Escape');
    expect(await menu.isVisible()).toBe(false);
    expect(await focused()).toBe('button:Actions for ci-key');
    // ArrowUp opens on the last item; Enter on an item runs it and closes the menu.
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('menuitem:View in API');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect.poll(() => row.innerText()).toContain('Inactive');
    expect(await focused()).toBe('button:Actions for ci-key');
    await button.click();
    await row.getByRole('menuitem', { name: 'Activate' }).click();
    await expect.poll(() => row.innerText()).toMatch(/\bActive\b/);
    await button.click();
    await row.getByRole('menuitem', { name: 'Edit' }).click();
    await row.getByLabel('Description').fill('renamed in the console');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.innerText()).toContain('renamed in the console');
  });

  it('deletes a key only after confirming in a dialog that holds the focus and gives it back', async () => {
    const row = page.locator('tr', { hasText: 'ci-key' });
    const button = row.getByRole('button', { name: 'Actions for ci-key' });
    await button.click();
    await row.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete the key ci-key?' });
    await confirm.waitFor();
    expect(await focused()).toBe('button:Cancel');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Delete');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Cancel');
    expect(await focusInside('dialog')).toBe(true);
    await check('confirm-dialog');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await focused()).toBe('button:Actions for ci-key');
    expect(await row.count()).toBe(1);
    await button.click();
    await row.getByRole('menuitem', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'ci-key' }).count()).toBe(0);
  });

  it('shows a key made elsewhere without a reload (resourceChanges)', async () => {
    const made = await server.graphql(`mutation { createToken(input: { name: "made-elsewhere", description: "by the API" }) { id } }`);
    expect(made.errors).toBeUndefined();
    await page.locator('tr', { hasText: 'made-elsewhere' }).waitFor({ timeout: 30_000 });
  });

  it('adds cloud credentials per provider with write-only secrets, lists them live, and deletes after confirming', async () => {
    await page.getByRole('link', { name: 'Cloud credentials' }).click();
    await page.getByRole('heading', { name: 'Add a cloud credential' }).waitFor();
    const providers = await page.getByLabel('Provider').locator('option').allInnerTexts();
    expect(providers).toEqual(['Amazon EC2', 'DigitalOcean', 'Microsoft Azure', 'Google Cloud', 'VMware vSphere', 'Linode', 'Harvester', 'Generic HTTP API']);
    await page.getByLabel('Provider').selectOption({ label: 'Amazon EC2' });
    expect(await page.getByLabel('secretKey (required)').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('accessKey (required)').getAttribute('type')).toBe('text');
    await page.getByLabel('Name', { exact: true }).fill('aws-main');
    await page.getByLabel('accessKey (required)').fill('AKIAEXAMPLE');
    await page.getByLabel('secretKey (required)').fill('console-secret-value');
    await page.getByLabel('defaultRegion').fill('eu-west-1');
    await page.getByRole('button', { name: 'Add credential' }).click();
    await page.getByRole('status').filter({ hasText: 'Added aws-main' }).waitFor();
    const row = page.locator('tr', { hasText: 'aws-main' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Amazon EC2');
    expect(await row.innerText()).toContain('accessKey: AKIAEXAMPLE');
    expect(await row.innerText()).toContain('secretKey: stored');
    expect(await page.content()).not.toContain('console-secret-value');
    // Fields of another provider come from the server as well.
    await page.getByLabel('Provider').selectOption({ label: 'DigitalOcean' });
    expect(await page.getByLabel('accessToken (required)').getAttribute('type')).toBe('password');
    await check('credentials');
    // Made elsewhere: appears without a reload.
    const made = await server.graphql(
      `mutation { createCloudCredential(input: { name: "do-elsewhere", digitaloceancredentialConfig: { accessToken: "t0ken" } }) { id } }`,
    );
    expect(made.errors).toBeUndefined();
    const other = page.locator('tr', { hasText: 'do-elsewhere' });
    await other.waitFor({ timeout: 30_000 });
    await other.getByRole('button', { name: 'Actions for do-elsewhere' }).click();
    expect(await other.getByRole('menuitem', { name: 'View in API' }).getAttribute('href')).toMatch(/^\/v3\/cloudcredentials\/cattle-global-data:cc-/);
    await other.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete do-elsewhere?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'do-elsewhere' }).count()).toBe(0);
    expect((await server.graphql(`{ cloudCredentials(filter: { name: { eq: "do-elsewhere" } }) { totalCount } }`)).data?.cloudCredentials.totalCount).toBe(0);
  });

  it('creates an RKE2 cluster with machine pools: the offered versions, a credential from the list, every invalid field reported next to it', async () => {
    await page.getByRole('link', { name: 'Clusters' }).click();
    const form = page.getByRole('form', { name: 'Create a cluster' });
    await form.waitFor();
    await form.getByLabel('RKE2').check();
    const versions = form.getByLabel('Kubernetes version');
    await expect.poll(() => versions.locator('option').allInnerTexts()).toEqual(['v1.33.5+rke2r1', 'v1.32.9+rke2r1', 'v1.31.13+rke2r1']);
    await form.getByLabel('K3s').check();
    await expect.poll(() => versions.locator('option').first().innerText()).toBe('v1.33.5+k3s1');
    await form.getByLabel('RKE2').check();
    await expect.poll(() => versions.locator('option').first().innerText()).toBe('v1.33.5+rke2r1');
    await versions.selectOption('v1.32.9+rke2r1');
    // Two invalid fields at once: the cluster's name and a pool's name.
    await form.getByLabel('Name', { exact: true }).fill('Not A Name!');
    await form.getByLabel('Pool name').fill('Bad_Pool');
    await form.getByLabel('Machine config name').fill('nc-main');
    await form.getByLabel('Cloud credential').selectOption({ label: 'aws-main (AMAZONEC2)' });
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('#name-error').waitFor();
    // The pool's error sits beside the pool's own input (INVALID_INPUT's fieldPath), not under all the pools.
    await page.locator('#machinePools-0-name-error').waitFor();
    expect(await page.locator('#machinePools-0-name-error').innerText()).toContain('machinePools.0.name');
    expect(await page.locator('#machinePools-error').count()).toBe(0);
    expect(await form.getByLabel('Pool name').getAttribute('aria-describedby')).toBe('machinePools-0-name-error');
    expect(await form.getByLabel('Name', { exact: true }).getAttribute('aria-describedby')).toBe('name-error');
    await check('create-cluster-errors');
    await form.getByLabel('Name', { exact: true }).fill('prod-rke2');
    await form.getByLabel('Pool name').fill('pool1');
    await form.getByRole('button', { name: 'Add pool' }).click();
    expect(await form.getByLabel('Pool name').count()).toBe(2);
    await form.getByRole('button', { name: 'Remove pool 2' }).click();
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'Created prod-rke2' }).waitFor();
    const created = await server.graphql<{ clusters: { edges: Array<{ node: Record<string, unknown> }> } }>(
      `{ clusters(filter: { name: { eq: "prod-rke2" } }) { edges { node { driver kubernetesVersion machinePools { name quantity etcdRole controlPlaneRole workerRole cloudCredentialId machineConfigRef { kind name } } } } } }`,
    );
    const credential = await server.graphql<{ cloudCredentials: { edges: Array<{ node: { id: string } }> } }>(
      `{ cloudCredentials(filter: { name: { eq: "aws-main" } }) { edges { node { id } } } }`,
    );
    expect(created.data?.clusters.edges[0]?.node).toEqual({
      driver: 'RKE2',
      kubernetesVersion: 'v1.32.9+rke2r1',
      machinePools: [
        {
          name: 'pool1',
          quantity: 1,
          etcdRole: true,
          controlPlaneRole: true,
          workerRole: true,
          cloudCredentialId: credential.data?.cloudCredentials.edges[0]?.node.id,
          machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-main' },
        },
      ],
    });
  });

  it('creates clusters, shows errors next to the field, filters, and links each to the API', async () => {
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('heading', { name: 'Create a cluster' }).waitFor();
    for (const name of ['web-one', 'web-two']) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Create' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Created ${name}` })
        .waitFor();
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

  it('shows a cluster in detail, with its projects and namespaces, live, each with View in API', async () => {
    const cluster = (
      await server.graphql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(
        `{ clusters(filter: { name: { eq: "prod-rke2" } }) { edges { node { id } } } }`,
      )
    ).data!.clusters.edges[0]!.node;
    const project = await server.graphql<{ createProject: { id: string } }>(
      `mutation($c: ID!) { createProject(input: { clusterId: $c, name: "shop" }) { id } }`,
      { c: cluster.id },
    );
    expect(project.errors).toBeUndefined();
    const namespace = await server.graphql(`mutation($p: ID!) { createNamespace(input: { projectId: $p, name: "shop-web" }) { id } }`, {
      p: project.data!.createProject.id,
    });
    expect(namespace.errors).toBeUndefined();
    await page.getByLabel('Filter by name').fill('');
    await page.getByRole('link', { name: 'prod-rke2', exact: true }).click();
    await page.getByRole('heading', { name: 'prod-rke2' }).waitFor();
    const text = await page.locator('main').innerText();
    for (const shown of [cluster.id, 'RKE2', 'v1.32.9+rke2r1', 'pool1', 'etcd, control plane, worker', 'Amazonec2Config/nc-main'])
      expect(text).toContain(shown);
    const projects = page.getByRole('region', { name: /^Projects/ });
    const namespaces = page.getByRole('region', { name: /^Namespaces/ });
    await projects.locator('tr', { hasText: 'shop' }).waitFor();
    expect(await namespaces.locator('tr', { hasText: 'shop-web' }).innerText()).toContain('shop');
    expect(await page.getByRole('link', { name: 'View prod-rke2 in API' }).getAttribute('href')).toBe(`/v3/clusters/${cluster.id}`);
    expect(await page.getByRole('link', { name: 'View project shop in API' }).getAttribute('href')).toBe(`/v3/projects/${project.data!.createProject.id}`);
    expect(await page.getByRole('link', { name: 'View namespace shop-web in API' }).getAttribute('href')).toMatch(/^\/v3\/namespaces\//);
    await check('cluster-detail');
    // A project added elsewhere appears without a reload.
    expect(
      (await server.graphql(`mutation($c: ID!) { createProject(input: { clusterId: $c, name: "later" }) { id } }`, { c: cluster.id })).errors,
    ).toBeUndefined();
    await projects.locator('tr', { hasText: 'later' }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: '← All clusters' }).click();
    await page.getByRole('heading', { name: 'Create a cluster' }).waitFor();
  });

  it('logs out, and everything came from this server', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 });
    expect(foreignRequests(requested, server.url)).toEqual([]);
  });
});
