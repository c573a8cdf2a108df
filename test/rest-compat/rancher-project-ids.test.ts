import { describe, expect, it } from 'vitest';
import { createPlace, nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * Issue 13, item 1: inside the cluster or project context /v3 serves them in,
 * namespaces, workloads and namespaced secrets carry Rancher's ids (`apps`,
 * `deployment:apps:api`, `apps:token`); either form is taken on input, a bare namespace
 * id is read within the project's cluster, and GraphQL keeps its global ids beside a
 * `rancherId` field.
 */
describe.each(databaseTargets)('Rancher’s ids for project resources on $name (13.1)', (target) => {
  const suite = serverWithPlace(target);
  const project = () => `/v3/project/${suite.place.projectId}`;

  it('serves Rancher’s ids in the cluster’s and the project’s context, and the global ones outside any', async () => {
    const inCluster = await v3(suite.server, 'GET', `/v3/cluster/${suite.place.clusterId}/namespaces`);
    expect(inCluster.body.data.map((item: { id: string }) => item.id)).toEqual(['apps']);
    expect(inCluster.body.data[0].links.self).toBe(`${suite.server.url}/v3/clusters/${suite.place.clusterId}/namespaces/apps`);
    expect(inCluster.body.data[0].rancherId).toBeUndefined();

    const workload = await v3(suite.server, 'POST', `${project()}/workloads`, { namespaceId: 'apps', kind: 'StatefulSet', name: 'db', containers: [nginx] });
    expect(workload.status).toBe(201);
    expect(workload.body).toMatchObject({ id: 'statefulset:apps:db', namespaceId: 'apps', projectId: suite.place.projectId });
    expect(workload.body.links.self).toBe(`${suite.server.url}/v3/projects/${suite.place.projectId}/workloads/statefulset:apps:db`);
    // Relation links keep server-wide ids: they leave the context.
    expect(workload.body.links.namespace).toBe(`${suite.server.url}/v3/namespaces/${suite.place.clusterId}:apps`);

    const secret = await v3(suite.server, 'POST', `${project()}/namespacedSecrets`, { namespaceId: 'apps', name: 'token', data: { a: 'b' } });
    expect(secret.body).toMatchObject({ id: 'apps:token', namespaceId: 'apps' });

    const outside = await v3(suite.server, 'GET', `/v3/workloads/${suite.place.clusterId}:statefulset:apps:db`);
    expect(outside.body).toMatchObject({ id: `${suite.place.clusterId}:statefulset:apps:db`, namespaceId: suite.place.namespaceId });
  });

  it('takes both forms in URLs, filters and bodies inside a context', async () => {
    await v3(suite.server, 'POST', `${project()}/workloads`, { namespaceId: suite.place.namespaceId, kind: 'DaemonSet', name: 'agent', containers: [nginx] });
    for (const id of ['daemonset:apps:agent', `${suite.place.clusterId}:daemonset:apps:agent`]) {
      const read = await v3(suite.server, 'GET', `${project()}/workloads/${id}`);
      expect(read.status, id).toBe(200);
      expect(read.body.id, id).toBe('daemonset:apps:agent');
    }
    const updated = await v3(suite.server, 'PUT', `${project()}/workloads/daemonset:apps:agent`, { labels: { app: 'agent', tier: 'node' } });
    expect(updated.body).toMatchObject({ id: 'daemonset:apps:agent', labels: { tier: 'node' } });
    const redeployed = await v3(suite.server, 'POST', `${project()}/workloads/daemonset:apps:agent?action=redeploy`);
    expect(redeployed.body).toMatchObject({ id: 'daemonset:apps:agent', generation: 3 });

    for (const namespaceId of ['apps', suite.place.namespaceId]) {
      const filtered = await v3(suite.server, 'GET', `${project()}/workloads?namespaceId=${namespaceId}&kind=DaemonSet`);
      expect(
        filtered.body.data.map((item: { id: string }) => item.id),
        namespaceId,
      ).toEqual(['daemonset:apps:agent']);
    }
    const byId = await v3(suite.server, 'GET', `${project()}/workloads?id=daemonset:apps:agent`);
    expect(byId.body.data).toHaveLength(1);

    const namespace = await v3(suite.server, 'GET', `/v3/cluster/${suite.place.clusterId}/namespaces/apps`);
    expect(namespace.body).toMatchObject({ id: 'apps', clusterId: suite.place.clusterId });
    const deleted = await v3(suite.server, 'DELETE', `${project()}/workloads/daemonset:apps:agent`);
    expect(deleted.status).toBe(200);
    expect((await v3(suite.server, 'GET', `${project()}/workloads/daemonset:apps:agent`)).status).toBe(404);
  });

  it('reads a bare namespace id within the project’s cluster outside any context too', async () => {
    const created = await v3(suite.server, 'POST', '/v3/namespacedsecrets', { projectId: suite.place.projectId, namespaceId: 'apps', name: 'top-level' });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(`${suite.place.clusterId}:apps:top-level`);
    const graphql = await suite.server.graphql(
      `mutation($projectId: ID!) { createWorkload(input: { projectId: $projectId, namespaceId: "apps", kind: DEPLOYMENT, name: "gql", containers: [{ name: "web", image: "nginx" }] }) { id rancherId namespaceId namespace { id rancherId } } }`,
      { projectId: suite.place.projectId },
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data?.createWorkload).toEqual({
      id: `${suite.place.clusterId}:deployment:apps:gql`,
      rancherId: 'deployment:apps:gql',
      namespaceId: suite.place.namespaceId,
      namespace: { id: suite.place.namespaceId, rancherId: 'apps' },
    });
  });

  it('says what is wrong with a namespace reference: missing from the cluster, or in another project', async () => {
    const missing = await v3(suite.server, 'POST', `${project()}/workloads`, { namespaceId: 'nowhere', kind: 'Deployment', name: 'x', containers: [nginx] });
    expect(missing.body).toMatchObject({ status: 422, code: 'InvalidReference', fieldName: 'namespaceId' });
    expect(missing.body.message).toContain(`cluster "${suite.place.clusterId}" has no namespace "nowhere"`);

    const sibling = await suite.server.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "Other" }) { id } }`, {
      clusterId: suite.place.clusterId,
    });
    const otherProject = sibling.data?.createProject.id as string;
    await v3(suite.server, 'POST', `/v3/project/${otherProject}/namespaces`, { name: 'elsewhere' });
    const wrongProject = await v3(suite.server, 'POST', `${project()}/workloads`, {
      namespaceId: 'elsewhere',
      kind: 'Deployment',
      name: 'x',
      containers: [nginx],
    });
    expect(wrongProject.body).toMatchObject({ status: 422, code: 'InvalidReference', fieldName: 'namespaceId' });
    expect(wrongProject.body.message).toContain('is in another project');

    // A namespace of another cluster is not found by its bare name in this one.
    const other = await createPlace(suite.server, 'foreign');
    const foreign = await v3(suite.server, 'POST', `${project()}/workloads`, {
      namespaceId: other.namespaceId,
      kind: 'Deployment',
      name: 'x',
      containers: [nginx],
    });
    expect(foreign.body).toMatchObject({ status: 422, code: 'InvalidReference' });
  });
});
