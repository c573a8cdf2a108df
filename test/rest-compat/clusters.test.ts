import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';
import type { Json } from '../helpers/json.js';

describe.each(databaseTargets)('/v3 clusters and projects on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  describe('root and schemas', () => {
    it('serves the API root with a link per collection and the standard headers', async () => {
      const { status, headers, body } = await v3(server, 'GET', '/v3');
      expect(status).toBe(200);
      expect(headers.get('x-api-schemas')).toBe(`${server.url}/v3/schemas`);
      expect(headers.get('content-type')).toBe('application/json');
      expect(Date.parse(headers.get('expires')!)).toBeLessThan(Date.now());
      expect(body).toMatchObject({
        type: 'apiRoot',
        id: 'v3',
        apiVersion: { group: 'management.cattle.io', version: 'v3', path: '/v3' },
        links: { self: `${server.url}/v3`, schemas: `${server.url}/v3/schemas`, clusters: `${server.url}/v3/clusters`, projects: `${server.url}/v3/projects` },
      });
    });

    it('describes clusters as Norman does', async () => {
      const { body } = await v3(server, 'GET', '/v3/schemas/cluster');
      expect(body).toMatchObject({
        id: 'cluster',
        type: 'schema',
        pluralName: 'clusters',
        links: { self: `${server.url}/v3/schemas/cluster`, collection: `${server.url}/v3/clusters` },
        resourceMethods: ['GET', 'PUT', 'DELETE'],
        collectionMethods: ['GET', 'POST'],
      });
      expect(body.resourceFields.name).toEqual({
        type: 'string',
        nullable: false,
        create: true,
        update: true,
        required: true,
        minLength: 1,
        maxLength: 63,
        // The schema's description of the field (issue 15), as Norman's fields carry one.
        description: expect.stringContaining('1–63 lowercase letters'),
      });
      expect(body.resourceFields.labels).toMatchObject({ type: 'map[string]', create: true, update: true });
      expect(body.resourceFields.state).toEqual({
        type: 'enum',
        nullable: false,
        options: ['active', 'error', 'provisioning', 'removing', 'updating'],
        description: expect.stringContaining('lifecycle'),
      });
      expect(body.resourceFields.created).toMatchObject({ type: 'date' });
      expect(body.collectionFilters.name.modifiers).toEqual([
        'eq',
        'ne',
        'null',
        'notnull',
        'in',
        'notin',
        'gt',
        'gte',
        'lt',
        'lte',
        'prefix',
        'like',
        'notlike',
      ]);
      expect(body.collectionFilters.state.modifiers).toEqual(['eq', 'ne', 'null', 'notnull', 'in', 'notin']);
    });

    it('types a project’s clusterId as a reference and lists both in /v3/schemas', async () => {
      const project = await v3(server, 'GET', '/v3/schemas/project');
      expect(project.body.resourceFields.clusterId).toMatchObject({ type: 'reference[cluster]', create: true, required: true });
      expect(project.body.resourceFields.clusterId.update).toBeUndefined();
      const all = await v3(server, 'GET', '/v3/schemas');
      expect(all.body.type).toBe('collection');
      expect(all.body.data.map((schema: { id: string }) => schema.id)).toEqual(expect.arrayContaining(['cluster', 'project']));
    });
  });

  describe('create, read, update, delete', () => {
    it('creates with 201, ignoring unknown and non-creatable fields', async () => {
      const { status, body } = await v3(server, 'POST', '/v3/clusters', {
        name: 'crud',
        description: 'd',
        labels: { env: 'x' },
        state: 'active',
        bogus: true,
        id: 'c-chosen',
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({ type: 'cluster', baseType: 'cluster', name: 'crud', state: 'provisioning', labels: { env: 'x' } });
      expect(body.id).toMatch(/^c-[a-z0-9]{5}$/);
      expect(body.bogus).toBeUndefined();
      expect(body.createdTS).toBe(Date.parse(body.created));
      expect(body.links).toEqual({
        self: `${server.url}/v3/clusters/${body.id}`,
        update: `${server.url}/v3/clusters/${body.id}`,
        remove: `${server.url}/v3/clusters/${body.id}`,
        projects: `${server.url}/v3/clusters/${body.id}/projects`,
        namespaces: `${server.url}/v3/clusters/${body.id}/namespaces`,
        nodePools: `${server.url}/v3/clusters/${body.id}/nodePools`,
        // `creator` beside `creatorId` in the schema (issue 15) is a link to that user.
        creator: `${server.url}/v3/users/${body.creatorId}`,
      });
    });

    it('describes and takes the rest of Rancher’s cluster spec (rkeConfig parts, agent settings) with no code of its own', async () => {
      const { body: schema } = await v3(server, 'GET', '/v3/schemas/cluster');
      const types = Object.fromEntries(
        [
          'chartValues',
          'machineGlobalConfig',
          'machineSelectorConfig',
          'additionalManifest',
          'upgradeStrategy',
          'etcd',
          'registries',
          'localClusterAuthEndpoint',
          'agentEnvVars',
          'enableNetworkPolicy',
          'defaultPodSecurityAdmissionConfigurationTemplateName',
        ].map((name) => [name, schema.resourceFields[name]?.type]),
      );
      expect(types).toEqual({
        chartValues: 'json',
        machineGlobalConfig: 'json',
        machineSelectorConfig: 'array[machineSelectorConfig]',
        additionalManifest: 'string',
        upgradeStrategy: 'clusterUpgradeStrategy',
        etcd: 'etcdConfig',
        registries: 'clusterRegistries',
        localClusterAuthEndpoint: 'localClusterAuthEndpoint',
        agentEnvVars: 'array[envVar]',
        enableNetworkPolicy: 'boolean',
        defaultPodSecurityAdmissionConfigurationTemplateName: 'string',
      });
      expect(schema.resourceFields.etcd).toMatchObject({ create: true, update: true });
      const { body: s3 } = await v3(server, 'GET', '/v3/schemas/etcdSnapshotS3');
      expect(s3.resourceFields.cloudCredentialId).toMatchObject({ type: 'reference[cloudCredential]', create: true, update: true });
      const { body: requirement } = await v3(server, 'GET', '/v3/schemas/labelSelectorRequirement');
      expect(requirement.resourceFields.operator).toMatchObject({ type: 'enum', options: ['DoesNotExist', 'Exists', 'In', 'NotIn'], required: true });

      const parts = {
        chartValues: { 'rke2-calico': { installation: { calicoNetwork: { bgp: 'Disabled' } } } },
        machineGlobalConfig: { cni: 'calico', 'disable-kube-proxy': false },
        machineSelectorConfig: [
          { machineLabelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['control'] }] }, config: { 'node-taint': ['a=b:NoSchedule'] } },
        ],
        upgradeStrategy: { workerConcurrency: '10%', workerDrainOptions: { enabled: true, timeout: 120 } },
        etcd: { snapshotRetention: 3, snapshotScheduleCron: '0 */6 * * *' },
        registries: { mirrors: [{ hostname: 'docker.io', endpoints: ['https://mirror.example.com'] }] },
        agentEnvVars: [{ name: 'HTTP_PROXY', value: 'http://proxy.example.com:3128' }],
        enableNetworkPolicy: true,
      };
      const created = await v3(server, 'POST', '/v3/clusters', { name: 'v3-rancher-spec', driver: 'rke2', kubernetesVersion: 'v1.31.4+rke2r1', ...parts });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        ...parts,
        machineSelectorConfig: [
          { ...parts.machineSelectorConfig[0], machineLabelSelector: { ...parts.machineSelectorConfig[0]!.machineLabelSelector, matchLabels: {} } },
        ],
        upgradeStrategy: { workerConcurrency: '10%', workerDrainOptions: { enabled: true, timeout: 120, force: false }, controlPlaneConcurrency: null },
        etcd: { ...parts.etcd, disableSnapshots: false, s3: null },
      });
      // What a GET shows goes back with a PUT, unchanged, for this cluster and an imported one
      // (whose rkeConfig parts are all empty: taken, since they set nothing).
      const imported = (await v3(server, 'POST', '/v3/clusters', { name: 'v3-imported-spec' })).body.id as string;
      for (const path of [`/v3/clusters/${created.body.id}`, `/v3/clusters/${created.body.id}?_replace=true`, `/v3/clusters/${imported}`]) {
        const { body: shown } = await v3(server, 'GET', path.split('?')[0]!);
        const put = await v3(server, 'PUT', path, shown);
        expect(put.status, JSON.stringify(put.body)).toBe(200);
        const { resourceVersion: _changed, ...rest } = put.body;
        const { resourceVersion: _before, ...before } = shown;
        expect(rest, path).toEqual(before);
      }
      expect((await v3(server, 'PUT', `/v3/clusters/${imported}?_replace=true`, (await v3(server, 'GET', `/v3/clusters/${imported}`)).body)).status).toBe(200);
      const refused = await v3(server, 'PUT', `/v3/clusters/${created.body.id}`, { etcd: { snapshotScheduleCron: 'hourly-ish' } });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ type: 'error', fieldName: 'etcd' });
    });

    it('reads a resource by plural or singular type name, in any case', async () => {
      const { body: created } = await v3(server, 'POST', '/v3/clusters', { name: 'spellings' });
      for (const path of [`/v3/clusters/${created.id}`, `/v3/cluster/${created.id}`, `/v3/CLUSTERS/${created.id}`, `/v3//clusters//${created.id}`]) {
        const { status, body } = await v3(server, 'GET', path);
        expect(status, path).toBe(200);
        expect(body.id).toBe(created.id);
      }
    });

    it('updates only updatable fields with PUT', async () => {
      const { body: created } = await v3(server, 'POST', '/v3/clusters', { name: 'put-me', description: 'before' });
      const { status, body } = await v3(server, 'PUT', `/v3/clusters/${created.id}`, {
        description: 'after',
        state: 'active',
        created: '2000-01-01T00:00:00Z',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ description: 'after', state: 'provisioning', created: created.created });
    });

    it('deletes with DELETE, ?action=remove and the _method override', async () => {
      for (const [method, suffix] of [
        ['DELETE', ''],
        ['POST', '?action=remove'],
        ['POST', '?_method=DELETE'],
      ] as const) {
        const { body: created } = await v3(server, 'POST', '/v3/clusters', { name: `gone-${method.toLowerCase()}-${suffix.length}` });
        const removed = await v3(server, method, `/v3/clusters/${created.id}${suffix}`);
        expect(removed.status, `${method}${suffix}`).toBe(200);
        expect((await v3(server, 'GET', `/v3/clusters/${created.id}`)).status).toBe(404);
      }
    });

    it('answers 405 for methods the schema does not list', async () => {
      const { body: created } = await v3(server, 'POST', '/v3/clusters', { name: 'no-patch' });
      const patch = await v3(server, 'PATCH', `/v3/clusters/${created.id}`, {});
      expect(patch.status).toBe(405);
      expect(patch.body).toMatchObject({ type: 'error', status: 405, code: 'MethodNotAllow' });
      expect((await v3(server, 'POST', '/v3/schemas', {})).status).toBe(405);
      expect((await v3(server, 'PUT', '/v3/clusters', {})).status).toBe(405);
    });
  });

  describe('errors in Norman form', () => {
    it.each([
      ['a body that is not JSON', 'POST', '/v3/clusters', '{"name":', 400, 'InvalidBodyContent', undefined],
      ['a missing required field', 'POST', '/v3/clusters', { description: 'x' }, 422, 'MissingRequired', 'name'],
      ['a value of the wrong type', 'POST', '/v3/clusters', { name: { first: 'x' } }, 422, 'InvalidFormat', 'name'],
      ['a name that is too long', 'POST', '/v3/clusters', { name: 'x'.repeat(64) }, 422, 'MaxLengthExceeded', 'name'],
      ['a name GraphQL refuses', 'POST', '/v3/clusters', { name: 'Not Valid' }, 422, 'InvalidFormat', 'name'],
      ['an unknown resource', 'GET', '/v3/clusters/c-nope0', undefined, 404, 'NotFound', undefined],
      ['an unknown type', 'GET', '/v3/gizmos', undefined, 404, 'NotFound', undefined],
      ['an unknown action', 'POST', '/v3/clusters?action=explode', {}, 422, 'InvalidAction', undefined],
    ])('%s', async (_case, method, path, body, status, code, fieldName) => {
      const response = await v3(server, method, path, body);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ type: 'error', baseType: 'error', status, code });
      expect(response.body.fieldName).toBe(fieldName);
      expect(JSON.stringify(response.body)).not.toMatch(/\n\s+at /);
    });

    it('answers 409 AlreadyExists for a duplicate name', async () => {
      await v3(server, 'POST', '/v3/clusters', { name: 'twice' });
      const again = await v3(server, 'POST', '/v3/clusters', { name: 'twice' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'AlreadyExists', fieldName: 'name' });
    });
  });

  describe('links, sub-contexts and ids with colons', () => {
    it('follows a cluster’s projects link, the project’s cluster link, and the scoped API', async () => {
      const { body: cluster } = await v3(server, 'POST', '/v3/clusters', { name: 'linked' });
      const { body: other } = await v3(server, 'POST', '/v3/clusters', { name: 'other-linked' });
      const created = await v3(server, 'POST', `/v3/cluster/${cluster.id}/projects`, { name: 'Scoped', clusterId: other.id });
      expect(created.status).toBe(201);
      expect(created.body.clusterId).toBe(cluster.id);
      const project = created.body;
      expect(project.id).toMatch(new RegExp(`^${cluster.id}:p-`));
      expect(project.links.cluster).toBe(`${server.url}/v3/clusters/${cluster.id}`);
      expect(project.links.self).toBe(`${server.url}/v3/projects/${project.id}`);

      const viaLink = await v3(server, 'GET', new URL(cluster.links.projects).pathname);
      expect(viaLink.body.data.map((item: { id: string }) => item.id)).toEqual([project.id]);
      const viaContext = await v3(server, 'GET', `/v3/clusters/${cluster.id}/projects`);
      expect(viaContext.body.pagination.total).toBe(1);
      expect((await v3(server, 'GET', `/v3/clusters/${other.id}/projects`)).body.data).toEqual([]);

      const byColonId = await v3(server, 'GET', `/v3/projects/${project.id}`);
      expect(byColonId.body.name).toBe('Scoped');
      const back = await v3(server, 'GET', new URL(project.links.cluster).pathname);
      expect(back.body.id).toBe(cluster.id);
      expect((await v3(server, 'GET', `/v3/cluster/${other.id}/projects/${project.id}`)).status).toBe(404);
    });

    it('serves a scope’s schemas with collection links into the scope', async () => {
      const { body: cluster } = await v3(server, 'POST', '/v3/clusters', { name: 'schema-scope' });
      const { body } = await v3(server, 'GET', `/v3/clusters/${cluster.id}/schemas`);
      const project = body.data.find((schema: { id: string }) => schema.id === 'project');
      expect(project.links.collection).toBe(`${server.url}/v3/clusters/${cluster.id}/projects`);
      const clusterSchema = body.data.find((schema: { id: string }) => schema.id === 'cluster');
      expect(clusterSchema.links.collection).toBe(`${server.url}/v3/clusters`);
    });

    it('answers 404 for the scoped list of a parent that does not exist', async () => {
      expect((await v3(server, 'GET', '/v3/clusters/c-nope0/projects')).status).toBe(404);
    });
  });

  describe('headers that change the answer', () => {
    it('builds absolute links from X-Forwarded-Proto and X-Forwarded-Host, ignoring junk', async () => {
      const { body, headers } = await v3(server, 'GET', '/v3', undefined, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'rancher.example.com' });
      expect(body.links.self).toBe('https://rancher.example.com/v3');
      expect(headers.get('x-api-schemas')).toBe('https://rancher.example.com/v3/schemas');
      const junk = await v3(server, 'GET', '/v3', undefined, { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.com/<script>' });
      expect(junk.body.links.self).toBe(`${server.url}/v3`);
    });

    it('keeps the root and the schemas encoded per address: every host, scope and schema its own links', async () => {
      const asked = async (path: string, host: string) => (await v3(server, 'GET', path, undefined, { 'x-forwarded-host': host })).body;
      for (let round = 0; round < 2; round += 1) {
        for (const host of ['a.example', 'b.example']) {
          expect((await asked('/v3', host)).links.schemas).toBe(`http://${host}/v3/schemas`);
          const schemas = await asked('/v3/schemas', host);
          expect(schemas.links.self).toBe(`http://${host}/v3/schemas`);
          expect(schemas.data.find((schema: Json) => schema.id === 'project').links.collection).toBe(`http://${host}/v3/projects`);
          const scoped = await asked('/v3/clusters/c-one/schemas', host);
          expect(scoped.data.find((schema: Json) => schema.id === 'project').links.collection).toBe(`http://${host}/v3/clusters/c-one/projects`);
          const other = await asked('/v3/clusters/c-two/schemas', host);
          expect(other.data.find((schema: Json) => schema.id === 'project').links.collection).toBe(`http://${host}/v3/clusters/c-two/projects`);
          expect((await asked('/v3/schemas/cluster', host)).links.self).toBe(`http://${host}/v3/schemas/cluster`);
          expect((await asked('/v3/schemas/project', host)).links.self).toBe(`http://${host}/v3/schemas/project`);
          expect((await asked('/v3/openapi.json', host)).servers).toEqual([expect.objectContaining({ url: expect.stringContaining(host) })]);
        }
      }
      // A browser still gets the page, with the same document inside.
      const page = await fetch(`${server.url}/v3/schemas/cluster?_format=html`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain(`"self":"${server.url}/v3/schemas/cluster"`);
    });

    it('routes and acts on the requested path only: X-API-Request-Url puts a proxy’s prefix in front of links, nothing else', async () => {
      const { body: kept } = await v3(server, 'POST', '/v3/clusters', { name: 'request-url-kept' });
      // Another path in the header: the request still lists clusters, and its links name what was requested.
      const listed = await v3(server, 'GET', '/v3/clusters?limit=5', undefined, { 'x-api-request-url': '/v3/users' });
      expect(listed.body).toMatchObject({ type: 'collection', resourceType: 'cluster', links: { self: `${server.url}/v3/clusters?limit=5` } });
      // Another host, absolute, protocol-relative or behind a backslash: links stay on ours.
      for (const forged of [
        'https://evil.example/v3/clusters?limit=5',
        '//evil.example/v3/clusters?limit=5',
        '/\\evil.example/v3/clusters',
        '/\\/evil.example/v3/clusters',
      ]) {
        const { body } = await v3(server, 'GET', '/v3/clusters?limit=5', undefined, { 'x-api-request-url': forged });
        expect(body.links.self, forged).toBe(`${server.url}/v3/clusters?limit=5`);
        expect(JSON.stringify(body), forged).not.toContain('evil.example');
      }
      // A proxy's prefix: links carry it, with the request's own query (never the header's).
      const prefixed = await v3(server, 'GET', '/v3/clusters?limit=5', undefined, { 'x-api-request-url': '/k8s/clusters/local/v3/clusters?name=other' });
      expect(prefixed.body.links.self).toBe(`${server.url}/k8s/clusters/local/v3/clusters?limit=5`);
      expect(prefixed.body.data.length).toBeGreaterThan(0);
      // A write acts on the requested path, whatever the header names.
      const created = await v3(server, 'POST', '/v3/clusters', { name: 'request-url-new' }, { 'x-api-request-url': `/v3/clusters/${kept.id}?_method=DELETE` });
      expect(created.status).toBe(201);
      expect(created.body.name).toBe('request-url-new');
      expect((await v3(server, 'GET', `/v3/clusters/${kept.id}`)).status).toBe(200);
    });

    it('renames actions to actionLinks on X-API-Action-Links', async () => {
      const { body: created } = await v3(server, 'POST', '/v3/clusters', { name: 'action-links' });
      const { body } = await v3(server, 'GET', `/v3/clusters/${created.id}`, undefined, { 'x-api-action-links': 'actionLinks' });
      expect(body.actionLinks).toEqual({ generateKubeconfig: `${server.url}/v3/clusters/${created.id}?action=generateKubeconfig` });
      expect(body.actions).toBeUndefined();
    });
  });
});
