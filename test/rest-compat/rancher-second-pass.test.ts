import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { v3 } from './helpers.js';

/**
 * Issue 13, items 6–8: /v3-public can be browsed anonymously, PUT `?_replace=true`
 * replaces the whole object, and settings are Rancher's fixed set.
 */
describe('/v3 second pass', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' }, { settingsFromEnvironment: { 'ui-pl': 'Acme' } });
  });
  afterAll(() => server?.close());

  const anonymous = () => ({ url: server.url });

  describe('/v3-public (13.6)', () => {
    it('serves an anonymous root that points at its own schemas', async () => {
      const { status, headers, body } = await v3(anonymous(), 'GET', '/v3-public');
      expect(status).toBe(200);
      expect(headers.get('x-api-schemas')).toBe(`${server.url}/v3-public/schemas`);
      expect(body).toMatchObject({ type: 'apiRoot', apiVersion: { version: 'v3public', path: '/v3-public' } });
      expect(body.links).toMatchObject({ authProviders: `${server.url}/v3-public/authProviders`, localProviders: `${server.url}/v3-public/localProviders` });
    });

    it('lists the local provider in authProviders, as type localProvider with its login action', async () => {
      const { status, body } = await v3(anonymous(), 'GET', '/v3-public/authProviders');
      expect(status).toBe(200);
      expect(body).toMatchObject({ type: 'collection', resourceType: 'authProvider' });
      expect(body.data).toEqual([
        expect.objectContaining({
          id: 'local',
          type: 'localProvider',
          baseType: 'authProvider',
          links: { self: `${server.url}/v3-public/localProviders/local` },
          actions: { login: `${server.url}/v3-public/localProviders/local?action=login` },
        }),
      ]);
      const local = await v3(anonymous(), 'GET', '/v3-public/localproviders/local');
      expect(local.body).toEqual(body.data[0]);
      expect((await v3(anonymous(), 'GET', '/v3-public/localProviders')).body.data).toEqual(body.data);
      expect((await v3(anonymous(), 'GET', '/v3-public/authProviders/github')).status).toBe(404);
    });

    it('describes the login: localProvider.login takes basicLogin (from the GraphQL login input) and answers a token', async () => {
      const { body } = await v3(anonymous(), 'GET', '/v3-public/schemas/localProvider');
      expect(body.resourceActions).toEqual({ login: { input: 'basicLogin', output: 'token' } });
      const login = await v3(anonymous(), 'GET', '/v3-public/schemas/basicLogin');
      expect(login.body.resourceFields).toMatchObject({ username: { type: 'string', required: true }, password: { type: 'string', required: true } });
      const listed = (await v3(anonymous(), 'GET', '/v3-public/schemas')).body.data.map((schema: { id: string }) => schema.id);
      expect(listed).toEqual(expect.arrayContaining(['authProvider', 'localProvider', 'basicLogin', 'token']));
      // The login action itself still logs in.
      const token = await v3(anonymous(), 'POST', '/v3-public/localProviders/local?action=login', { username: 'admin', password: server.adminPassword });
      expect(token.status).toBe(201);
    });

    it('is read-only apart from the login', async () => {
      expect((await v3(anonymous(), 'POST', '/v3-public/authProviders', {})).body).toMatchObject({ status: 405, code: 'MethodNotAllow' });
      expect((await v3(anonymous(), 'DELETE', '/v3-public/localProviders/local')).status).toBe(405);
    });
  });

  describe('PUT ?_replace=true (13.7)', () => {
    it('merges by default and replaces the whole object with _replace=true, resetting what the body omits', async () => {
      const created = await v3(server, 'POST', '/v3/clusters', {
        name: 'replaced',
        description: 'kept?',
        labels: { team: 'a' },
        clusterAgentCustomization: { appendTolerations: [{ key: 'k', operator: 'Exists' }] },
      });
      expect(created.status).toBe(201);
      const path = `/v3/clusters/${created.body.id}`;

      const merged = await v3(server, 'PUT', path, { description: 'merged' });
      expect(merged.body).toMatchObject({ name: 'replaced', description: 'merged', labels: { team: 'a' } });
      expect(merged.body.clusterAgentCustomization.appendTolerations).toHaveLength(1);

      const replaced = await v3(server, 'PUT', `${path}?_replace=true`, { name: 'replaced', labels: { team: 'b' } });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ name: 'replaced', description: '', labels: { team: 'b' }, annotations: {} });
      expect(replaced.body.clusterAgentCustomization.appendTolerations ?? []).toEqual([]);
    });

    it('needs the required fields when replacing', async () => {
      const { body: cluster } = await v3(server, 'POST', '/v3/clusters', { name: 'replace-needs-name' });
      const { status, body } = await v3(server, 'PUT', `/v3/clusters/${cluster.id}?_replace=true`, { description: 'no name' });
      expect(status).toBe(422);
      expect(body).toMatchObject({ code: 'MissingRequired', fieldName: 'name' });
    });
  });

  describe('settings (13.8)', () => {
    it('ships Rancher’s common settings with their defaults and descriptions', async () => {
      const { body } = await v3(server, 'GET', '/v3/settings?limit=1000');
      const byName = new Map<string, { value: string; default: string; description: string }>(
        body.data.map((setting: { id: string }) => [setting.id, setting]),
      );
      for (const name of ['server-url', 'cacerts', 'server-version', 'ui-pl', 'first-login', 'telemetry-opt', 'engine-install-url']) {
        expect(byName.get(name)?.description, name).toBeTruthy();
      }
      expect(byName.get('first-login')).toMatchObject({ value: 'true', default: 'true' });
      expect(byName.get('engine-install-url')?.default).toMatch(/^https:\/\/releases\.rancher\.com\/install-docker\//);
    });

    it('refuses POST and DELETE with 405, as Rancher does, because GraphQL has no such mutations', async () => {
      const { body: schema } = await v3(server, 'GET', '/v3/schemas/setting');
      expect(schema.collectionMethods).toEqual(['GET']);
      expect(schema.resourceMethods).toEqual(['GET', 'PUT']);
      expect((await v3(server, 'POST', '/v3/settings', { name: 'anything', value: 'x' })).body).toMatchObject({ status: 405, code: 'MethodNotAllow' });
      expect((await v3(server, 'DELETE', '/v3/settings/ui-pl')).body).toMatchObject({ status: 405, code: 'MethodNotAllow' });
      const graphql = await server.graphql(`mutation { createSetting(input: { name: "x" }) { id } }`);
      expect(graphql.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('shows settings from the installation as source env and refuses to change them, naming them read-only', async () => {
      const { body: version } = await v3(server, 'GET', '/v3/settings/server-version');
      expect(version).toMatchObject({ source: 'env', readOnly: true });
      expect(version.links.update).toBeUndefined();
      const fromEnvironment = await v3(server, 'GET', '/v3/settings/ui-pl');
      expect(fromEnvironment.body).toMatchObject({ value: 'Acme', default: 'rancher', source: 'env', readOnly: true });
      expect(fromEnvironment.body.links.update).toBeUndefined();
      for (const name of ['server-version', 'ui-pl']) {
        const { status, body } = await v3(server, 'PUT', `/v3/settings/${name}`, { value: 'changed' });
        expect(status, name).toBe(405);
        expect(body.message, name).toMatch(new RegExp(`${name}.*read-only`));
      }
      expect((await v3(server, 'PUT', '/v3/settings/ui-pl', { value: 'changed' })).body.message).toMatch(/CATTLE_UI_PL/);
      // An ordinary setting still changes.
      expect((await v3(server, 'PUT', '/v3/settings/first-login', { value: 'false' })).body).toMatchObject({ value: 'false', source: 'db' });
    });

    it('reads settings from CATTLE_<NAME> at start-up and stops on a bad one, naming the variable', () => {
      expect(loadConfig({ CATTLE_SERVER_URL: 'https://rancher.example.com' }).settingsFromEnvironment).toEqual({ 'server-url': 'https://rancher.example.com' });
      expect(() => loadConfig({ CATTLE_SERVER_URL: 'not a url' })).toThrow(ConfigError);
      expect(() => loadConfig({ CATTLE_SERVER_URL: 'not a url' })).toThrow(/CATTLE_SERVER_URL/);
    });
  });
});
