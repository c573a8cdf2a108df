import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingService } from '../../src/services/settings.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

describe.each(databaseTargets)('settings on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  const fields = 'id name value default customized source readOnly builtin';

  it('lists the declared settings with their defaults, addressed by name', async () => {
    const result = await server.graphql(
      `{ setting(id: "public-api-body-limit") { ${fields} } node(id: "server-url") { ... on Setting { value default } } settings(first: 100) { totalCount } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.setting).toEqual({
      id: 'public-api-body-limit',
      name: 'public-api-body-limit',
      value: '1048576',
      default: '1048576',
      customized: false,
      source: 'DEFAULT',
      readOnly: false,
      builtin: true,
    });
    expect(result.data!.node).toEqual({ value: '', default: '' });
    expect(result.data!.settings.totalCount).toBeGreaterThanOrEqual(6);
  });

  it('changes a value after checking it, and an empty value restores the default', async () => {
    const set = await server.graphql(`mutation { updateSetting(id: "auth-token-max-ttl-minutes", input: { value: "60" }) { value customized source } }`);
    expect(set.data!.updateSetting).toEqual({ value: '60', customized: true, source: 'DB' });
    const bad = await server.graphql(`mutation { updateSetting(id: "auth-token-max-ttl-minutes", input: { value: "soon" }) { value } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'value' });
    const broad = await server.graphql(`mutation { updateSetting(id: "whitelist-domain", input: { value: "api.example.com,*.com" }) { value } }`);
    expect(broad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'value' });
    const reset = await server.graphql(`mutation { updateSetting(id: "auth-token-max-ttl-minutes", input: { value: "" }) { value customized source } }`);
    expect(reset.data!.updateSetting).toEqual({ value: '0', customized: false, source: 'DEFAULT' });
  });

  it('reaches every instance without a restart: a cached value holds until the change is announced', async () => {
    // Another instance's service, with a backstop too long to matter here.
    const elsewhere = new SettingService(server.app.database.prisma, {}, 60_000);
    // (Not api-rate-limit: the suites raise it, and restoring its default would throttle them.)
    expect(await elsewhere.value('public-api-body-limit')).toBe('1048576');
    await server.graphql(`mutation { updateSetting(id: "public-api-body-limit", input: { value: "250" }) { value } }`);
    expect(await elsewhere.value('public-api-body-limit')).toBe('1048576');
    // What the change feed's announcement does on every instance (src/auth/revocation.ts).
    elsewhere.forget('public-api-body-limit');
    expect(await elsewhere.numberValue('public-api-body-limit')).toBe(250);
    await server.graphql(`mutation { updateSetting(id: "public-api-body-limit", input: { value: "" }) { value } }`);
  });

  it('answers as Rancher does: a fixed set (no create, no delete), read-only 405, missing 404', async () => {
    const readOnly = await v3(server, 'PUT', '/v3/settings/server-version', { value: '0.0.1' });
    expect(readOnly.status).toBe(405);
    expect(readOnly.body.message).toMatch(/read-only/);
    expect((await v3(server, 'GET', '/v3/settings/server-version')).body.links.update).toBeUndefined();
    expect((await v3(server, 'POST', '/v3/settings', { name: 'ui-banner', value: 'x' })).body).toMatchObject({ status: 405, code: 'MethodNotAllow' });
    expect((await v3(server, 'PUT', '/v3/settings/no-such-setting', { value: 'x' })).status).toBe(404);
    expect((await v3(server, 'DELETE', '/v3/settings/api-rate-limit')).status).toBe(405);
    expect((await v3(server, 'GET', '/v3/settings/api-rate-limit')).body.links.remove).toBeUndefined();
  });
});
