import { describe, expect, it } from 'vitest';
import { createPlace, nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';

describe.each(databaseTargets)('namespaces through GraphQL on $name', (target) => {
  const suite = serverWithPlace(target);

  const createNamespace = (input: Record<string, unknown>) =>
    suite.server.graphql(
      `mutation($input: CreateNamespaceInput!) { createNamespace(input: $input) { id name clusterId projectId labels description created } }`,
      { input },
    );

  it('gives a namespace the id <clusterId>:<name>, takes its cluster from the project and is found by node', async () => {
    const result = await createNamespace({ projectId: suite.place.projectId, name: 'web', labels: { team: 'a' }, description: 'front' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createNamespace).toMatchObject({
      id: `${suite.place.clusterId}:web`,
      name: 'web',
      clusterId: suite.place.clusterId,
      projectId: suite.place.projectId,
      labels: { team: 'a' },
    });
    const read = await suite.server.graphql(`query($id: ID!) { node(id: $id) { __typename ... on Namespace { name project { id } cluster { id } } } }`, {
      id: `${suite.place.clusterId}:web`,
    });
    expect(read.data!.node).toEqual({ __typename: 'Namespace', name: 'web', project: { id: suite.place.projectId }, cluster: { id: suite.place.clusterId } });
  });

  it('creates a namespace outside any project from clusterId alone', async () => {
    const result = await createNamespace({ clusterId: suite.place.clusterId, name: 'loose' });
    expect(result.data!.createNamespace).toMatchObject({ id: `${suite.place.clusterId}:loose`, projectId: null });
  });

  it('keeps names unique within a cluster, not across clusters', async () => {
    const other = await createPlace(suite.server, 'shared');
    expect((await createNamespace({ projectId: suite.place.projectId, name: 'shared' })).errors).toBeUndefined();
    expect(other.namespaceId).toBe(`${other.clusterId}:shared`);
    const duplicate = await createNamespace({ clusterId: suite.place.clusterId, name: 'shared' });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fieldName: 'name', reason: 'AlreadyExists' });
  });

  it('refuses names that are not DNS-1123 labels, reserved names, a missing place and mismatched cluster', async () => {
    for (const name of ['Upper', 'has_underscore', '-dash', 'a'.repeat(64), 'dots.inside']) {
      const result = await createNamespace({ projectId: suite.place.projectId, name });
      expect(result.errors?.[0]?.extensions, name).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'name' });
    }
    expect((await createNamespace({ projectId: suite.place.projectId, name: 'p-abcde' })).errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'name',
    });
    expect((await createNamespace({ name: 'nowhere' })).errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'clusterId',
      reason: 'MissingRequired',
    });
    const other = await createPlace(suite.server);
    const mismatched = await createNamespace({ clusterId: other.clusterId, projectId: suite.place.projectId, name: 'mixed' });
    expect(mismatched.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'clusterId' });
    expect((await createNamespace({ projectId: 'c-zzzzz:p-zzzzz', name: 'ghost' })).errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'projectId',
      reason: 'InvalidReference',
    });
  });

  it('lists, filters and sorts namespaces, and lists them under their cluster and project', async () => {
    const result = await suite.server.graphql(
      `query($clusterId: ID!, $projectId: ID!, $c: String!) {
        namespaces(filter: { clusterId: { eq: $c }, projectId: { notnull: true } }, sort: { field: NAME, order: DESC }) { totalCount edges { node { name } } }
        loose: namespaces(filter: { clusterId: { eq: $c }, projectId: { null: true } }) { edges { node { name } } }
        cluster(id: $clusterId) { namespaces { totalCount } }
        project(id: $projectId) { namespaces { totalCount } }
      }`,
      { clusterId: suite.place.clusterId, projectId: suite.place.projectId, c: suite.place.clusterId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.namespaces.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['web', 'shared', 'apps']);
    expect(result.data!.loose.edges).toEqual([{ node: { name: 'loose' } }]);
    expect(result.data!.cluster.namespaces.totalCount).toBe(4);
    expect(result.data!.project.namespaces.totalCount).toBe(3);
  });

  it('updates labels and description, not the name', async () => {
    const updated = await suite.server.graphql(
      `mutation($id: ID!) { updateNamespace(id: $id, input: { description: "changed", labels: { tier: "web" } }) { name description labels } }`,
      {
        id: `${suite.place.clusterId}:web`,
      },
    );
    expect(updated.data!.updateNamespace).toEqual({ name: 'web', description: 'changed', labels: { tier: 'web' } });
    const bad = await suite.server.graphql(`mutation($id: ID!, $labels: StringMap) { updateNamespace(id: $id, input: { labels: $labels }) { id } }`, {
      id: `${suite.place.clusterId}:web`,
      labels: { 'bad key!': 'x' },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'labels' });
  });

  it('moves a namespace with its workloads between projects and out of any', async () => {
    const { clusterId, projectId, namespaceId } = await createPlace(suite.server, 'movable');
    const second = (
      await suite.server.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "Second" }) { id } }`, { clusterId })
    ).data!.createProject.id;
    await suite.server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
      input: { projectId, namespaceId, kind: 'DEPLOYMENT', name: 'api', containers: [nginx] },
    });
    const moved = await suite.server.graphql(
      `mutation($id: ID!, $projectId: ID) { moveNamespace(id: $id, input: { projectId: $projectId }) { projectId workloads { edges { node { projectId } } } } }`,
      {
        id: namespaceId,
        projectId: second,
      },
    );
    expect(moved.data!.moveNamespace).toEqual({ projectId: second, workloads: { edges: [{ node: { projectId: second } }] } });
    const out = await suite.server.graphql(`mutation($id: ID!) { moveNamespace(id: $id) { projectId } }`, { id: namespaceId });
    expect(out.data!.moveNamespace).toEqual({ projectId: null });
    const foreign = await createPlace(suite.server);
    const across = await suite.server.graphql(`mutation($id: ID!, $projectId: ID) { moveNamespace(id: $id, input: { projectId: $projectId }) { id } }`, {
      id: namespaceId,
      projectId: foreign.projectId,
    });
    expect(across.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'projectId' });
  });

  it('moves a deleted project’s namespaces out of it, and deletes everything with the cluster', async () => {
    const doomed = await createPlace(suite.server, 'kept');
    await suite.server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
      input: { projectId: doomed.projectId, namespaceId: doomed.namespaceId, kind: 'DAEMON_SET', name: 'agent', containers: [nginx] },
    });
    await suite.server.graphql(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: doomed.projectId });
    const after = await suite.server.graphql(`query($id: ID!) { namespace(id: $id) { projectId workloads { edges { node { name projectId } } } } }`, {
      id: doomed.namespaceId,
    });
    expect(after.data!.namespace).toEqual({ projectId: null, workloads: { edges: [{ node: { name: 'agent', projectId: null } }] } });

    await suite.server.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id: doomed.clusterId });
    const prisma = suite.server.app.database.prisma;
    expect(await prisma.namespace.count({ where: { clusterId: doomed.clusterId } })).toBe(0);
    expect(await prisma.workload.count({ where: { namespaceId: doomed.namespaceId } })).toBe(0);
  });

  it('deletes a namespace with its workloads and secrets', async () => {
    const { projectId, namespaceId } = await createPlace(suite.server, 'gone');
    await suite.server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
      input: { projectId, namespaceId, kind: 'DEPLOYMENT', name: 'x', containers: [nginx] },
    });
    await suite.server.graphql(`mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id } }`, {
      input: { projectId, namespaceId, name: 's', data: { a: 'b' } },
    });
    expect((await suite.server.graphql(`mutation($id: ID!) { deleteNamespace(id: $id) { id } }`, { id: namespaceId })).data).toEqual({
      deleteNamespace: { id: namespaceId },
    });
    const prisma = suite.server.app.database.prisma;
    expect(await prisma.workload.count({ where: { namespaceId } })).toBe(0);
    expect(await prisma.namespacedSecret.count({ where: { namespaceId } })).toBe(0);
    expect(await suite.server.graphql(`query($id: ID!) { namespace(id: $id) { id } }`, { id: namespaceId })).toEqual({ data: { namespace: null } });
  });
});
