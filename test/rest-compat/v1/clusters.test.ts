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

/**
 * The rest of a ClusterSpec as Terraform's rancher2_cluster_v2 sends it (Go's encoding of
 * provisioning.cattle.io/v1 types): every part set, zero values where Go writes them
 * (drain options, `null` maps) and empty structs of what this server does not keep.
 */
function terraformSpec(credential: string) {
  return {
    kubernetesVersion: 'v1.31.4+rke2r1',
    cloudCredentialSecretName: credential,
    rkeConfig: {
      upgradeStrategy: {
        controlPlaneConcurrency: '1',
        controlPlaneDrainOptions: {
          enabled: true,
          force: false,
          ignoreDaemonSets: true,
          deleteEmptyDirData: true,
          disableEviction: false,
          gracePeriod: -1,
          timeout: 120,
          skipWaitForDeleteTimeoutSeconds: 0,
        },
        workerConcurrency: '10%',
        workerDrainOptions: {
          enabled: false,
          force: false,
          deleteEmptyDirData: false,
          disableEviction: false,
          gracePeriod: 0,
          timeout: 0,
          skipWaitForDeleteTimeoutSeconds: 0,
        },
      },
      chartValues: { 'rke2-calico': { installation: { calicoNetwork: { bgp: 'Disabled', mtu: 1450 } } } },
      machineGlobalConfig: { cni: 'calico', 'disable-kube-proxy': false, 'kube-apiserver-arg': ['audit-log-maxage=30'] },
      machineSelectorConfig: [
        { config: { 'protect-kernel-defaults': true } },
        {
          machineLabelSelector: { matchExpressions: [{ key: 'rke.cattle.io/etcd-role', operator: 'In', values: ['true'] }], matchLabels: { tier: 'control' } },
          config: { 'etcd-arg': ['quota-backend-bytes=8589934592'] },
        },
      ],
      additionalManifest: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
      registries: {
        mirrors: { 'docker.io': { endpoint: ['https://mirror.example.com:5000'], rewrite: { '^library/(.*)': 'mirrored/$1' } } },
        configs: {
          'mirror.example.com:5000': {
            authConfigSecretName: 'registry-auth',
            tlsSecretName: 'registry-tls',
            caBundle: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'),
            insecureSkipVerify: false,
          },
        },
      },
      etcd: {
        snapshotScheduleCron: '0 */5 * * *',
        snapshotRetention: 5,
        s3: {
          endpoint: 's3.us-east-1.amazonaws.com',
          skipSSLVerify: false,
          bucket: 'snapshots',
          region: 'us-east-1',
          cloudCredentialName: credential,
          retention: 10,
          folder: 'rke2',
        },
      },
      dataDirectories: {},
      machinePools: rkePools,
      machinePoolDefaults: {},
    },
    localClusterAuthEndpoint: { enabled: true, fqdn: 'api.example.com:6443', caCerts: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
    agentEnvVars: [
      { name: 'HTTP_PROXY', value: 'http://proxy.example.com:3128' },
      { name: 'NO_PROXY', value: '127.0.0.1,localhost,.svc' },
    ],
    clusterAgentDeploymentCustomization: {
      appendTolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      overrideAffinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['control'] }] }] },
        },
      },
      overrideResourceRequirements: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m' } },
    },
    defaultPodSecurityAdmissionConfigurationTemplateName: 'rancher-restricted',
    enableNetworkPolicy: false,
  };
}

type Spec = ReturnType<typeof terraformSpec>;

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

    it('updates with PUT, which replaces the object as Kubernetes’ does: GraphQL sees the change, a field left out goes back to empty', async () => {
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

      // Labels left out (a manifest that no longer has them): none, not the old ones kept.
      const latest = (await call(server, 'GET', one('from-v1'))).body;
      const { labels: _removed, ...withoutLabels } = latest.metadata;
      const unlabelled = await call(server, 'PUT', one('from-v1'), { ...latest, metadata: withoutLabels });
      expect(unlabelled.status, JSON.stringify(unlabelled.body)).toBe(200);
      const after = await server.graphql(`query($id: ID!) { cluster(id: $id) { labels kubernetesVersion machinePools { name } } }`, {
        id: before.status.clusterName,
      });
      expect(after.data!.cluster).toEqual({ labels: {}, kubernetesVersion: 'v1.32.1+rke2r1', machinePools: [{ name: 'cp' }, { name: 'workers' }] });
      // A spec left out is an empty spec, which an RKE2 cluster cannot have: Invalid, naming the field, and nothing written.
      const partial = await call(server, 'PUT', one('from-v1'), { metadata: { name: 'from-v1' }, spec: {} });
      expectStatus(partial, 422, 'Invalid');
      expect(partial.body.details.causes).toEqual([expect.objectContaining({ field: 'spec.kubernetesVersion' })]);
      expect((await call(server, 'GET', one('from-v1'))).body.spec.kubernetesVersion).toBe('v1.32.1+rke2r1');
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

  describe('the rest of Rancher’s spec, as Terraform’s rancher2_cluster_v2 writes and reads it', () => {
    let credential: string;
    beforeAll(async () => {
      const created = await server.graphql(
        `mutation { createCloudCredential(input: { name: "aws", digitaloceancredentialConfig: { accessToken: "t" } }) { id } }`,
      );
      credential = created.data!.createCloudCredential.id as string;
    });

    /** What GET shows of terraformSpec: Rancher's paths and names, nothing Go's omitempty leaves out. */
    const shownSpec = (sent: ReturnType<typeof terraformSpec>) => {
      const { dataDirectories: _notKept, machinePoolDefaults: _neither, upgradeStrategy, registries, etcd, machinePools: _pools, ...rke } = sent.rkeConfig;
      const { insecureSkipVerify: _false, ...config } = registries.configs['mirror.example.com:5000'];
      const { skipSSLVerify: _alsoFalse, ...s3 } = etcd.s3;
      return {
        ...sent,
        rkeConfig: {
          ...rke,
          // A drain that sets nothing is left out; one that sets something shows Go's zeros too.
          upgradeStrategy: { controlPlaneConcurrency: '1', controlPlaneDrainOptions: upgradeStrategy.controlPlaneDrainOptions, workerConcurrency: '10%' },
          registries: { ...registries, configs: { 'mirror.example.com:5000': config } },
          etcd: { ...etcd, s3 },
          machinePools: expect.any(Array),
        },
      };
    };

    it('takes every part with POST, shows each at Rancher’s path with omitempty, and GraphQL keeps them typed', async () => {
      const sent = terraformSpec(credential);
      const created = await call(server, 'POST', collection, { ...cluster('terraform-spec'), spec: sent, status: { observedGeneration: 0 } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.get('warning')).toBeNull();
      expect(created.body.spec).toEqual(shownSpec(sent));
      const read = await call(server, 'GET', one('terraform-spec'));
      expect(read.body.spec).toEqual(shownSpec(sent));
      // Go's order of the fields, as Rancher writes them.
      expect(Object.keys(read.body.spec.rkeConfig)).toEqual([
        'upgradeStrategy',
        'chartValues',
        'machineGlobalConfig',
        'machineSelectorConfig',
        'additionalManifest',
        'registries',
        'etcd',
        'machinePools',
      ]);

      const graphql = await server.graphql(
        `query($id: ID!) { cluster(id: $id) {
          etcd { s3 { cloudCredentialId cloudCredential { id } } }
          registries { mirrors { hostname endpoints rewrites } configs { hostname tlsSecretName insecureSkipVerify } }
          machineSelectorConfig { machineLabelSelector { matchExpressions { operator } } }
          upgradeStrategy { workerDrainOptions { enabled gracePeriod } controlPlaneDrainOptions { gracePeriod ignoreDaemonSets } }
          enableNetworkPolicy agentEnvVars { name }
        } }`,
        { id: created.body.status.clusterName },
      );
      expect(graphql.errors).toBeUndefined();
      expect(graphql.data!.cluster).toEqual({
        etcd: { s3: { cloudCredentialId: credential, cloudCredential: { id: credential } } },
        registries: {
          mirrors: [{ hostname: 'docker.io', endpoints: ['https://mirror.example.com:5000'], rewrites: { '^library/(.*)': 'mirrored/$1' } }],
          configs: [{ hostname: 'mirror.example.com:5000', tlsSecretName: 'registry-tls', insecureSkipVerify: false }],
        },
        machineSelectorConfig: [{ machineLabelSelector: null }, { machineLabelSelector: { matchExpressions: [{ operator: 'IN' }] } }],
        upgradeStrategy: { workerDrainOptions: { enabled: false, gracePeriod: 0 }, controlPlaneDrainOptions: { gracePeriod: -1, ignoreDaemonSets: true } },
        enableNetworkPolicy: false,
        agentEnvVars: [{ name: 'HTTP_PROXY' }, { name: 'NO_PROXY' }],
      });
    });

    it('takes back under fieldValidation=Strict what GET showed, unchanged, and a change to it', async () => {
      const shown = (await call(server, 'GET', one('terraform-spec'))).body;
      const put = await call(server, 'PUT', `${one('terraform-spec')}?fieldValidation=Strict`, shown);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.headers.get('warning')).toBeNull();
      expect(put.body.spec).toEqual(shown.spec);

      const changed = structuredClone(put.body);
      changed.spec.rkeConfig.etcd = { disableSnapshots: true };
      changed.spec.rkeConfig.registries.mirrors['registry.k8s.io'] = { endpoint: ['https://k8s-mirror.example.com'] };
      changed.spec.agentEnvVars = [{ name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' }];
      changed.spec.localClusterAuthEndpoint = { enabled: false };
      const changedPut = await call(server, 'PUT', `${one('terraform-spec')}?fieldValidation=Strict`, changed);
      expect(changedPut.status, JSON.stringify(changedPut.body)).toBe(200);
      expect(changedPut.body.spec).toEqual({
        ...shown.spec,
        rkeConfig: {
          ...shown.spec.rkeConfig,
          etcd: { disableSnapshots: true },
          registries: {
            ...shown.spec.rkeConfig.registries,
            mirrors: { ...shown.spec.rkeConfig.registries.mirrors, 'registry.k8s.io': { endpoint: ['https://k8s-mirror.example.com'] } },
          },
        },
        agentEnvVars: [{ name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' }],
        // Nothing left set: left out.
        localClusterAuthEndpoint: undefined,
      });
    });

    it('forgets what a PUT leaves out, as Terraform does when a block is removed from its configuration', async () => {
      const shown = (await call(server, 'GET', one('terraform-spec'))).body;
      const { registries: _removed, additionalManifest: _alsoRemoved, ...rkeConfig } = shown.spec.rkeConfig;
      const { agentEnvVars: _gone, ...spec } = shown.spec;
      const put = await call(server, 'PUT', `${one('terraform-spec')}?fieldValidation=Strict`, { ...shown, spec: { ...spec, rkeConfig } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      // Shown as a plan compares them: absent, as they were left out (an empty registries is no block).
      const after = (await call(server, 'GET', one('terraform-spec'))).body;
      expect(after.spec).toEqual({ ...spec, rkeConfig });
      const graphql = await server.graphql(
        `query($id: ID!) { cluster(id: $id) { additionalManifest agentEnvVars { name } registries { mirrors { hostname } } } }`,
        {
          id: shown.status.clusterName,
        },
      );
      expect(graphql.data!.cluster).toEqual({ additionalManifest: '', agentEnvVars: [], registries: { mirrors: [] } });
    });

    it('shows an imported cluster’s agent settings but no rkeConfig, and refuses one for it', async () => {
      const { rkeConfig: _none, kubernetesVersion: _imported, cloudCredentialSecretName: _noMachines, ...spec } = terraformSpec(credential);
      const created = await call(server, 'POST', collection, { ...cluster('imported-agents'), spec });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.spec).toEqual(spec);
      const refused = await call(server, 'PUT', one('imported-agents'), {
        ...created.body,
        spec: { ...spec, rkeConfig: { chartValues: { 'rke2-calico': {} } } },
      });
      expectStatus(refused, 422, 'Invalid');
      expect(refused.body.details.causes).toEqual([expect.objectContaining({ field: 'spec.rkeConfig.chartValues' })]);
      // `rkeConfig: null` is none, as Go reads it: another imported cluster, not an RKE2 one without a version.
      const withNull = await call(server, 'POST', collection, { ...cluster('imported-null'), spec: { ...spec, rkeConfig: null } });
      expect(withNull.status, JSON.stringify(withNull.body)).toBe(201);
      expect(withNull.body.spec).toEqual(spec);
    });

    /** A Terraform body with fields this server drops: Rancher's own it does not keep and, unless told not to, unknown ones. */
    const dropping = (withUnknown = true) => {
      const spec = terraformSpec(credential);
      const unknownIf = <T extends object>(fields: T) => (withUnknown ? fields : {});
      return {
        ...cluster('dropping'),
        spec: {
          ...spec,
          ...unknownIf({ fleetNamespace: 'fleet-default' }),
          redeploySystemAgentGeneration: 0,
          clusterAgentDeploymentCustomization: {
            ...spec.clusterAgentDeploymentCustomization,
            schedulingCustomization: { podDisruptionBudget: { minAvailable: '1' } },
          },
          rkeConfig: {
            ...spec.rkeConfig,
            etcd: { ...spec.rkeConfig.etcd, s3: { ...spec.rkeConfig.etcd.s3, ...unknownIf({ color: 'blue' }) } },
            upgradeStrategy: {
              ...spec.rkeConfig.upgradeStrategy,
              workerDrainOptions: { ...spec.rkeConfig.upgradeStrategy.workerDrainOptions, preDrainHooks: [{ annotation: 'example.com/drained' }] },
            },
            rotateCertificates: { generation: 1 },
            // All zero: nothing set, nothing lost.
            rotateEncryptionKeys: { generation: 0 },
            networking: { stackPreference: 'ipv4' },
            dataDirectories: { k8sDistro: '/data/rke2' },
            ...unknownIf({ managementClusterName: 'c-m-abcde' }),
          },
        },
      };
    };
    // In the order the body has them, as a decoder finds them.
    const unknown = ['spec.rkeConfig.etcd.s3.color', 'spec.rkeConfig.managementClusterName', 'spec.fleetNamespace'];
    const unsupported = [
      'spec.rkeConfig.upgradeStrategy.workerDrainOptions.preDrainHooks',
      'spec.rkeConfig.dataDirectories',
      'spec.rkeConfig.rotateCertificates',
      'spec.rkeConfig.networking',
      'spec.clusterAgentDeploymentCustomization.schedulingCustomization',
    ];

    it('warns of spec fields it drops by default (fieldValidation Warn), as a Warning header each, and keeps the rest', async () => {
      const warned = await call(server, 'POST', collection, dropping());
      expect(warned.status, JSON.stringify(warned.body)).toBe(201);
      expect(warned.headers.get('warning')).toBe(
        [
          ...unknown.map((path) => `299 - "unknown field \\"${path}\\""`),
          ...unsupported.map((path) => `299 - "${path}: not supported by this server, ignored"`),
        ].join(', '),
      );
      expect(warned.body.spec).toEqual(shownSpec(terraformSpec(credential)));
    });

    it('refuses the unknown ones all together with 400 under fieldValidation=Strict, writing nothing; Rancher’s own fields are not unknown', async () => {
      const strict = await call(server, 'POST', `${collection}?fieldValidation=Strict`, { ...dropping(), metadata: { name: 'dropping-strict' } });
      expectStatus(strict, 400, 'BadRequest');
      expect(strict.body.message).toBe(`strict decoding error: ${unknown.map((path) => `unknown field "${path}"`).join(', ')}`);
      expectStatus(await call(server, 'GET', one('dropping-strict')), 404, 'NotFound');
      // Without the unknown fields, a strict write of Rancher's fields this server does not keep goes on, and is told.
      const accepted = await call(server, 'POST', `${collection}?fieldValidation=Strict`, { ...dropping(false), metadata: { name: 'dropping-strict' } });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
      expect(accepted.headers.get('warning')).toBe(unsupported.map((path) => `299 - "${path}: not supported by this server, ignored"`).join(', '));
    });

    it('drops unknown fields silently under fieldValidation=Ignore, and still tells of Rancher’s it does not keep', async () => {
      const ignored = await call(server, 'PUT', `${one('dropping')}?fieldValidation=Ignore`, dropping());
      expect(ignored.status, JSON.stringify(ignored.body)).toBe(200);
      expect(ignored.headers.get('warning')).toBe(unsupported.map((path) => `299 - "${path}: not supported by this server, ignored"`).join(', '));
    });

    it.each([
      [
        'a chart’s values that are not an object',
        (spec: Spec) => (spec.rkeConfig.chartValues = { 'rke2-calico': 'mtu: 1450' } as never),
        'spec.rkeConfig.chartValues[rke2-calico]',
      ],
      [
        'machine configuration that is not a map',
        (spec: Spec) => (spec.rkeConfig.machineGlobalConfig = ['cni'] as never),
        'spec.rkeConfig.machineGlobalConfig',
      ],
      [
        'a selector requirement without values',
        (spec: Spec) => (spec.rkeConfig.machineSelectorConfig[1]!.machineLabelSelector!.matchExpressions[0]!.values = []),
        'spec.rkeConfig.machineSelectorConfig[1].machineLabelSelector.matchExpressions[0].values',
      ],
      [
        'a mirror endpoint that is no URL',
        (spec: Spec) => (spec.rkeConfig.registries.mirrors['docker.io'].endpoint = ['mirror.example.com']),
        'spec.rkeConfig.registries.mirrors[docker.io].endpoint[0]',
      ],
      ['registries by host that are a list', (spec: Spec) => (spec.rkeConfig.registries.configs = [] as never), 'spec.rkeConfig.registries.configs'],
      [
        'a CA bundle that is not base64',
        (spec: Spec) => (spec.rkeConfig.registries.configs['mirror.example.com:5000'].caBundle = 'PEM!'),
        'spec.rkeConfig.registries.configs[mirror.example.com:5000].caBundle',
      ],
      [
        'a worker concurrency over 100%',
        (spec: Spec) => (spec.rkeConfig.upgradeStrategy.workerConcurrency = '150%'),
        'spec.rkeConfig.upgradeStrategy.workerConcurrency',
      ],
      [
        'a snapshot schedule cron cannot read',
        (spec: Spec) => (spec.rkeConfig.etcd.snapshotScheduleCron = 'nightly'),
        'spec.rkeConfig.etcd.snapshotScheduleCron',
      ],
      [
        'an S3 credential that does not exist',
        (spec: Spec) => (spec.rkeConfig.etcd.s3.cloudCredentialName = 'cattle-global-data:cc-nope0'),
        'spec.rkeConfig.etcd.s3.cloudCredentialName',
      ],
      ['a manifest that is not YAML', (spec: Spec) => (spec.rkeConfig.additionalManifest = 'kind: [Namespace'), 'spec.rkeConfig.additionalManifest'],
      ['CA certificates without an fqdn', (spec: Spec) => (spec.localClusterAuthEndpoint.fqdn = ''), 'spec.localClusterAuthEndpoint.fqdn'],
      ['a NO_PROXY with spaces', (spec: Spec) => (spec.agentEnvVars[1]!.value = 'localhost, .svc'), 'spec.agentEnvVars[1].value'],
      [
        'an agent toleration’s unknown effect',
        (spec: Spec) => (spec.clusterAgentDeploymentCustomization.appendTolerations[0]!.effect = 'Sometimes'),
        'spec.clusterAgentDeploymentCustomization.appendTolerations[0].effect',
      ],
      [
        'a template name that is no Kubernetes name',
        (spec: Spec) => (spec.defaultPodSecurityAdmissionConfigurationTemplateName = 'Restricted!'),
        'spec.defaultPodSecurityAdmissionConfigurationTemplateName',
      ],
    ])('refuses %s with 422 Invalid naming the field in Rancher’s terms', async (_what, change, field) => {
      const spec = terraformSpec(credential);
      change(spec);
      const response = await call(server, 'POST', collection, { ...cluster('refused-spec'), spec });
      expectStatus(response, 422, 'Invalid');
      expect(response.body.details.causes).toEqual([expect.objectContaining({ field })]);
      expect(response.body.message).not.toMatch(/Variable|\$input|GraphQL/);
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
