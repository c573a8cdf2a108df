import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { createKey, expectGraphQLError, expectNormanError, signUp } from './helpers.js';
import type { Json } from '../helpers/json.js';

describe.each(databaseTargets)('keys scoped to a cluster or a project on $name', (target) => {
  let server: TestApp;
  let home: string;
  let away: string;
  let homeProject: string;
  let homeOtherProject: string;
  let awayProject: string;
  let clusterKey: Record<string, Json>;
  let projectKey: Record<string, Json>;
  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = async (name: string) =>
      (await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })).data!.createCluster.id as string;
    const project = async (clusterId: string, name: string) =>
      (
        await server.graphql(`mutation($clusterId: ID!, $name: String!) { createProject(input: { clusterId: $clusterId, name: $name }) { id } }`, {
          clusterId,
          name,
        })
      ).data!.createProject.id as string;
    home = await cluster('home');
    away = await cluster('away');
    homeProject = await project(home, 'home-one');
    homeOtherProject = await project(home, 'home-two');
    awayProject = await project(away, 'away-one');
    clusterKey = await createKey(server, server.token, { name: 'home-only', clusterId: home });
    projectKey = await createKey(server, server.token, { name: 'project-only', projectId: homeProject });
  });
  afterAll(() => server?.close());

  const as = (key: Record<string, Json>, query: string, variables?: Record<string, unknown>) => graphqlAs(server.url, key.token, query, variables);
  const listed = async (key: Record<string, Json>, field: 'clusters' | 'projects' | 'tokens' | 'users') => {
    const result = await as(key, `{ ${field} { totalCount edges { node { id } } } }`);
    expect(result.errors).toBeUndefined();
    const connection = result.data![field] as { totalCount: number; edges: Array<{ node: { id: string } }> };
    return { total: connection.totalCount, ids: connection.edges.map((edge) => edge.node.id) };
  };

  it('records its scope', () => {
    expect(clusterKey).toMatchObject({ clusterId: home, projectId: null });
    expect(projectKey).toMatchObject({ clusterId: null, projectId: homeProject });
  });

  describe('a key scoped to a cluster', () => {
    it('lists and counts only that cluster and its projects', async () => {
      expect(await listed(clusterKey, 'clusters')).toEqual({ total: 1, ids: [home] });
      const projects = await listed(clusterKey, 'projects');
      expect(projects.ids.sort()).toEqual([homeProject, homeOtherProject].sort());
      expect(projects.total).toBe(2);
      const rest = await v3({ url: server.url, token: clusterKey.token }, 'GET', '/v3/clusters');
      expect(rest.body.data.map((cluster: { id: string }) => cluster.id)).toEqual([home]);
    });

    it('answers NOT_FOUND for any other cluster or its projects', async () => {
      expect(await as(clusterKey, `query($id: ID!) { cluster(id: $id) { id } }`, { id: away })).toEqual({ data: { cluster: null } });
      expect(await as(clusterKey, `query($id: ID!) { project(id: $id) { id } }`, { id: awayProject })).toEqual({ data: { project: null } });
      expectGraphQLError(await as(clusterKey, `mutation($id: ID!) { updateCluster(id: $id, input: { description: "x" }) { id } }`, { id: away }), 'NOT_FOUND');
      expectGraphQLError(await as(clusterKey, `mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id: away }), 'NOT_FOUND');
      expectNormanError(await v3({ url: server.url, token: clusterKey.token }, 'GET', `/v3/clusters/${away}`), 404, 'NotFound');
    });

    it('gives nothing of another cluster through node(id)', async () => {
      const result = await as(clusterKey, `query($id: ID!) { node(id: $id) { id } }`, { id: away });
      expect(result.data).toEqual({ node: null });
    });

    it('works on its own cluster', async () => {
      const updated = await as(clusterKey, `mutation($id: ID!) { updateCluster(id: $id, input: { description: "scoped edit" }) { description } }`, {
        id: home,
      });
      expect(updated.data).toEqual({ updateCluster: { description: 'scoped edit' } });
    });
  });

  describe('a key scoped to a project', () => {
    it('lists only that project, and only its cluster', async () => {
      expect(await listed(projectKey, 'projects')).toEqual({ total: 1, ids: [homeProject] });
      expect(await listed(projectKey, 'clusters')).toEqual({ total: 1, ids: [home] });
    });

    it('answers NOT_FOUND for sibling projects and other clusters', async () => {
      expect(await as(projectKey, `query($id: ID!) { project(id: $id) { id } }`, { id: homeOtherProject })).toEqual({ data: { project: null } });
      expect(await as(projectKey, `query($id: ID!) { cluster(id: $id) { id } }`, { id: away })).toEqual({ data: { cluster: null } });
    });

    it('gives nothing of a sibling project through node(id)', async () => {
      expect((await as(projectKey, `query($id: ID!) { node(id: $id) { id } }`, { id: homeOtherProject })).data).toEqual({ node: null });
    });

    it('cannot create projects', async () => {
      expectGraphQLError(
        await as(projectKey, `mutation($id: ID!) { createProject(input: { clusterId: $id, name: "sneaky" }) { id } }`, { id: home }),
        'PERMISSION_DENIED',
      );
    });
  });

  describe.each([
    ['cluster', () => clusterKey],
    ['project', () => projectKey],
  ])('an admin’s key scoped to a %s reaches nothing global', (scope, key) => {
    it.each([
      ['createUser', `mutation { createUser(input: { username: "made-by-${scope}", password: "long enough password" }) { id } }`],
      ['createToken', `mutation { createToken(input: { name: "wider" }) { token } }`],
      ['createCluster', `mutation { createCluster(input: { name: "made-by-${scope}" }) { id } }`],
    ])('refuses %s with PERMISSION_DENIED', async (_name, operation) => {
      expectGraphQLError(await as(key(), operation), 'PERMISSION_DENIED');
    });

    it.each([
      ['updateSetting', `mutation { updateSetting(id: "server-url", input: { value: "https://${scope}.example" }) { id } }`],
      ['createNodeDriver', `mutation { createNodeDriver(input: { url: "https://example.com/docker-machine-driver-${scope}" }) { id } }`],
    ])('refuses %s with PERMISSION_DENIED', async (_name, operation) => {
      expectGraphQLError(await as(key(), operation), 'PERMISSION_DENIED');
    });

    it('is not offered what it may not do: no update, remove or actions on settings and drivers', async () => {
      const result = await as(key(), `{ setting(id: "server-url") { canUpdate } nodeDriver(id: "linode") { canUpdate canRemove availableActions } }`);
      expect(result.data).toEqual({ setting: { canUpdate: false }, nodeDriver: { canUpdate: false, canRemove: false, availableActions: [] } });
    });

    it('is not offered the creation of a cluster: no canCreate, no /v3 createTypes', async () => {
      expect((await as(key(), '{ clusters(first: 1) { canCreate } }')).data).toEqual({ clusters: { canCreate: false } });
      const listed = await v3({ url: server.url, token: key().token }, 'GET', '/v3/clusters');
      expect(listed.status).toBe(200);
      expect(listed.body.createTypes).toEqual({});
    });

    it('refuses POST /v3/tokens with 403', async () => {
      expectNormanError(await v3({ url: server.url, token: key().token }, 'POST', '/v3/tokens', { name: 'wider' }), 403, 'PermissionDenied');
    });

    it('sees only itself among keys, and only its user among users', async () => {
      expect(await listed(key(), 'tokens')).toEqual({ total: 1, ids: [key().id] });
      const me = (await server.graphql(`{ me { id } }`)).data!.me.id;
      expect(await listed(key(), 'users')).toEqual({ total: 1, ids: [me] });
      const adminSession = server.token.split(':')[0];
      expect(await as(key(), `query($id: ID!) { token(id: $id) { id } }`, { id: adminSession })).toEqual({ data: { token: null } });
      expectGraphQLError(await as(key(), `mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id: adminSession }), 'NOT_FOUND');
    });
  });

  it('scopes a key only to a cluster or project its owner can see, and a project inside the cluster given', async () => {
    const user = await signUp(server, 'scoper');
    for (const [input, fieldName] of [
      [{ clusterId: home }, 'clusterId'],
      [{ clusterId: 'c-nope0' }, 'clusterId'],
      [{ projectId: homeProject }, 'projectId'],
    ] as const) {
      const result = await graphqlAs(server.url, user.token, `mutation($input: CreateTokenInput!) { createToken(input: $input) { id } }`, { input });
      expectGraphQLError(result, 'INVALID_INPUT', fieldName);
    }
    const mismatched = await server.graphql(`mutation($input: CreateTokenInput!) { createToken(input: $input) { id } }`, {
      input: { clusterId: away, projectId: homeProject },
    });
    expectGraphQLError(mismatched, 'INVALID_INPUT', 'projectId');
  });
});
