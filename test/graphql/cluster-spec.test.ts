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

const spec = `driver kubernetesVersion cloudCredentialId
  machinePools { name quantity etcdRole controlPlaneRole workerRole machineConfigRef { kind name } labels taints { key value effect } drainBeforeDelete drainTimeoutSeconds unhealthyNodeTimeout maxUnhealthy paused }
  clusterAgentCustomization { appendTolerations { key operator value effect tolerationSeconds } overrideAffinity overrideResourceRequirements { requests { cpu memory } limits { cpu memory } } }
  fleetAgentCustomization { appendTolerations { key } }`;

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
      await create({ name, driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool({ cloudCredentialId, quantity: 2 })] });
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
