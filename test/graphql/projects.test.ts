import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

describe.each(databaseTargets)('projects through GraphQL on $name', (target) => {
  let server: TestApp;
  let clusterId: string;
  let otherClusterId: string;

  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = (name: string) =>
      server
        .graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })
        .then((result) => result.data!.createCluster.id as string);
    clusterId = await cluster('home');
    otherClusterId = await cluster('away');
  });
  afterAll(() => server?.close());

  const createProject = (input: Record<string, unknown>) =>
    server.graphql(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id clusterId name description cluster { id name } } }`, { input });

  it('gives a project the id <clusterId>:p-xxxxx and links it to its cluster', async () => {
    const result = await createProject({ clusterId, name: 'Default', description: 'default project' });
    expect(result.errors).toBeUndefined();
    const project = result.data!.createProject;
    expect(project.id).toMatch(new RegExp(`^${clusterId}:p-[a-z0-9]{5}$`));
    expect(project).toMatchObject({ clusterId, name: 'Default', cluster: { id: clusterId, name: 'home' } });

    const read = await server.graphql(`query($id: ID!) { project(id: $id) { name } node(id: $id) { ... on Project { clusterId } } }`, { id: project.id });
    expect(read.data).toEqual({ project: { name: 'Default' }, node: { clusterId } });
  });

  it('keeps names unique within a cluster, not across clusters', async () => {
    expect((await createProject({ clusterId, name: 'Shared' })).errors).toBeUndefined();
    expect((await createProject({ clusterId: otherClusterId, name: 'Shared' })).errors).toBeUndefined();
    const duplicate = await createProject({ clusterId, name: 'Shared' });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fieldName: 'name' });
  });

  it('refuses a project in a cluster that does not exist, naming clusterId', async () => {
    const result = await createProject({ clusterId: 'c-zzzzz', name: 'Orphan' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'clusterId' });
  });

  it('refuses blank and padded names', async () => {
    for (const name of ['', '  padded', 'tab\tinside\u0007bell']) {
      const result = await createProject({ clusterId, name });
      expect(result.errors?.[0]?.extensions, JSON.stringify(name)).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'name' });
    }
  });

  it('lists a cluster’s projects, by relation and by filter, with totals', async () => {
    const result = await server.graphql(
      `query($clusterId: ID!, $clusterIdText: String!) {
        cluster(id: $clusterId) { projects { totalCount edges { node { name } } } }
        projects(filter: { clusterId: { eq: $clusterIdText } }, sort: { field: NAME, order: DESC }) { totalCount edges { node { name } } }
      }`,
      { clusterId, clusterIdText: clusterId },
    );
    expect(result.errors).toBeUndefined();
    const byRelation = result.data!.cluster.projects;
    const byFilter = result.data!.projects;
    expect(byRelation.totalCount).toBe(2);
    expect(byFilter.totalCount).toBe(2);
    expect(byFilter.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['Shared', 'Default']);
  });

  it('updates and deletes a project', async () => {
    const { data } = await createProject({ clusterId, name: 'Temp' });
    const id = data!.createProject.id;
    const updated = await server.graphql(`mutation($id: ID!) { updateProject(id: $id, input: { name: "Renamed" }) { name } }`, { id });
    expect(updated.data).toEqual({ updateProject: { name: 'Renamed' } });
    const deleted = await server.graphql(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id });
    expect(deleted.data).toEqual({ deleteProject: { id } });
    const again = await server.graphql(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
