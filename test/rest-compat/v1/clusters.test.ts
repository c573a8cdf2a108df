import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/targets.js';
import { v3 as call, type V3Response } from '../helpers.js';
import { createKey, signUp } from '../../auth/helpers.js';

const collection = '/v1/provisioning.cattle.io.clusters';
const one = (name: string) => `${collection}/fleet-default/${name}`;

/** A provisioning cluster as a client writes it. */
function cluster(name: string, extra: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'provisioning.cattle.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'fleet-default', ...extra.metadata },
    spec: { ...extra.spec },
  };
}

const rkePools = [
  { name: 'cp', quantity: 1, etcdRole: true, controlPlaneRole: true, machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-cp' } },
  { name: 'workers', quantity: 2, workerRole: true, machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-w' } },
];

/** Kubernetes' error object, with the reason and code expected. */
function expectStatus(response: V3Response, code: number, reason: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(code);
  expect(response.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });
  expect(typeof response.body.message).toBe('string');
}

describe.each(databaseTargets)('/v1 provisioning.cattle.io clusters on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  describe('one cluster, three faces', () => {
    it('creates through /v1 with 201 and a Kubernetes object; GraphQL and /v3 see the same cluster', async () => {
      const created = await call(
        server,
        'POST',
        collection,
        cluster('from-v1', { metadata: { labels: { env: 'dev' } }, spec: { kubernetesVersion: 'v1.31.4+rke2r1', rkeConfig: { machinePools: rkePools } } }),
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const object = created.body;
      expect(object).toMatchObject({
        id: 'fleet-default/from-v1',
        type: 'provisioning.cattle.io.cluster',
        apiVersion: 'provisioning.cattle.io/v1',
        kind: 'Cluster',
        links: { self: `${server.url}${one('from-v1')}`, update: `${server.url}${one('from-v1')}`, remove: `${server.url}${one('from-v1')}` },
        metadata: {
          name: 'from-v1',
          namespace: 'fleet-default',
          labels: { env: 'dev' },
          annotations: {},
          state: { name: 'provisioning', transitioning: true, error: false },
        },
        spec: {
          kubernetesVersion: 'v1.31.4+rke2r1',
          rkeConfig: {
            machinePools: [expect.objectContaining({ name: 'cp', quantity: 1, etcdRole: true }), expect.objectContaining({ name: 'workers', quantity: 2 })],
          },
        },
        status: {
          clusterName: expect.stringMatching(/^c-[a-z0-9]{5}$/),
          ready: false,
          conditions: [expect.objectContaining({ type: 'Ready', status: 'Unknown' })],
        },
      });
      expect(object.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(Date.parse(object.metadata.creationTimestamp)).not.toBeNaN();

      const id = object.status.clusterName as string;
      const graphql = await server.graphql(`query($id: ID!) { cluster(id: $id) { name driver kubernetesVersion labels machinePools { name } } }`, { id });
      expect(graphql.data!.cluster).toEqual({
        name: 'from-v1',
        driver: 'RKE2',
        kubernetesVersion: 'v1.31.4+rke2r1',
        labels: { env: 'dev' },
        machinePools: [{ name: 'cp' }, { name: 'workers' }],
      });
      const norman = await call(server, 'GET', `/v3/clusters/${id}`);
      expect(norman.body).toMatchObject({ id, name: 'from-v1', driver: 'rke2' });
      const named = await server.graphql(`{ clusters(filter: { name: { eq: "from-v1" } }) { totalCount } }`);
      expect(named.data!.clusters.totalCount).toBe(1);
    });

    it('shows a cluster created through GraphQL, imported ones without rkeConfig, the description as Rancher’s annotation', async () => {
      const created = await server.graphql(
        `mutation { createCluster(input: { name: "from-graphql", description: "made in GraphQL", annotations: { team: "a" } }) { id } }`,
      );
      const id = created.data!.createCluster.id as string;
      const { status, body } = await call(server, 'GET', one('from-graphql'));
      expect(status).toBe(200);
      expect(body.metadata.annotations).toEqual({ team: 'a', 'field.cattle.io/description': 'made in GraphQL' });
      expect(body.status.clusterName).toBe(id);
      expect(body.spec.rkeConfig).toBeUndefined();
      expect(body.spec.kubernetesVersion).toBeUndefined();
    });

    it('tells K3s from RKE2 by the version, as Rancher does', async () => {
      const created = await call(server, 'POST', collection, cluster('k3s-one', { spec: { kubernetesVersion: 'v1.31.4+k3s1', rkeConfig: {} } }));
      expect(created.status).toBe(201);
      expect(created.body.spec.rkeConfig).toEqual({ machinePools: [] });
      const graphql = await server.graphql(`query($id: ID!) { cluster(id: $id) { driver } }`, { id: created.body.status.clusterName });
      expect(graphql.data!.cluster.driver).toBe('K3S');
    });

    it('lists in Steve’s collection form, a page at a time with continue', async () => {
      await call(server, 'POST', collection, cluster('listed-a'));
      await call(server, 'POST', collection, cluster('listed-b'));
      const all = await call(server, 'GET', collection);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({
        type: 'collection',
        resourceType: 'provisioning.cattle.io.cluster',
        links: { self: `${server.url}${collection}` },
        createTypes: { 'provisioning.cattle.io.cluster': `${server.url}${collection}` },
      });
      const names = all.body.data.map((object: { metadata: { name: string } }) => object.metadata.name);
      expect(names).toEqual(expect.arrayContaining(['listed-a', 'listed-b', 'from-v1']));
      expect(all.body.continue).toBeUndefined();

      const seen: string[] = [];
      let page = await call(server, 'GET', `${collection}?limit=2`);
      for (;;) {
        seen.push(...page.body.data.map((object: { id: string }) => object.id));
        if (!page.body.pagination) break;
        expect(page.body.data).toHaveLength(2);
        page = await call(server, 'GET', new URL(page.body.pagination.next as string).pathname + new URL(page.body.pagination.next as string).search);
      }
      expect(seen.sort()).toEqual(all.body.data.map((object: { id: string }) => object.id).sort());

      expect((await call(server, 'GET', `${collection}/fleet-default`)).body.data).toHaveLength(names.length);
      expect((await call(server, 'GET', `${collection}/elsewhere`)).body.data).toEqual([]);
      expectStatus(await call(server, 'GET', `${collection}?limit=zero`), 400, 'BadRequest');
    });

    it('updates with PUT: GraphQL sees the change, fields left out keep their values', async () => {
      const before = (await call(server, 'GET', one('from-v1'))).body;
      const changed = { ...before, metadata: { ...before.metadata, labels: { env: 'prod' } }, spec: { ...before.spec, kubernetesVersion: 'v1.32.1+rke2r1' } };
      const put = await call(server, 'PUT', one('from-v1'), changed);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.metadata.labels).toEqual({ env: 'prod' });
      const graphql = await server.graphql(`query($id: ID!) { cluster(id: $id) { labels kubernetesVersion machinePools { name } } }`, {
        id: before.status.clusterName,
      });
      expect(graphql.data!.cluster).toEqual({
        labels: { env: 'prod' },
        kubernetesVersion: 'v1.32.1+rke2r1',
        machinePools: [{ name: 'cp' }, { name: 'workers' }],
      });

      const partial = await call(server, 'PUT', one('from-v1'), { metadata: { name: 'from-v1' }, spec: {} });
      expect(partial.body.spec.kubernetesVersion).toBe('v1.32.1+rke2r1');
      expectStatus(await call(server, 'PUT', one('from-v1'), { metadata: { name: 'renamed' } }), 400, 'BadRequest');
    });

    it('deletes with DELETE: gone from every face', async () => {
      const created = await call(server, 'POST', collection, cluster('doomed'));
      const id = created.body.status.clusterName as string;
      const removed = await call(server, 'DELETE', one('doomed'));
      expect(removed.status).toBe(200);
      expect(removed.body.metadata.name).toBe('doomed');
      expectStatus(await call(server, 'GET', one('doomed')), 404, 'NotFound');
      expect((await call(server, 'GET', `/v3/clusters/${id}`)).status).toBe(404);
      expect(await server.graphql(`query($id: ID!) { cluster(id: $id) { id } }`, { id })).toEqual({ data: { cluster: null } });
    });

    it('deletes through /v3 what /v1 created', async () => {
      const created = await call(server, 'POST', collection, cluster('v3-removes'));
      expect((await call(server, 'DELETE', `/v3/clusters/${created.body.status.clusterName}`)).status).toBe(200);
      expectStatus(await call(server, 'GET', one('v3-removes')), 404, 'NotFound');
    });
  });

  describe('errors are Kubernetes Status objects', () => {
    it.each([
      ['an invalid name', cluster('Not A Name'), 'metadata.name'],
      ['a missing name', { apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: {}, spec: {} }, 'metadata.name'],
      ['an RKE2 cluster without a version', cluster('no-version', { spec: { rkeConfig: { machinePools: rkePools } } }), 'spec.kubernetesVersion'],
      ['a version no distribution releases', cluster('wrong-version', { spec: { kubernetesVersion: '1.31', rkeConfig: {} } }), 'spec.kubernetesVersion'],
      [
        'a bad machine pool',
        cluster('bad-pool', { spec: { kubernetesVersion: 'v1.31.4+rke2r1', rkeConfig: { machinePools: [{ ...rkePools[0], quantity: -1 }] } } }),
        'spec.rkeConfig.machinePools',
      ],
      ['a label that is not a label', cluster('bad-label', { metadata: { labels: { 'bad key!': 'x' } } }), 'metadata.labels'],
    ])('refuses %s with 422 Invalid naming the field in the object', async (_what, body, field) => {
      const response = await call(server, 'POST', collection, body);
      expectStatus(response, 422, 'Invalid');
      expect(response.body.details).toMatchObject({
        group: 'provisioning.cattle.io',
        kind: 'clusters',
        causes: [{ field: expect.stringMatching(new RegExp(`^${field.replaceAll('.', '\\.')}`)) }],
      });
    });

    it('refuses a value GraphQL cannot take as 422 Invalid, never an internal error', async () => {
      expectStatus(await call(server, 'POST', collection, cluster('typed', { spec: { kubernetesVersion: 5 } })), 422, 'Invalid');
    });

    it('answers a duplicate name with 409 AlreadyExists', async () => {
      await call(server, 'POST', collection, cluster('twice'));
      expectStatus(await call(server, 'POST', collection, cluster('twice')), 409, 'AlreadyExists');
    });

    it('answers 400 BadRequest for a body that is not JSON or not this kind, 404 for another namespace', async () => {
      expectStatus(await call(server, 'POST', collection, '{not json'), 400, 'BadRequest');
      expectStatus(await call(server, 'POST', collection, { ...cluster('kind-of'), kind: 'Pod' }), 400, 'BadRequest');
      expectStatus(await call(server, 'POST', `${collection}/fleet-default`, cluster('moved', { metadata: { namespace: 'fleet-local' } })), 400, 'BadRequest');
      expectStatus(await call(server, 'POST', collection, cluster('moved', { metadata: { namespace: 'fleet-local' } })), 404, 'NotFound');
    });

    it('answers 404 for unknown types, names and namespaces, 405 for methods the type lacks', async () => {
      expectStatus(await call(server, 'GET', '/v1/provisioning.cattle.io.nothings'), 404, 'NotFound');
      expectStatus(await call(server, 'GET', one('never-made')), 404, 'NotFound');
      expectStatus(await call(server, 'GET', `${collection}/elsewhere/from-graphql`), 404, 'NotFound');
      expectStatus(await call(server, 'PATCH', one('from-graphql'), {}), 405, 'MethodNotAllowed');
      expectStatus(await call(server, 'DELETE', collection), 405, 'MethodNotAllowed');
    });

    it('answers 401 Unauthorized without a credential or with a bad one', async () => {
      expectStatus(await call({ url: server.url }, 'GET', collection), 401, 'Unauthorized');
      expectStatus(await call({ url: server.url, token: 'token-nope0:wrong' }, 'GET', collection), 401, 'Unauthorized');
      expectStatus(await call({ url: server.url }, 'POST', collection, cluster('anonymous')), 401, 'Unauthorized');
    });
  });

  describe('who sees what', () => {
    it('shows a standard user only their clusters; others are 404, not 403', async () => {
      const user = await signUp(server, 'v1-user');
      const as = { url: server.url, token: user.token };
      expect((await call(as, 'GET', collection)).body.data).toEqual([]);
      expectStatus(await call(as, 'GET', one('from-graphql')), 404, 'NotFound');
      expectStatus(await call(as, 'DELETE', one('from-graphql')), 404, 'NotFound');

      const own = await call(as, 'POST', collection, cluster('users-own'));
      expect(own.status).toBe(201);
      expect(own.body.links.update).toBeDefined();
      expect((await call(as, 'GET', collection)).body.data.map((object: { id: string }) => object.id)).toEqual(['fleet-default/users-own']);
    });

    it('lets a cluster member read but not change: 403 Forbidden, and no update or remove link', async () => {
      const member = await signUp(server, 'v1-member');
      const id = (await call(server, 'GET', one('from-graphql'))).body.status.clusterName as string;
      const bound = await server.graphql(
        `mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`,
        {
          input: { clusterId: id, userId: member.id, roleTemplateId: 'cluster-member' },
        },
      );
      expect(bound.errors).toBeUndefined();
      const as = { url: server.url, token: member.token };
      const read = await call(as, 'GET', one('from-graphql'));
      expect(read.status).toBe(200);
      expect(read.body.links).toEqual({ self: `${server.url}${one('from-graphql')}` });
      expectStatus(await call(as, 'PUT', one('from-graphql'), { metadata: { name: 'from-graphql', labels: { taken: 'over' } } }), 403, 'Forbidden');
      expectStatus(await call(as, 'DELETE', one('from-graphql')), 403, 'Forbidden');
    });

    it('limits a key scoped to a cluster to that cluster, and refuses it creation', async () => {
      const id = (await call(server, 'GET', one('from-graphql'))).body.status.clusterName as string;
      const key = await createKey(server, server.token, { clusterId: id });
      const as = { url: server.url, token: key.token as string };
      expect((await call(as, 'GET', collection)).body.data.map((object: { id: string }) => object.id)).toEqual(['fleet-default/from-graphql']);
      expectStatus(await call(as, 'GET', one('listed-a')), 404, 'NotFound');
      expectStatus(await call(as, 'POST', collection, cluster('scoped-made')), 403, 'Forbidden');
    });
  });
});
