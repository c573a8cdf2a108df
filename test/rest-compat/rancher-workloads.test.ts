import { describe, expect, it } from 'vitest';
import { nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * Issue 13, item 2: workloads in Rancher's shape. The kind follows from the config a
 * client posts (a Deployment when none), the configs carry Rancher's fields, the
 * workload object has its own labels beside its pods', and the state says honestly that
 * nothing runs it.
 */
describe.each(databaseTargets)('workloads in Rancher’s shape on $name (13.2)', (target) => {
  const suite = serverWithPlace(target);
  const workloads = () => `/v3/project/${suite.place.projectId}/workloads`;

  it('takes the kind from the config posted, and a Deployment from none', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['plain', {}, 'deployment'],
      ['rolling', { deploymentConfig: { strategy: 'RollingUpdate', maxSurge: 1, maxUnavailable: '25%', revisionHistoryLimit: 5 } }, 'deployment'],
      ['ordered', { statefulSetConfig: { podManagementPolicy: 'Parallel', serviceName: 'ordered', strategy: 'OnDelete' } }, 'statefulset'],
      ['per-node', { daemonSetConfig: { strategy: 'RollingUpdate', maxUnavailable: 2, minReadySeconds: 10 } }, 'daemonset'],
      ['nightly', { cronJobConfig: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', jobConfig: { backoffLimit: 2 } } }, 'cronjob'],
      ['once', { jobConfig: { completions: 3, parallelism: 2 } }, 'job'],
    ];
    for (const [name, config, kind] of cases) {
      const { status, body } = await v3(suite.server, 'POST', workloads(), { namespaceId: 'apps', name, containers: [nginx], ...config });
      expect(status, name).toBe(201);
      expect(body.id, name).toBe(`${kind}:apps:${name}`);
    }
    const { body: rolling } = await v3(suite.server, 'GET', `${workloads()}/deployment:apps:rolling`);
    expect(rolling).toMatchObject({
      kind: 'Deployment',
      scale: 1,
      deploymentConfig: { strategy: 'RollingUpdate', maxSurge: 1, maxUnavailable: '25%', revisionHistoryLimit: 5 },
      statefulSetConfig: null,
    });
    const { body: nightly } = await v3(suite.server, 'GET', `${workloads()}/cronjob:apps:nightly`);
    expect(nightly).toMatchObject({
      kind: 'CronJob',
      schedule: '0 3 * * *',
      scale: null,
      cronJobConfig: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', jobConfig: { backoffLimit: 2 } },
    });
    const { body: once } = await v3(suite.server, 'GET', `${workloads()}/job:apps:once`);
    expect(once).toMatchObject({ kind: 'Job', jobConfig: { completions: 3, parallelism: 2 }, actions: { redeploy: expect.any(String) } });
  });

  it('describes the configs in /v3/schemas with Rancher’s field names', async () => {
    const { body: workload } = await v3(suite.server, 'GET', '/v3/schemas/workload');
    expect(workload.resourceFields.kind).toMatchObject({ create: true, nullable: true });
    expect(workload.resourceFields.kind.required).toBeUndefined();
    for (const field of ['deploymentConfig', 'statefulSetConfig', 'daemonSetConfig', 'cronJobConfig', 'jobConfig']) {
      expect(workload.resourceFields[field], field).toMatchObject({ type: field, create: true, update: true });
    }
    expect(workload.resourceFields.scale).toMatchObject({ type: 'int', create: true });
    expect(workload.resourceFields.state.type).toBe('enum');
    expect([...workload.resourceFields.state.options].sort()).toEqual(['paused', 'pending', 'suspended']);
    const { body: deployment } = await v3(suite.server, 'GET', '/v3/schemas/deploymentConfig');
    expect(Object.keys(deployment.resourceFields).sort()).toEqual(
      ['maxSurge', 'maxUnavailable', 'minReadySeconds', 'progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy'].sort(),
    );
    expect(deployment.resourceFields.maxSurge.type).toBe('intOrString');
    const { body: cron } = await v3(suite.server, 'GET', '/v3/schemas/cronJobConfig');
    expect(cron.resourceFields.concurrencyPolicy.type).toBe('enum');
    expect([...cron.resourceFields.concurrencyPolicy.options].sort()).toEqual(['Allow', 'Forbid', 'Replace']);
  });

  it('keeps the workload’s own labels apart from its pods’, and takes scale as Rancher names it', async () => {
    const { body } = await v3(suite.server, 'POST', workloads(), {
      namespaceId: 'apps',
      name: 'labelled',
      containers: [nginx],
      scale: 3,
      labels: { app: 'labelled' },
      workloadLabels: { team: 'web' },
      workloadAnnotations: { note: 'x' },
    });
    expect(body).toMatchObject({ scale: 3, replicas: 3, labels: { app: 'labelled' }, workloadLabels: { team: 'web' }, workloadAnnotations: { note: 'x' } });
    const scaled = await v3(suite.server, 'PUT', `${workloads()}/deployment:apps:labelled`, { scale: 5, deploymentConfig: { strategy: 'Recreate' } });
    expect(scaled.body).toMatchObject({ scale: 5, deploymentConfig: { strategy: 'Recreate' }, workloadLabels: { team: 'web' } });
  });

  it('refuses configs that contradict the kind or each other, naming the field', async () => {
    const post = (body: Record<string, unknown>) => v3(suite.server, 'POST', workloads(), { namespaceId: 'apps', name: 'bad', containers: [nginx], ...body });
    expect((await post({ deploymentConfig: {}, jobConfig: {} })).body).toMatchObject({ status: 422, code: 'InvalidFormat', fieldName: 'jobConfig' });
    expect((await post({ kind: 'DaemonSet', deploymentConfig: {} })).body).toMatchObject({ status: 422, fieldName: 'deploymentConfig' });
    expect((await post({ deploymentConfig: { strategy: 'Recreate', maxSurge: 1 } })).body).toMatchObject({ status: 422, fieldName: 'deploymentConfig' });
    // Inside an embedded object the value is checked as GraphQL coerces it: the message names the path.
    expect((await post({ deploymentConfig: { strategy: 'Sideways' } })).body).toMatchObject({
      status: 422,
      message: expect.stringContaining('deploymentConfig.strategy'),
    });
    expect((await post({ deploymentConfig: { maxSurge: 'lots' } })).body).toMatchObject({
      status: 422,
      message: expect.stringContaining('deploymentConfig.maxSurge'),
    });
    expect((await post({ cronJobConfig: { concurrencyPolicy: 'Allow' } })).body).toMatchObject({ status: 422, code: 'MissingRequired', fieldName: 'schedule' });
    expect((await post({ cronJobConfig: { schedule: 'whenever' } })).body).toMatchObject({ status: 422, fieldName: 'cronJobConfig' });
    expect((await post({ jobConfig: { completions: 1, parallelism: 4 } })).body).toMatchObject({ status: 422, fieldName: 'jobConfig' });
    expect((await post({ scale: 2, replicas: 3 })).body).toMatchObject({ status: 422, fieldName: 'scale' });
    const update = await v3(suite.server, 'PUT', `${workloads()}/deployment:apps:plain`, { cronJobConfig: { schedule: '@daily' } });
    expect(update.body).toMatchObject({ status: 422, fieldName: 'cronJobConfig' });
  });

  it('never claims a workload is active: pending while no agent runs it, at rest when its spec says so', async () => {
    const { body: pending } = await v3(suite.server, 'POST', workloads(), { namespaceId: 'apps', name: 'waiting', containers: [nginx] });
    expect(pending).toMatchObject({ state: 'pending', transitioning: 'yes' });
    expect(pending.transitioningMessage).toContain(`cluster ${suite.place.clusterId}`);
    expect(pending.transitioningMessage).toMatch(/no agent/);
    const paused = await v3(suite.server, 'POST', `${workloads()}/deployment:apps:waiting?action=pause`);
    expect(paused.body).toMatchObject({ state: 'paused', transitioning: 'no' });
    const { body: suspended } = await v3(suite.server, 'POST', workloads(), {
      namespaceId: 'apps',
      name: 'held',
      containers: [nginx],
      cronJobConfig: { schedule: '@hourly', suspend: true },
    });
    expect(suspended).toMatchObject({ state: 'suspended', transitioning: 'no' });
    const listed = await v3(suite.server, 'GET', `${workloads()}?limit=100`);
    expect(listed.body.data.map((item: { state: string }) => item.state)).not.toContain('active');
  });

  it('serves each kind in its own collection, as Rancher does, with the same ids', async () => {
    const project = `/v3/project/${suite.place.projectId}`;
    const collections: Array<[string, string]> = [
      ['deployments', 'deployment'],
      ['statefulSets', 'statefulSet'],
      ['daemonSets', 'daemonSet'],
      ['cronJobs', 'cronJob'],
      ['jobs', 'job'],
    ];
    const all = (await v3(suite.server, 'GET', `${project}/workloads?limit=1000`)).body.data as Array<{ id: string; kind: string }>;
    for (const [path, type] of collections) {
      const { status, body } = await v3(suite.server, 'GET', `${project}/${path}?limit=1000`);
      expect(status, path).toBe(200);
      expect(body.resourceType, path).toBe(type);
      const ids = body.data.map((item: { id: string }) => item.id);
      expect(ids.length, path).toBeGreaterThan(0);
      expect(ids.sort(), path).toEqual(
        all
          .filter((item) => item.id.startsWith(`${type.toLowerCase()}:`))
          .map((item) => item.id)
          .sort(),
      );
    }
    const created = await v3(suite.server, 'POST', `${project}/statefulSets`, { namespaceId: 'apps', name: 'by-kind', containers: [nginx], scale: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'statefulset:apps:by-kind', type: 'statefulSet', kind: 'StatefulSet', scale: 2 });
    expect(created.body.links.self).toBe(`${suite.server.url}/v3/projects/${suite.place.projectId}/statefulsets/statefulset:apps:by-kind`);
    expect((await v3(suite.server, 'GET', `${project}/workloads/statefulset:apps:by-kind`)).body.type).toBe('workload');
    // A kind's collection holds that kind only.
    expect((await v3(suite.server, 'GET', `${project}/deployments/statefulset:apps:by-kind`)).status).toBe(404);
    const wrongKind = await v3(suite.server, 'POST', `${project}/deployments`, { namespaceId: 'apps', name: 'x', containers: [nginx], kind: 'Job' });
    expect(wrongKind.body).toMatchObject({ status: 422, fieldName: 'kind' });
    const wrongConfig = await v3(suite.server, 'POST', `${project}/deployments`, { namespaceId: 'apps', name: 'x', containers: [nginx], jobConfig: {} });
    expect(wrongConfig.body).toMatchObject({ status: 422, fieldName: 'jobConfig' });
    const paused = await v3(suite.server, 'POST', `${project}/deployments/deployment:apps:plain?action=pause`);
    expect(paused.body).toMatchObject({ type: 'deployment', paused: true, state: 'paused' });
  });
});
