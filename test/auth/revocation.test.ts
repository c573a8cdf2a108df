import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, type TestApp } from '../helpers/app.js';
import { nextChange, startInstances } from '../helpers/instances.js';
import { databaseTargets } from '../helpers/targets.js';
import { createKey, statusWith, userPassword } from './helpers.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

/**
 * Issue 10, item 4: whatever revokes a credential or narrows a role on one instance
 * is obeyed by every other instance as soon as the change reaches it through the
 * notification channel — not when a cache expires 10 s later. Each test first warms
 * instance B's caches, changes something on A, waits for B to hear of it, and then
 * expects B to refuse.
 */
describe.skipIf(!postgresReachable)('revocation reaches every instance through the change feed', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;
  let people = 0;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
  });
  afterAll(() => close?.());

  /** A new user (optionally admin), logged in on A: id and session key. */
  async function person(globalRole: 'USER' | 'ADMIN' = 'USER'): Promise<{ id: string; token: string }> {
    people += 1;
    const username = `person-${people}`;
    const created = await a.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username, password: userPassword, globalRole },
    });
    expect(created.errors).toBeUndefined();
    return { id: created.data!.createUser.id as string, token: await login(a.url, username, userPassword) };
  }

  /** Runs `change` on A and resolves once B has heard of a change to `type` `id`. */
  async function onAHeardOnB(type: string, matches: (change: { type: string; id: string; userId: string | null }) => boolean, change: () => Promise<unknown>) {
    const heard = nextChange(b, (event) => event.type === type && matches(event));
    await change();
    await heard;
  }

  const tokenIdOf = (token: string) => token.slice(0, token.indexOf(':'));

  it('a key deactivated on A is refused on B', async () => {
    const { token } = await person();
    const key = await createKey(a, token);
    expect(await statusWith(b, key.token)).toBe(200);
    await onAHeardOnB(
      'Token',
      (event) => event.id === key.id,
      () => graphqlAs(a.url, token, `mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id: key.id }),
    );
    expect(await statusWith(b, key.token)).toBe(401);
  });

  it('a key deleted on A is refused on B', async () => {
    const { token } = await person();
    const key = await createKey(a, token);
    expect(await statusWith(b, key.token)).toBe(200);
    await onAHeardOnB(
      'Token',
      (event) => event.id === key.id,
      () => graphqlAs(a.url, token, `mutation($id: ID!) { deleteToken(id: $id) { id } }`, { id: key.id }),
    );
    expect(await statusWith(b, key.token)).toBe(401);
  });

  it('a session logged out on A is refused on B', async () => {
    const { token } = await person();
    expect(await statusWith(b, token)).toBe(200);
    await onAHeardOnB(
      'Token',
      (event) => event.id === tokenIdOf(token),
      () => graphqlAs(a.url, token, `mutation { logoutToken { id } }`),
    );
    expect(await statusWith(b, token)).toBe(401);
  });

  it('a key whose expiry is moved into the past, even outside the API, is refused on B', async () => {
    const { token } = await person();
    expect(await statusWith(b, token)).toBe(200);
    await onAHeardOnB(
      'Token',
      (event) => event.id === tokenIdOf(token),
      () => a.app.database.prisma.token.update({ where: { id: tokenIdOf(token) }, data: { expiresAt: new Date(Date.now() - 1_000) } }),
    );
    expect(await statusWith(b, token)).toBe(401);
  });

  it('a user disabled on A has every key refused on B', async () => {
    const { id, token } = await person();
    expect(await statusWith(b, token)).toBe(200);
    await onAHeardOnB(
      'User',
      (event) => event.id === id,
      () => a.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { enabled: false }) { id } }`, { id }),
    );
    expect(await statusWith(b, token)).toBe(401);
  });

  it('a user deleted on A has every key refused on B', async () => {
    const { id, token } = await person();
    expect(await statusWith(b, token)).toBe(200);
    await onAHeardOnB(
      'Token',
      (event) => event.userId === id,
      () => a.graphql(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id }),
    );
    expect(await statusWith(b, token)).toBe(401);
  });

  it('an admin demoted on A loses admin rights on B', async () => {
    const { id, token } = await person('ADMIN');
    const userCount = async () => (await graphqlAs(b.url, token, `{ users { totalCount } }`)).data!.users.totalCount as number;
    expect(await userCount()).toBeGreaterThan(1);
    await onAHeardOnB(
      'GlobalRoleBinding',
      (event) => event.userId === id,
      () => a.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { globalRole: USER }) { id } }`, { id }),
    );
    expect(await userCount()).toBe(1);
  });

  it('a cluster binding removed on A hides the cluster on B', async () => {
    const { id, token } = await person();
    const cluster = await a.graphql(`mutation { createCluster(input: { name: "bound-${people}" }) { id } }`);
    const clusterId = cluster.data!.createCluster.id as string;
    const bound = await a.graphql(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
      input: { clusterId, userId: id, roleTemplateId: 'cluster-member' },
    });
    expect(bound.errors).toBeUndefined();
    const read = () => graphqlAs(b.url, token, `query($id: ID!) { cluster(id: $id) { id } }`, { id: clusterId });
    expect((await read()).data?.cluster.id).toBe(clusterId);
    const bindingId = bound.data!.createClusterRoleTemplateBinding.id as string;
    await onAHeardOnB(
      'ClusterRoleTemplateBinding',
      (event) => event.id === bindingId,
      () => a.graphql(`mutation($id: ID!) { deleteClusterRoleTemplateBinding(id: $id) { id } }`, { id: bindingId }),
    );
    expect(await read()).toEqual({ data: { cluster: null } });
  });

  it('a project binding removed on A hides the project on B', async () => {
    const { id, token } = await person();
    const cluster = await a.graphql(`mutation { createCluster(input: { name: "projects-${people}" }) { id } }`);
    const project = await a.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "p" }) { id } }`, {
      clusterId: cluster.data!.createCluster.id,
    });
    const projectId = project.data!.createProject.id as string;
    const bound = await a.graphql(`mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`, {
      input: { projectId, userId: id, roleTemplateId: 'project-member' },
    });
    expect(bound.errors).toBeUndefined();
    const read = () => graphqlAs(b.url, token, `query($id: ID!) { project(id: $id) { id } }`, { id: projectId });
    expect((await read()).data?.project.id).toBe(projectId);
    const bindingId = bound.data!.createProjectRoleTemplateBinding.id as string;
    await onAHeardOnB(
      'ProjectRoleTemplateBinding',
      (event) => event.id === bindingId,
      () => a.graphql(`mutation($id: ID!) { deleteProjectRoleTemplateBinding(id: $id) { id } }`, { id: bindingId }),
    );
    expect(await read()).toEqual({ data: { project: null } });
  });

  it('a setting changed on A is obeyed on B at once', async () => {
    const { token } = await person();
    const limitOnB = async () => (await fetch(`${b.url}/v3/clusters`, { headers: { authorization: `Bearer ${token}` } })).headers.get('x-ratelimit-limit');
    expect(await limitOnB()).toBe('1000000');
    await onAHeardOnB(
      'Setting',
      (event) => event.id === 'api-rate-limit',
      () => a.graphql(`mutation { updateSetting(id: "api-rate-limit", input: { value: "999999" }) { id } }`),
    );
    expect(await limitOnB()).toBe('999999');
  });
});
