import { describe, expect, it } from 'vitest';
import { createPlace, nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/** The project group in /v3: Rancher's sub-context URLs, ids, actions and write-only secret data. */
describe.each(databaseTargets)('/v3 namespaces, workloads and namespaced secrets on $name', (target) => {
  const suite = serverWithPlace(target);

  it('creates and lists namespaces under /v3/cluster/<id> and /v3/project/<id>', async () => {
    const created = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/namespaces`, { name: 'web', labels: { team: 'a' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'web',
      type: 'namespace',
      projectId: suite.place.projectId,
      clusterId: suite.place.clusterId,
    });
    expect((await v3(suite.server, 'POST', `/v3/cluster/${suite.place.clusterId}/namespaces`, { name: 'loose' })).body).toMatchObject({
      projectId: null,
      clusterId: suite.place.clusterId,
    });

    const inCluster = await v3(suite.server, 'GET', `/v3/cluster/${suite.place.clusterId}/namespaces`);
    expect(inCluster.body.data.map((item: { name: string }) => item.name).sort()).toEqual(['apps', 'loose', 'web']);
    const inProject = await v3(suite.server, 'GET', `/v3/projects/${suite.place.projectId}/namespaces`);
    expect(inProject.body.data.map((item: { name: string }) => item.name).sort()).toEqual(['apps', 'web']);
    expect(inProject.body.createTypes).toEqual({ namespace: `${suite.server.url}/v3/projects/${suite.place.projectId}/namespaces` });

    const one = await v3(suite.server, 'GET', `/v3/cluster/${suite.place.clusterId}/namespaces/${suite.place.clusterId}:web`);
    expect(one.status).toBe(200);
    const self = `${suite.server.url}/v3/clusters/${suite.place.clusterId}/namespaces/web`;
    expect(one.body.links).toMatchObject({
      self,
      project: `${suite.server.url}/v3/projects/${suite.place.projectId}`,
      workloads: expect.any(String),
    });
    expect(one.body.actions).toEqual({ move: `${self}?action=move` });
  });

  it('answers 422 with Norman codes for invalid namespaces', async () => {
    const bad = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/namespaces`, { name: 'Not Valid' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ type: 'error', code: 'InvalidFormat', fieldName: 'name' });
    const duplicate = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/namespaces`, { name: 'web' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'AlreadyExists', fieldName: 'name' });
  });

  it('moves a namespace out of its project with ?action=move', async () => {
    await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/namespaces`, { name: 'drifter' });
    const moved = await v3(suite.server, 'POST', `/v3/namespaces/${suite.place.clusterId}:drifter?action=move`, {});
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: `${suite.place.clusterId}:drifter`, projectId: null });
  });

  it('creates workloads in /v3/project/<id>/workloads with Rancher-shaped ids, and runs their actions', async () => {
    const created = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/workloads`, {
      namespaceId: suite.place.namespaceId,
      kind: 'Deployment',
      name: 'api',
      replicas: 2,
      containers: [{ ...nginx, ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '500m', memory: '128Mi' } } }],
    });
    expect(created.status).toBe(201);
    const id = 'deployment:apps:api';
    expect(created.body).toMatchObject({
      id,
      namespaceId: 'apps',
      type: 'workload',
      projectId: suite.place.projectId,
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
    });
    expect(Object.keys(created.body.actions).sort()).toEqual(['pause', 'redeploy']);

    const listed = await v3(suite.server, 'GET', `/v3/project/${suite.place.projectId}/workloads?kind=Deployment`);
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([id]);
    expect((await v3(suite.server, 'GET', `/v3/project/${suite.place.projectId}/workloads/${id}`)).body.links.namespace).toBe(
      `${suite.server.url}/v3/namespaces/${suite.place.namespaceId}`,
    );

    const paused = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/workloads/${id}?action=pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ paused: true });
    expect(Object.keys(paused.body.actions).sort()).toEqual(['redeploy', 'resume']);
    const again = await v3(suite.server, 'POST', `/v3/workloads/${suite.place.clusterId}:${id}?action=pause`);
    // Norman's answer to an action the resource does not list (its `actions` above), with the reason.
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'InvalidAction', message: expect.stringContaining('already paused') });
    expect((await v3(suite.server, 'POST', `/v3/workloads/${suite.place.clusterId}:${id}?action=redeploy`)).body.generation).toBe(2);
  });

  it('answers 422 for workloads that do not fit their kind or whose quantities are not Kubernetes quantities', async () => {
    const cron = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/workloads`, {
      namespaceId: suite.place.namespaceId,
      kind: 'CronJob',
      name: 'job',
      containers: [nginx],
    });
    expect(cron.status).toBe(422);
    expect(cron.body).toMatchObject({ code: 'MissingRequired', fieldName: 'schedule' });
    const quantity = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/workloads`, {
      namespaceId: suite.place.namespaceId,
      kind: 'Deployment',
      name: 'greedy',
      containers: [{ ...nginx, resources: { requests: { memory: 'a lot' } } }],
    });
    expect(quantity.status).toBe(422);
    expect(quantity.body).toMatchObject({ code: 'InvalidFormat', fieldName: 'containers' });
    const elsewhere = await createPlace(suite.server);
    const foreign = await v3(suite.server, 'POST', `/v3/project/${suite.place.projectId}/workloads`, {
      namespaceId: elsewhere.namespaceId,
      kind: 'DaemonSet',
      name: 'x',
      containers: [nginx],
    });
    expect(foreign.body).toMatchObject({ status: 422, code: 'InvalidReference', fieldName: 'namespaceId' });
  });

  it('declares secret data write-only and never returns it', async () => {
    const schema = await v3(suite.server, 'GET', '/v3/schemas/namespacedSecret');
    expect(schema.body.links.collection).toBe(`${suite.server.url}/v3/namespacedsecrets`);
    expect(schema.body.resourceFields.data).toMatchObject({ type: 'map[string]', writeOnly: true, create: true, update: true });
    expect(schema.body.resourceFields.keys).toMatchObject({ type: 'array[string]' });

    const value = 'c29tZS12ZXJ5LXNlY3JldC12YWx1ZQ==';
    const response = await fetch(`${suite.server.url}/v3/project/${suite.place.projectId}/namespacedsecrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.server.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ namespaceId: suite.place.namespaceId, name: 'api-token', data: { token: value } }),
    });
    const raw = await response.text();
    expect(response.status).toBe(201);
    expect(raw).not.toContain(value);
    expect(JSON.parse(raw)).toMatchObject({ id: 'apps:api-token', type: 'namespacedSecret', kind: 'Opaque', keys: ['token'] });
    const listed = await fetch(`${suite.server.url}/v3/project/${suite.place.projectId}/namespacedsecrets`, {
      headers: { authorization: `Bearer ${suite.server.token}`, accept: 'application/json' },
    });
    expect(await listed.text()).not.toContain(value);
  });

  it('links a project to its namespaces, workloads and secrets', async () => {
    const project = await v3(suite.server, 'GET', `/v3/projects/${suite.place.projectId}`);
    for (const name of ['namespaces', 'workloads', 'namespacedSecrets']) {
      const followed = await v3(suite.server, 'GET', new URL(project.body.links[name]).pathname);
      expect(followed.status, name).toBe(200);
      expect(followed.body.data.length, name).toBeGreaterThan(0);
    }
  });
});
