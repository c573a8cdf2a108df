import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

const pool = (overrides: Record<string, unknown> = {}) => ({
  name: 'all-in-one',
  quantity: 3,
  etcdRole: true,
  controlPlaneRole: true,
  workerRole: true,
  machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-all-in-one' },
  labels: { tier: 'control' },
  taints: [{ key: 'dedicated', value: 'infra', effect: 'NO_SCHEDULE' }],
  drainBeforeDelete: true,
  drainTimeoutSeconds: 120,
  unhealthyNodeTimeout: '5m',
  maxUnhealthy: '10%',
  ...overrides,
});

const drainFields = 'enabled force ignoreDaemonSets ignoreErrors deleteEmptyDirData disableEviction gracePeriod timeout skipWaitForDeleteTimeoutSeconds';
/** The rest of Rancher's spec: its rkeConfig beside the pools, and the agents' settings. */
const rancherSpec = `chartValues machineGlobalConfig additionalManifest
  machineSelectorConfig { machineLabelSelector { matchLabels matchExpressions { key operator values } } config }
  upgradeStrategy { controlPlaneConcurrency controlPlaneDrainOptions { ${drainFields} } workerConcurrency workerDrainOptions { ${drainFields} } }
  etcd { disableSnapshots snapshotScheduleCron snapshotRetention s3 { bucket cloudCredentialId endpoint endpointCA folder region skipSSLVerify retention } }
  registries { mirrors { hostname endpoints rewrites } configs { hostname authConfigSecretName tlsSecretName caBundle insecureSkipVerify } }
  localClusterAuthEndpoint { enabled fqdn caCerts } agentEnvVars { name value } enableNetworkPolicy defaultPodSecurityAdmissionConfigurationTemplateName`;

const spec = `driver kubernetesVersion cloudCredentialId
  machinePools { name quantity etcdRole controlPlaneRole workerRole machineConfigRef { kind name } labels taints { key value effect } drainBeforeDelete drainTimeoutSeconds unhealthyNodeTimeout maxUnhealthy paused }
  clusterAgentCustomization { appendTolerations { key operator value effect tolerationSeconds } overrideAffinity overrideResourceRequirements { requests { cpu memory } limits { cpu memory } } }
  fleetAgentCustomization { appendTolerations { key } }
  ${rancherSpec}`;

const noDrain = {
  enabled: false,
  force: false,
  ignoreDaemonSets: null,
  ignoreErrors: false,
  deleteEmptyDirData: false,
  disableEviction: false,
  gracePeriod: 0,
  timeout: 0,
  skipWaitForDeleteTimeoutSeconds: 0,
};

/** Every part of the rest of Rancher's spec, set (the S3 credential's id aside). */
const rancherParts = {
  chartValues: { 'rke2-calico': { installation: { calicoNetwork: { bgp: 'Disabled', mtu: 1450 } } } },
  machineGlobalConfig: { cni: 'calico', 'disable-kube-proxy': false, 'kube-apiserver-arg': ['audit-log-maxage=30'] },
  machineSelectorConfig: [
    { config: { 'protect-kernel-defaults': true } },
    {
      machineLabelSelector: { matchLabels: { tier: 'control' }, matchExpressions: [{ key: 'rke.cattle.io/etcd-role', operator: 'IN', values: ['true'] }] },
      config: { 'etcd-arg': ['quota-backend-bytes=8589934592'] },
    },
  ],
  additionalManifest: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
  upgradeStrategy: {
    controlPlaneConcurrency: '1',
    controlPlaneDrainOptions: { enabled: true, ignoreDaemonSets: true, deleteEmptyDirData: true, gracePeriod: -1, timeout: 120 },
    workerConcurrency: '10%',
  },
  etcd: {
    snapshotScheduleCron: '0 */5 * * *',
    snapshotRetention: 5,
    s3: { bucket: 'snapshots', endpoint: 's3.us-east-1.amazonaws.com', folder: 'rke2', region: 'us-east-1', retention: 10 },
  },
  registries: {
    mirrors: [{ hostname: 'docker.io', endpoints: ['https://mirror.example.com:5000'], rewrites: { '^library/(.*)': 'mirrored/$1' } }],
    configs: [
      { hostname: 'mirror.example.com:5000', authConfigSecretName: 'registry-auth', caBundle: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64') },
    ],
  },
  localClusterAuthEndpoint: { enabled: true, fqdn: 'api.example.com:6443', caCerts: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
  agentEnvVars: [
    { name: 'HTTP_PROXY', value: 'http://proxy.example.com:3128' },
    { name: 'NO_PROXY', value: '127.0.0.1,localhost,.svc' },
  ],
  enableNetworkPolicy: true,
  defaultPodSecurityAdmissionConfigurationTemplateName: 'rancher-restricted',
};

/** The same parts as GraphQL shows them: every field, the ones never given at their defaults. */
const rancherPartsShown = {
  ...rancherParts,
  machineSelectorConfig: [
    { machineLabelSelector: null, config: { 'protect-kernel-defaults': true } },
    {
      machineLabelSelector: { matchLabels: { tier: 'control' }, matchExpressions: [{ key: 'rke.cattle.io/etcd-role', operator: 'IN', values: ['true'] }] },
      config: { 'etcd-arg': ['quota-backend-bytes=8589934592'] },
    },
  ],
  upgradeStrategy: {
    controlPlaneConcurrency: '1',
    controlPlaneDrainOptions: { ...noDrain, enabled: true, ignoreDaemonSets: true, deleteEmptyDirData: true, gracePeriod: -1, timeout: 120 },
    workerConcurrency: '10%',
    workerDrainOptions: noDrain,
  },
  etcd: {
    disableSnapshots: false,
    snapshotScheduleCron: '0 */5 * * *',
    snapshotRetention: 5,
    s3: {
      bucket: 'snapshots',
      cloudCredentialId: null,
      endpoint: 's3.us-east-1.amazonaws.com',
      endpointCA: null,
      folder: 'rke2',
      region: 'us-east-1',
      skipSSLVerify: false,
      retention: 10,
    },
  },
  registries: {
    mirrors: rancherParts.registries.mirrors,
    configs: [{ ...rancherParts.registries.configs[0], tlsSecretName: null, insecureSkipVerify: false }],
  },
};

/** What a cluster shows for the parts never given. */
const rancherPartsUnset = {
  chartValues: {},
  machineGlobalConfig: {},
  machineSelectorConfig: [],
  additionalManifest: '',
  upgradeStrategy: { controlPlaneConcurrency: null, controlPlaneDrainOptions: noDrain, workerConcurrency: null, workerDrainOptions: noDrain },
  etcd: null,
  registries: null,
  localClusterAuthEndpoint: { enabled: false, fqdn: null, caCerts: null },
  agentEnvVars: [],
  enableNetworkPolicy: null,
  defaultPodSecurityAdmissionConfigurationTemplateName: '',
};

describe.each(databaseTargets)('RKE2/K3s provisioning spec on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  const create = (input: Record<string, unknown>) =>
    server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id ${spec} } }`, { input });

  it('stores machine pools and agent customisation and gives them back', async () => {
    const agent = {
      appendTolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'EXISTS', effect: 'NO_SCHEDULE' }],
      overrideAffinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
      overrideResourceRequirements: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    };
    const result = await create({
      name: 'rke2-prod',
      driver: 'RKE2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      machinePools: [pool()],
      clusterAgentCustomization: agent,
    });
    expect(result.errors).toBeUndefined();
    const cluster = result.data!.createCluster;
    expect(cluster).toMatchObject({ driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [{ ...pool(), paused: false }] });
    expect(cluster.clusterAgentCustomization).toEqual({
      ...agent,
      appendTolerations: [{ ...agent.appendTolerations[0], value: null, tolerationSeconds: null }],
    });
    expect(cluster.fleetAgentCustomization).toEqual({ appendTolerations: [] });
  });

  it('stores the rest of Rancher’s spec — rkeConfig parts, agent settings — and gives it back', async () => {
    const result = await create({ name: 'rke2-rancher-spec', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool()], ...rancherParts });
    expect(result.errors).toBeUndefined();
    const { id, ...shown } = result.data!.createCluster;
    expect(shown).toMatchObject(rancherPartsShown);
    const read = await server.graphql(`query($id: ID!) { cluster(id: $id) { ${rancherSpec} } }`, { id });
    expect(read.data!.cluster).toEqual(rancherPartsShown);

    // A part given replaces the stored one whole; one not given is left; an empty one clears.
    const updated = await server.graphql(`mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { ${rancherSpec} } }`, {
      id,
      input: {
        etcd: { disableSnapshots: true },
        chartValues: {},
        agentEnvVars: [],
        upgradeStrategy: { workerDrainOptions: { enabled: true, force: true } },
        localClusterAuthEndpoint: { enabled: false },
        enableNetworkPolicy: false,
        additionalManifest: '',
      },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateCluster).toEqual({
      ...rancherPartsShown,
      etcd: { disableSnapshots: true, snapshotScheduleCron: null, snapshotRetention: null, s3: null },
      chartValues: {},
      agentEnvVars: [],
      upgradeStrategy: {
        controlPlaneConcurrency: null,
        controlPlaneDrainOptions: noDrain,
        workerConcurrency: null,
        workerDrainOptions: { ...noDrain, enabled: true, force: true },
      },
      localClusterAuthEndpoint: { enabled: false, fqdn: null, caCerts: null },
      enableNetworkPolicy: false,
      additionalManifest: '',
    });
  });

  it('shows the rest of Rancher’s spec empty on a cluster that never set it', async () => {
    const result = await server.graphql(`mutation { createCluster(input: { name: "no-rancher-spec" }) { ${rancherSpec} } }`);
    expect(result.data!.createCluster).toEqual(rancherPartsUnset);
  });

  it('gives an imported cluster no rkeConfig, but takes its agents’ settings', async () => {
    const agents = {
      localClusterAuthEndpoint: rancherParts.localClusterAuthEndpoint,
      agentEnvVars: rancherParts.agentEnvVars,
      enableNetworkPolicy: true,
      defaultPodSecurityAdmissionConfigurationTemplateName: 'rancher-privileged',
    };
    const imported = await create({
      name: 'imported-agents',
      ...agents,
      chartValues: {},
      etcd: {},
      upgradeStrategy: { workerDrainOptions: { enabled: false } },
    });
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.createCluster).toMatchObject({ driver: 'IMPORTED', ...agents });
    for (const [field, value] of [
      ['chartValues', { 'rke2-calico': {} }],
      ['machineGlobalConfig', { cni: false }],
      ['machineSelectorConfig', [{}]],
      ['additionalManifest', 'a: b'],
      ['upgradeStrategy', { workerConcurrency: '2' }],
      ['etcd', { disableSnapshots: true }],
      ['registries', { mirrors: [{ hostname: 'docker.io' }] }],
    ] as const) {
      const refused = await create({ name: `imported-${field.toLowerCase()}`, [field]: value });
      expect(refused.errors?.[0]?.extensions, field).toMatchObject({ code: 'INVALID_INPUT', fieldName: field });
      const updated = await server.graphql(`mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { id } }`, {
        id: imported.data!.createCluster.id,
        input: { [field]: value },
      });
      expect(updated.errors?.[0]?.extensions, field).toMatchObject({ code: 'INVALID_INPUT', fieldName: field });
    }
  });

  it.each([
    [{ chartValues: 'calico' }, ['chartValues']],
    [{ chartValues: { 'rke2-calico': 'values' } }, ['chartValues', 'rke2-calico']],
    [{ chartValues: { 'Not A Chart': {} } }, ['chartValues', 'Not A Chart']],
    [{ machineGlobalConfig: ['cni'] }, ['machineGlobalConfig']],
    [{ machineGlobalConfig: { deep: JSON.parse(`${'['.repeat(32)}${']'.repeat(32)}`) } }, ['machineGlobalConfig']],
    [{ machineGlobalConfig: { big: 'x'.repeat(256 * 1024) } }, ['machineGlobalConfig']],
    [
      { machineSelectorConfig: [{ machineLabelSelector: { matchExpressions: [{ key: 'tier', operator: 'IN' }] } }] },
      ['machineSelectorConfig', 0, 'machineLabelSelector', 'matchExpressions', 0, 'values'],
    ],
    [
      { machineSelectorConfig: [{}, { machineLabelSelector: { matchExpressions: [{ key: 'tier', operator: 'EXISTS', values: ['a'] }] } }] },
      ['machineSelectorConfig', 1, 'machineLabelSelector', 'matchExpressions', 0, 'values'],
    ],
    [
      { machineSelectorConfig: [{ machineLabelSelector: { matchLabels: { 'bad key!': 'x' } } }] },
      ['machineSelectorConfig', 0, 'machineLabelSelector', 'matchLabels', 'bad key!'],
    ],
    [{ machineSelectorConfig: [{ config: 'cni: calico' }] }, ['machineSelectorConfig', 0, 'config']],
    [{ additionalManifest: 'kind: [Namespace' }, ['additionalManifest']],
    [{ upgradeStrategy: { controlPlaneConcurrency: '101%' } }, ['upgradeStrategy', 'controlPlaneConcurrency']],
    [{ upgradeStrategy: { workerDrainOptions: { gracePeriod: -2 } } }, ['upgradeStrategy', 'workerDrainOptions', 'gracePeriod']],
    [{ upgradeStrategy: { workerDrainOptions: { timeout: 86_401 } } }, ['upgradeStrategy', 'workerDrainOptions', 'timeout']],
    [{ etcd: { snapshotScheduleCron: 'every five hours' } }, ['etcd', 'snapshotScheduleCron']],
    [{ etcd: { snapshotRetention: 1001 } }, ['etcd', 'snapshotRetention']],
    [{ etcd: { s3: { bucket: 'b'.repeat(64) } } }, ['etcd', 's3', 'bucket']],
    [{ etcd: { s3: { region: 'us east' } } }, ['etcd', 's3', 'region']],
    [{ registries: { mirrors: [{ hostname: 'docker.io', endpoints: ['mirror without a scheme'] }] } }, ['registries', 'mirrors', 0, 'endpoints', 0]],
    [{ registries: { mirrors: [{ hostname: 'docker.io' }, { hostname: 'docker.io' }] } }, ['registries', 'mirrors', 1, 'hostname']],
    [{ registries: { configs: [{ hostname: 'registry.example.com', caBundle: 'not base64!' }] } }, ['registries', 'configs', 0, 'caBundle']],
    [{ registries: { configs: [{ hostname: 'registry.example.com/path' }] } }, ['registries', 'configs', 0, 'hostname']],
    [
      { registries: { configs: [{ hostname: 'registry.example.com', authConfigSecretName: 'Registry Auth' }] } },
      ['registries', 'configs', 0, 'authConfigSecretName'],
    ],
    [{ localClusterAuthEndpoint: { enabled: true, caCerts: 'PEM' } }, ['localClusterAuthEndpoint', 'fqdn']],
    [{ localClusterAuthEndpoint: { fqdn: 'https://api.example.com' } }, ['localClusterAuthEndpoint', 'fqdn']],
    [{ agentEnvVars: [{ name: 'NO_PROXY', value: 'localhost, .svc' }] }, ['agentEnvVars', 0, 'value']],
    [{ agentEnvVars: [{ name: 'HTTP_PROXY' }, { name: '1_PROXY' }] }, ['agentEnvVars', 1, 'name']],
    [{ agentEnvVars: Array.from({ length: 101 }, (_, index) => ({ name: `VAR_${index}` })) }, ['agentEnvVars']],
    [{ defaultPodSecurityAdmissionConfigurationTemplateName: 'Rancher Restricted' }, ['defaultPodSecurityAdmissionConfigurationTemplateName']],
  ])('refuses %j as INVALID_INPUT at its path', async (change, path) => {
    const result = await create({
      name: `bad-${Math.random().toString(36).slice(2, 8)}`,
      driver: 'RKE2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      machinePools: [pool()],
      ...change,
    });
    const [fieldName, ...inside] = path;
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName, ...(inside.length > 0 ? { fieldPath: path } : {}) });
    expect(result.data?.createCluster).toBeFalsy();
  });

  it('offers Kubernetes versions per driver, newest first, each accepted when creating', async () => {
    const offered = await server.graphql(
      `{ rke2: kubernetesVersions(driver: RKE2) k3s: kubernetesVersions(driver: K3S) imported: kubernetesVersions(driver: IMPORTED) }`,
    );
    expect(offered.errors).toBeUndefined();
    expect(offered.data).toEqual({
      rke2: ['v1.33.5+rke2r1', 'v1.32.9+rke2r1', 'v1.31.13+rke2r1'],
      k3s: ['v1.33.5+k3s1', 'v1.32.9+k3s1', 'v1.31.13+k3s1'],
      imported: [],
    });
    for (const [alias, driver] of [
      ['rke2', 'RKE2'],
      ['k3s', 'K3S'],
    ] as const) {
      for (const [index, version] of (offered.data![alias] as string[]).entries()) {
        const result = await create({ name: `offered-${alias}-${index}`, driver, kubernetesVersion: version, machinePools: [pool()] });
        expect(result.errors, version).toBeUndefined();
      }
    }
  });

  it('defaults to an imported cluster without a spec', async () => {
    const result = await create({ name: 'imported-one' });
    expect(result.data!.createCluster).toMatchObject({ driver: 'IMPORTED', kubernetesVersion: '', machinePools: [] });
  });

  it.each([
    [{ driver: 'RKE2' }, 'kubernetesVersion'],
    [{ driver: 'K3S', kubernetesVersion: 'v1.31.4+rke2r1' }, 'kubernetesVersion'],
    [{ driver: 'RKE2', kubernetesVersion: 'latest' }, 'kubernetesVersion'],
    [{ machinePools: [pool()] }, 'machinePools'],
    [{ driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool(), pool()] }, 'machinePools'],
    [{ driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool({ quantity: -1 })] }, 'machinePools'],
    [{ driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool({ etcdRole: false })] }, 'machinePools'],
    [{ driver: 'K3S', kubernetesVersion: 'v1.31.4+k3s1', machinePools: [pool({ unhealthyNodeTimeout: 'soon' })] }, 'machinePools'],
    [{ driver: 'K3S', kubernetesVersion: 'v1.31.4+k3s1', machinePools: [pool({ name: 'Bad Pool' })] }, 'machinePools'],
    [{ clusterAgentCustomization: { overrideResourceRequirements: { limits: { memory: 'lots' } } } }, 'clusterAgentCustomization'],
  ])('refuses %j on %s', async (input, fieldName) => {
    const result = await create({ name: `bad-${Math.random().toString(36).slice(2, 8)}`, ...input });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName });
  });

  it('keeps Rancher’s further pool fields and gives them back', async () => {
    const further = {
      displayName: 'All in one',
      machineOS: 'WINDOWS',
      nodeStartupTimeout: '10m',
      unhealthyRange: '[1-3]',
      hostnameLengthLimit: 15,
      rollingUpdate: { maxUnavailable: '25%', maxSurge: 2 },
      machineDeploymentLabels: { 'example.com/tier': 'control' },
      machineDeploymentAnnotations: { 'example.com/owner': 'platform team' },
      machineConfigRef: { apiVersion: 'rke-machine-config.cattle.io/v1', kind: 'Amazonec2Config', name: 'nc-all-in-one' },
    };
    const fields = `displayName machineOS nodeStartupTimeout unhealthyRange hostnameLengthLimit rollingUpdate { maxUnavailable maxSurge }
      machineDeploymentLabels machineDeploymentAnnotations machineConfigRef { apiVersion kind name }`;
    const result = await server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id machinePools { ${fields} } } }`, {
      input: { name: 'rancher-fields', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool(further)] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createCluster.machinePools).toEqual([further]);
    // None of them set: nulls and empty maps, as for the other optional fields.
    const plain = await create({ name: 'rancher-fields-unset', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool()] });
    const read = await server.graphql(`query($id: ID!) { cluster(id: $id) { machinePools { ${fields} } } }`, { id: plain.data!.createCluster.id });
    expect(read.data!.cluster.machinePools).toEqual([
      {
        displayName: null,
        machineOS: null,
        nodeStartupTimeout: null,
        unhealthyRange: null,
        hostnameLengthLimit: null,
        rollingUpdate: null,
        machineDeploymentLabels: {},
        machineDeploymentAnnotations: {},
        machineConfigRef: { apiVersion: null, kind: 'Amazonec2Config', name: 'nc-all-in-one' },
      },
    ]);
  });

  it.each([
    [{ nodeStartupTimeout: 'soon' }, ['nodeStartupTimeout']],
    [{ unhealthyRange: '1-3' }, ['unhealthyRange']],
    [{ unhealthyRange: '[3-1]' }, ['unhealthyRange']],
    [{ hostnameLengthLimit: 9 }, ['hostnameLengthLimit']],
    [{ hostnameLengthLimit: 64 }, ['hostnameLengthLimit']],
    [{ rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }, ['rollingUpdate', 'maxSurge']],
    [{ rollingUpdate: { maxSurge: 0 } }, ['rollingUpdate', 'maxSurge']],
    [{ rollingUpdate: { maxUnavailable: -1 } }, ['rollingUpdate', 'maxUnavailable']],
    [{ machineDeploymentLabels: { 'bad key!': 'x' } }, ['machineDeploymentLabels', 'bad key!']],
    [{ machineDeploymentLabels: { ok: 'bad value!' } }, ['machineDeploymentLabels', 'ok']],
    [{ machineDeploymentAnnotations: { 'bad key!': 'x' } }, ['machineDeploymentAnnotations', 'bad key!']],
    [{ machineConfigRef: { apiVersion: 'Not A Version', kind: 'Amazonec2Config', name: 'nc' } }, ['machineConfigRef', 'apiVersion']],
    [{ displayName: 'x'.repeat(254) }, ['displayName']],
  ])('refuses the pool field %j as INVALID_INPUT at its path', async (change, path) => {
    const result = await create({
      name: `bad-${Math.random().toString(36).slice(2, 8)}`,
      driver: 'RKE2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      machinePools: [pool(change)],
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'machinePools', fieldPath: ['machinePools', 0, ...path] });
  });

  it('points at the second pool of a name', async () => {
    const result = await create({ name: 'twice-named', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool(), pool()] });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'machinePools', fieldPath: ['machinePools', 1, 'name'] });
  });

  it('upgrades Kubernetes and resizes pools, but never changes the driver', async () => {
    const { data } = await create({ name: 'k3s-edge', driver: 'K3S', kubernetesVersion: 'v1.30.8+k3s1', machinePools: [pool()] });
    const id = data!.createCluster.id;
    const upgraded = await server.graphql(
      `mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { driver kubernetesVersion machinePools { quantity } } }`,
      { id, input: { kubernetesVersion: 'v1.31.4+k3s1', machinePools: [pool({ quantity: 5 })] } },
    );
    expect(upgraded.data!.updateCluster).toEqual({ driver: 'K3S', kubernetesVersion: 'v1.31.4+k3s1', machinePools: [{ quantity: 5 }] });
    const wrongDistribution = await server.graphql(`mutation($id: ID!) { updateCluster(id: $id, input: { kubernetesVersion: "v1.31.4+rke2r1" }) { id } }`, {
      id,
    });
    expect(wrongDistribution.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'kubernetesVersion' });
  });

  it('lists specs in one statement, and machine pools’ credentials in a constant number, however the selection is spelled', async () => {
    const credential = await server.graphql(
      `mutation { createCloudCredential(input: { name: "pools", digitaloceancredentialConfig: { accessToken: "t" } }) { id } }`,
    );
    const cloudCredentialId = credential.data!.createCloudCredential.id as string;
    for (const name of ['listed-a', 'listed-b', 'listed-c'])
      await create({ name, driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool({ cloudCredentialId, quantity: 2 })], ...rancherParts });
    const listed = async (selection: string, first: number, fragments = '') => {
      server.queries.length = 0;
      const result = await server.graphql(
        `${fragments} query($first: Int) { clusters(first: $first, filter: { name: { prefix: "listed-" } }) { nodes { ${selection} } } }`,
        { first },
      );
      expect(result.errors).toBeUndefined();
      return { nodes: result.data!.clusters.nodes as Array<Record<string, unknown>>, statements: server.requestStatements().length };
    };
    // Plain objects read from JSON columns answer from the row: fragments and inline fragments alike.
    const plain = await listed(
      `${spec} pools: machinePools { ...Pool ... on MachinePool { name } __typename }`,
      3,
      'fragment Pool on MachinePool { quantity }',
    );
    expect(plain.statements).toBe(1);
    expect(plain.nodes).toHaveLength(3);
    for (const node of plain.nodes) {
      expect(node.machinePools).toEqual([{ ...pool({ quantity: 2 }), paused: false }]);
      expect(node).toMatchObject(rancherPartsShown);
      expect(node.pools).toEqual([{ quantity: 2, name: 'all-in-one', __typename: 'MachinePool' }]);
    }
    // A Prisma type beneath (the pool's credential) goes through the plugin's mapping, still no N+1.
    const linked = (first: number) => listed(`machinePools { name cloudCredential { id name } }`, first);
    const [one, three] = [await linked(1), await linked(3)];
    expect(three.statements).toBe(one.statements);
    for (const node of three.nodes) expect(node.machinePools).toEqual([{ name: 'all-in-one', cloudCredential: { id: cloudCredentialId, name: 'pools' } }]);
  });

  it('is described and accepted by /v3', async () => {
    const { body: schema } = await v3(server, 'GET', '/v3/schemas/cluster');
    expect(schema.resourceFields.machinePools).toMatchObject({ type: 'array[machinePool]', create: true, update: true });
    expect(schema.resourceFields.driver).toMatchObject({ type: 'enum', options: ['imported', 'k3s', 'rke2'], create: true, default: 'imported' });
    expect(schema.resourceFields.driver.update).toBeUndefined();
    const { body: poolSchema } = await v3(server, 'GET', '/v3/schemas/machinePool');
    expect(poolSchema.resourceFields.taints.type).toBe('array[taint]');
    // /v3 speaks Rancher's enum strings (`NoSchedule`) where GraphQL says `NO_SCHEDULE`, at any depth.
    const rancherTaints = [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }];
    const created = await v3(server, 'POST', '/v3/clusters', {
      name: 'from-v3',
      driver: 'rke2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      machinePools: [pool({ taints: rancherTaints })],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ driver: 'rke2', state: 'provisioning', transitioning: 'yes' });
    expect(created.body.machinePools[0]).toMatchObject({ name: 'all-in-one', quantity: 3, taints: rancherTaints });
    expect((await v3(server, 'GET', `/v3/clusters?driver=rke2&name=from-v3`)).body.data.map((cluster: { name: string }) => cluster.name)).toEqual(['from-v3']);
    const refused = await v3(server, 'POST', '/v3/clusters', {
      name: 'from-v3-bad',
      driver: 'rke2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      machinePools: [pool({ workerRole: false, taints: [] })],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.fieldName).toBe('machinePools');
  });
});
