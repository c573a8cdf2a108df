import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningHeaders, writeContext, type WriteContext } from '../../../rest-compat/v1/field-validation.js';
import { machinePoolsInput } from '../../../rest-compat/v1/machine-pools.js';
import { StatusError } from '../../../rest-compat/v1/status.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/targets.js';
import { v3 as call, type V3Response } from '../helpers.js';

const collection = '/v1/provisioning.cattle.io.clusters';
const one = (name: string) => `${collection}/fleet-default/${name}`;
const poolsPath = 'spec.rkeConfig.machinePools';

function cluster(name: string, machinePools: unknown) {
  return {
    apiVersion: 'provisioning.cattle.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'fleet-default' },
    spec: { kubernetesVersion: 'v1.31.4+rke2r1', rkeConfig: { machinePools } },
  };
}

/** A control-plane pool as Terraform's rancher2_cluster_v2 expands it (structure_cluster_v2_rke_config_machine_pool.go). */
const terraformControlPlane = (cloudCredentialSecretName: string) => ({
  name: 'control',
  displayName: 'control',
  cloudCredentialSecretName,
  machineConfigRef: { apiVersion: 'rke-machine-config.cattle.io/v1', kind: 'Amazonec2Config', name: 'nc-control' },
  controlPlaneRole: true,
  etcdRole: true,
  drainBeforeDelete: true,
  machineDeploymentAnnotations: { 'example.com/owner': 'platform team' },
  machineDeploymentLabels: { tier: 'control' },
  labels: { 'node.example.com/pool': 'control' },
  paused: false,
  quantity: 3,
  rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
  taints: [{ key: 'dedicated', value: 'control', effect: 'NoSchedule' }],
  workerRole: false,
  nodeStartupTimeout: '10m0s',
  unhealthyNodeTimeout: '5m0s',
  drainBeforeDeleteTimeout: '2m0s',
  maxUnhealthy: '40%',
  machineOS: 'linux',
  unhealthyRange: '[1-2]',
  hostnameLengthLimit: 15,
});
const workers = { name: 'workers', displayName: 'workers', machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-workers' }, workerRole: true, quantity: 2 };

function expectInvalid(response: V3Response, field: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(422);
  expect(response.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, details: { causes: [{ field }] } });
  expect(response.body.message).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: `));
  // Never GraphQL's own words: clients of /v1 never sent GraphQL.
  expect(response.body.message).not.toMatch(/Variable|\$input|GraphQL/);
}

describe.each(databaseTargets)('/v1 machine pools in Rancher’s shape on $name', (target) => {
  let server: TestApp;
  let credential: string;
  beforeAll(async () => {
    server = await startTestApp(target);
    const created = await server.graphql(
      `mutation { createCloudCredential(input: { name: "aws", digitaloceancredentialConfig: { accessToken: "t" } }) { id } }`,
    );
    credential = created.data!.createCloudCredential.id as string;
  });
  afterAll(() => server?.close());

  it('answers an unknown pool field as fieldValidation says: a Warning header by default, 400 when Strict, nothing when Ignore', async () => {
    const all = { ...workers, etcdRole: true, controlPlaneRole: true };
    const unknown = [all, { ...workers, name: 'extra', foo: 1 }];
    const warned = await call(server, 'POST', collection, cluster('field-validation-warn', unknown));
    expect(warned.status, JSON.stringify(warned.body)).toBe(201);
    expect(warned.headers.get('warning')).toBe(`299 - "unknown field \\"${poolsPath}[1].foo\\""`);

    const strict = await call(server, 'POST', `${collection}?fieldValidation=Strict`, cluster('field-validation-strict', unknown));
    expect(strict.status, JSON.stringify(strict.body)).toBe(400);
    expect(strict.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: `strict decoding error: unknown field "${poolsPath}[1].foo"` });
    expect((await call(server, 'GET', one('field-validation-strict'))).status).toBe(404);

    const ignored = await call(server, 'PUT', `${one('field-validation-warn')}?fieldValidation=Ignore`, cluster('field-validation-warn', unknown));
    expect(ignored.status, JSON.stringify(ignored.body)).toBe(200);
    expect(ignored.headers.get('warning')).toBeNull();
    const known = await call(server, 'PUT', one('field-validation-warn'), cluster('field-validation-warn', [all]));
    expect(known.headers.get('warning')).toBeNull();
  });

  it('takes a Terraform body and shows the pools back in Rancher’s names and values; GraphQL sees them mapped', async () => {
    const created = await call(server, 'POST', collection, cluster('from-terraform', [terraformControlPlane(credential), workers]));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Exactly Rancher's JSON: its names, Go durations, and nothing Go's omitempty leaves out (paused, workerRole false).
    const rancherPools = [
      {
        labels: { 'node.example.com/pool': 'control' },
        taints: [{ key: 'dedicated', value: 'control', effect: 'NoSchedule' }],
        cloudCredentialSecretName: credential,
        etcdRole: true,
        controlPlaneRole: true,
        drainBeforeDelete: true,
        drainBeforeDeleteTimeout: '2m0s',
        machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-control', apiVersion: 'rke-machine-config.cattle.io/v1' },
        name: 'control',
        displayName: 'control',
        quantity: 3,
        rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 },
        machineDeploymentLabels: { tier: 'control' },
        machineDeploymentAnnotations: { 'example.com/owner': 'platform team' },
        nodeStartupTimeout: '10m0s',
        unhealthyNodeTimeout: '5m0s',
        maxUnhealthy: '40%',
        unhealthyRange: '[1-2]',
        machineOS: 'linux',
        hostnameLengthLimit: 15,
      },
      { workerRole: true, machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-workers' }, name: 'workers', displayName: 'workers', quantity: 2 },
    ];
    expect(created.body.spec.rkeConfig.machinePools).toEqual(rancherPools);
    const read = await call(server, 'GET', one('from-terraform'));
    expect(read.body.spec.rkeConfig.machinePools).toEqual(rancherPools);

    const graphql = await server.graphql(
      `query($id: ID!) { cluster(id: $id) { machinePools {
        name displayName quantity cloudCredentialId drainBeforeDelete drainTimeoutSeconds nodeStartupTimeout unhealthyNodeTimeout
        maxUnhealthy unhealthyRange machineOS hostnameLengthLimit machineConfigRef { apiVersion kind name }
        rollingUpdate { maxUnavailable maxSurge } machineDeploymentLabels machineDeploymentAnnotations labels taints { effect }
      } } }`,
      { id: created.body.status.clusterName },
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.cluster.machinePools[0]).toEqual({
      name: 'control',
      displayName: 'control',
      quantity: 3,
      cloudCredentialId: credential,
      drainBeforeDelete: true,
      drainTimeoutSeconds: 120,
      nodeStartupTimeout: '10m0s',
      unhealthyNodeTimeout: '5m0s',
      maxUnhealthy: '40%',
      unhealthyRange: '[1-2]',
      machineOS: 'LINUX',
      hostnameLengthLimit: 15,
      machineConfigRef: { apiVersion: 'rke-machine-config.cattle.io/v1', kind: 'Amazonec2Config', name: 'nc-control' },
      rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 },
      machineDeploymentLabels: { tier: 'control' },
      machineDeploymentAnnotations: { 'example.com/owner': 'platform team' },
      labels: { 'node.example.com/pool': 'control' },
      taints: [{ effect: 'NO_SCHEDULE' }],
    });
    expect(graphql.data!.cluster.machinePools[1]).toMatchObject({ name: 'workers', drainTimeoutSeconds: null, machineOS: null, rollingUpdate: null });
  });

  it('shows pools written through GraphQL in Rancher’s shape: no GraphQL names, durations as Go writes them', async () => {
    const created = await server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`, {
      input: {
        name: 'from-graphql',
        driver: 'RKE2',
        kubernetesVersion: 'v1.31.4+rke2r1',
        machinePools: [
          {
            name: 'all',
            quantity: 1,
            etcdRole: true,
            controlPlaneRole: true,
            workerRole: true,
            machineConfigRef: { kind: 'DigitaloceanConfig', name: 'nc-all' },
            cloudCredentialId: credential,
            drainTimeoutSeconds: 600,
            unhealthyNodeTimeout: '90s',
          },
        ],
      },
    });
    expect(created.errors).toBeUndefined();
    const read = await call(server, 'GET', one('from-graphql'));
    expect(read.body.spec.rkeConfig.machinePools).toEqual([
      {
        cloudCredentialSecretName: credential,
        etcdRole: true,
        controlPlaneRole: true,
        workerRole: true,
        drainBeforeDeleteTimeout: '10m0s',
        machineConfigRef: { kind: 'DigitaloceanConfig', name: 'nc-all' },
        name: 'all',
        quantity: 1,
        unhealthyNodeTimeout: '1m30s',
      },
    ]);
  });

  it('changes drainBeforeDeleteTimeout with PUT, and takes a pool without quantity as one machine, as Cluster API does', async () => {
    const before = (await call(server, 'GET', one('from-terraform'))).body;
    const [control, workerPool] = before.spec.rkeConfig.machinePools;
    const { quantity: _left, ...withoutQuantity } = workerPool;
    const changed = {
      ...before,
      spec: { ...before.spec, rkeConfig: { machinePools: [{ ...control, drainBeforeDeleteTimeout: '1h30m' }, withoutQuantity] } },
    };
    const put = await call(server, 'PUT', one('from-terraform'), changed);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.spec.rkeConfig.machinePools[0].drainBeforeDeleteTimeout).toBe('1h30m0s');
    expect(put.body.spec.rkeConfig.machinePools[1].quantity).toBe(1);
    // Everything else came back as it was shown.
    expect({ ...put.body.spec.rkeConfig.machinePools[0], drainBeforeDeleteTimeout: control.drainBeforeDeleteTimeout }).toEqual(control);
    const graphql = await server.graphql(`query($id: ID!) { cluster(id: $id) { machinePools { drainTimeoutSeconds quantity } } }`, {
      id: before.status.clusterName,
    });
    expect(graphql.data!.cluster.machinePools).toEqual([
      { drainTimeoutSeconds: 5400, quantity: 3 },
      { drainTimeoutSeconds: null, quantity: 1 },
    ]);
  });

  it.each([
    ['a duration Go cannot read', { drainBeforeDeleteTimeout: 'soon' }, `${poolsPath}[0].drainBeforeDeleteTimeout`],
    ['a drain timeout with a fraction of a second', { drainBeforeDeleteTimeout: '1.5s' }, `${poolsPath}[0].drainBeforeDeleteTimeout`],
    ['a drain timeout over a day', { drainBeforeDeleteTimeout: '25h' }, `${poolsPath}[0].drainBeforeDeleteTimeout`],
    ['a drain timeout in seconds, not a duration', { drainBeforeDeleteTimeout: 600 }, `${poolsPath}[0].drainBeforeDeleteTimeout`],
    ['a negative startup timeout', { nodeStartupTimeout: '-5m' }, `${poolsPath}[0].nodeStartupTimeout`],
    ['a quantity that is not a number', { quantity: 'three' }, `${poolsPath}[0].quantity`],
    ['an operating system Rancher does not know', { machineOS: 'macos' }, `${poolsPath}[0].machineOS`],
    ['a rollout that can never progress', { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }, `${poolsPath}[0].rollingUpdate.maxSurge`],
    ['a surge that is neither a count nor a percentage', { rollingUpdate: { maxSurge: 'lots' } }, `${poolsPath}[0].rollingUpdate.maxSurge`],
    ['a range that ends below its start', { unhealthyRange: '[3-1]' }, `${poolsPath}[0].unhealthyRange`],
    ['a machine deployment label key', { machineDeploymentLabels: { 'bad key!': 'x' } }, `${poolsPath}[0].machineDeploymentLabels[bad key!]`],
    ['a taint effect', { taints: [{ key: 'a', effect: 'Sometimes' }] }, `${poolsPath}[0].taints[0].effect`],
    ['a hostname limit below Rancher’s', { hostnameLengthLimit: 5 }, `${poolsPath}[0].hostnameLengthLimit`],
    ['a second pool of the same name', { name: 'workers' }, `${poolsPath}[1].name`],
  ])('refuses %s with 422 Invalid naming the field in Rancher’s terms', async (_what, change, field) => {
    const response = await call(server, 'POST', collection, cluster('refused', [{ ...terraformControlPlane(credential), ...change }, workers]));
    expectInvalid(response, field);
  });

  it('names a pool’s credential that does not exist by Rancher’s name for it, though GraphQL found it', async () => {
    const response = await call(
      server,
      'POST',
      collection,
      cluster('refused', [{ ...terraformControlPlane(credential), cloudCredentialSecretName: 'cattle-global-data:cc-nope0' }, workers]),
    );
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      reason: 'Invalid',
      message: 'cloud credential "cattle-global-data:cc-nope0" not found',
      details: { causes: [{ field: `${poolsPath}[0].cloudCredentialSecretName` }] },
    });
  });

  it('refuses a pool without a machine configuration, and pools that are not a list, naming them', async () => {
    const { machineConfigRef: _left, ...withoutReference } = workers;
    const missing = await call(server, 'POST', collection, cluster('refused', [terraformControlPlane(credential), withoutReference]));
    expectInvalid(missing, `${poolsPath}[1].machineConfigRef`);
    expect(missing.body.message).toBe(`${poolsPath}[1].machineConfigRef: Required value`);
    expectInvalid(await call(server, 'POST', collection, cluster('refused', { control: workers })), poolsPath);
    expectInvalid(await call(server, 'POST', collection, cluster('refused', ['control'])), `${poolsPath}[0]`);
  });

  it('drops fields Rancher does not have, and those it has that this server does not keep (fieldValidation Warn, Kubernetes’ default)', async () => {
    const pool = {
      ...workers,
      foo: 'bar',
      hooks: ['pre-drain'],
      autoscalingMinSize: 1,
      machineConfigRef: { ...workers.machineConfigRef, namespace: 'fleet-default', color: 'blue' },
    };
    const created = await call(server, 'POST', collection, cluster('with-extras', [{ ...terraformControlPlane(credential), name: 'cp' }, pool]));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.spec.rkeConfig.machinePools[1]).toEqual(workers);
  });
});

/**
 * The translation alone, with each `fieldValidation` directive: the handler reads the
 * directive from the query string (writeContext) and sends the warnings as its answer's
 * `Warning` header (warningHeaders).
 */
describe('fieldValidation of machine pools', () => {
  const pool = {
    name: 'workers',
    quantity: 1,
    workerRole: true,
    foo: 1,
    hooks: ['pre-drain'],
    machineConfigRef: { kind: 'Amazonec2Config', name: 'nc', group: 'x' },
    taints: [{ key: 'a', effect: 'NoSchedule', timeAdded: '2024-01-01T00:00:00Z' }],
  };
  const translate = (fieldValidation: string, pools: unknown = [pool]) => {
    const context: WriteContext = writeContext(new URLSearchParams(fieldValidation ? { fieldValidation } : {}), 'create');
    return { input: machinePoolsInput(pools, poolsPath, context), warnings: context.warnings };
  };
  const kept = {
    name: 'workers',
    quantity: 1,
    workerRole: true,
    machineConfigRef: { kind: 'Amazonec2Config', name: 'nc' },
    taints: [{ key: 'a', effect: 'NoSchedule' }],
  };
  const unsupported = [
    `${poolsPath}[0].hooks: not supported by this server, ignored`,
    `${poolsPath}[0].taints[0].timeAdded: not supported by this server, ignored`,
  ];

  it('Strict refuses unknown fields, all of them, in the words of Kubernetes’ strict decoder, before any value is checked', () => {
    const refusal = (() => {
      try {
        translate('Strict', [{ ...pool, quantity: -1 }]);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(StatusError);
    expect(refusal).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: `strict decoding error: unknown field "${poolsPath}[0].foo", unknown field "${poolsPath}[0].machineConfigRef.group"`,
    });
    expect(translate('Strict', [kept])).toEqual({ input: [kept], warnings: [] });
  });

  it('Warn (also without the parameter) drops them with a warning each', () => {
    const expected = {
      input: [kept],
      warnings: [`unknown field "${poolsPath}[0].foo"`, `unknown field "${poolsPath}[0].machineConfigRef.group"`, ...unsupported],
    };
    expect(translate('Warn')).toEqual(expected);
    expect(translate('')).toEqual(expected);
  });

  it('Ignore drops them silently; a field Rancher has that is not kept is still told', () => {
    expect(translate('Ignore')).toEqual({ input: [kept], warnings: unsupported });
  });

  it('refuses a directive Kubernetes does not know, as Kubernetes does', () => {
    expect(() => translate('strict')).toThrow(
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });

  it('writes warnings as Kubernetes’ Warning header: 299, quoted and escaped, UTF-8, about 4 KiB at most', () => {
    expect(warningHeaders([])).toEqual({});
    expect(warningHeaders(['unknown field "spec.a"', 'back\\slash'])).toEqual({ warning: '299 - "unknown field \\"spec.a\\"", 299 - "back\\\\slash"' });
    expect(warningHeaders(['é'])).toEqual({ warning: `299 - "${Buffer.from('é').toString('latin1')}"` });
    const many = warningHeaders(Array.from({ length: 200 }, (_, index) => `unknown field "spec.rkeConfig.machinePools[${index}].foo"`));
    expect(many.warning!.length).toBeLessThanOrEqual(4096);
    expect(many.warning).toMatch(/^299 - "unknown field \\"spec\.rkeConfig\.machinePools\[0\]\.foo\\""/);
  });
});
