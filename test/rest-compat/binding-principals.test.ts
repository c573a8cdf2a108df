import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/helpers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * Role template bindings name their user by principal as well as by id, as Rancher's do:
 * `userPrincipalId` is `local://<userId>`. The Rancher CLI's `clusters add-member-role` and
 * `projects add-member-role` create bindings with `userPrincipalId` alone, its
 * `delete-member-role` finds them by a `userPrincipalId` filter, and its `list-members`
 * shows each binding's member from it; Rancher's UIs and Terraform's rancher2 provider
 * (`user_principal_id`) bind by it too. Before, /v3 dropped the field and answered 422 for
 * the missing `userId`, and no binding showed one.
 */
describe.each(databaseTargets)('bindings by principal id on $name', (target) => {
  let server: TestApp;
  let clusterId: string;
  let projectId: string;
  let memberId: string;
  let adminId: string;

  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = await v3(server, 'POST', '/v3/clusters', { name: 'members' });
    clusterId = cluster.body.id as string;
    const project = await v3(server, 'POST', '/v3/projects', { clusterId, name: 'team' });
    projectId = project.body.id as string;
    memberId = await createUser(server, 'principal-member');
    const me = await v3(server, 'GET', '/v3/users?me=true');
    adminId = (me.body.data as Array<{ id: string }>)[0]!.id;
  });
  afterAll(() => server?.close());

  it('binds a cluster member by userPrincipalId alone, as the Rancher CLI does, and finds and removes the binding by it', async () => {
    const principal = `local://${memberId}`;
    const made = await v3(server, 'POST', '/v3/clusterroletemplatebindings', { clusterId, roleTemplateId: 'cluster-member', userPrincipalId: principal });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ clusterId, roleTemplateId: 'cluster-member', userId: memberId, userPrincipalId: principal });

    // delete-member-role: list by cluster, role and principal, then delete each found.
    const found = await v3(
      server,
      'GET',
      `/v3/clusterroletemplatebindings?clusterId=${clusterId}&roleTemplateId=cluster-member&userPrincipalId=${encodeURIComponent(principal)}`,
    );
    expect((found.body.data as Array<{ id: string }>).map(({ id }) => id)).toEqual([made.body.id]);
    expect((await v3(server, 'DELETE', `/v3/clusterroletemplatebindings/${made.body.id as string}`)).status).toBe(200);
    const gone = await v3(server, 'GET', `/v3/clusterroletemplatebindings?userPrincipalId=${encodeURIComponent(principal)}`);
    expect(gone.body.data).toEqual([]);
  });

  it('binds a project member by userPrincipalId, or by both ids when they agree', async () => {
    const principal = `local://${memberId}`;
    const byPrincipal = await v3(server, 'POST', '/v3/projectroletemplatebindings', { projectId, roleTemplateId: 'read-only', userPrincipalId: principal });
    expect(byPrincipal.status, JSON.stringify(byPrincipal.body)).toBe(201);
    expect(byPrincipal.body).toMatchObject({ projectId, userId: memberId, userPrincipalId: principal });
    const byBoth = await v3(server, 'POST', '/v3/projectroletemplatebindings', {
      projectId,
      roleTemplateId: 'project-member',
      userId: memberId,
      userPrincipalId: principal,
    });
    expect(byBoth.status, JSON.stringify(byBoth.body)).toBe(201);
    expect(byBoth.body).toMatchObject({ userId: memberId, userPrincipalId: principal });
  });

  it('shows the principal of every binding, the creator’s own included, on both faces', async () => {
    const listed = await v3(server, 'GET', `/v3/clusterroletemplatebindings?clusterId=${clusterId}&userId=${adminId}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ roleTemplateId: 'cluster-owner', userPrincipalId: `local://${adminId}` })]);
    const schema = await v3(server, 'GET', '/v3/schemas/clusterRoleTemplateBinding');
    expect(schema.body.resourceFields).toMatchObject({
      userPrincipalId: { type: 'string', create: true, nullable: true },
      userId: { type: 'reference[user]', create: true, nullable: true },
    });
    const read = await server.graphql<{ projectRoleTemplateBindings: { edges: Array<{ node: { userId: string; userPrincipalId: string } }> } }>(
      `query($projectId: String!) { projectRoleTemplateBindings(filter: { projectId: { eq: $projectId } }) { edges { node { userId userPrincipalId } } } }`,
      { projectId },
    );
    expect(read.errors).toBeUndefined();
    // The creator's project-owner binding and the two made above.
    expect(read.data!.projectRoleTemplateBindings.edges).toHaveLength(3);
    for (const { node } of read.data!.projectRoleTemplateBindings.edges) expect(node.userPrincipalId).toBe(`local://${node.userId}`);
  });

  it('refuses a binding without a user, with another provider’s principal, with ids that disagree, or with a principal of no user', async () => {
    const refusals: Array<[Record<string, unknown>, number, string, string]> = [
      [{}, 422, 'MissingRequired', 'userId'],
      [{ userPrincipalId: 'github_user://12345' }, 422, 'InvalidFormat', 'userPrincipalId'],
      [{ userPrincipalId: 'local://' }, 422, 'InvalidFormat', 'userPrincipalId'],
      [{ userId: adminId, userPrincipalId: `local://${memberId}` }, 422, 'InvalidFormat', 'userPrincipalId'],
      [{ userPrincipalId: 'local://u-nobody' }, 422, 'InvalidReference', 'userPrincipalId'],
    ];
    for (const [user, status, code, fieldName] of refusals) {
      const refused = await v3(server, 'POST', '/v3/clusterroletemplatebindings', { clusterId, roleTemplateId: 'cluster-member', ...user });
      expect([refused.status, refused.body.code, refused.body.fieldName], JSON.stringify(user)).toEqual([status, code, fieldName]);
    }
    const viaGraphQL = await server.graphql(
      `mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`,
      { input: { clusterId, roleTemplateId: 'cluster-member', userPrincipalId: 'local://u-nobody' } },
    );
    expect(viaGraphQL.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
