import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

/**
 * Beside each bare id of a resource (`creatorId`, `userId`, `cloudCredentialId`) sits the
 * object it names (issue 15), nullable: null when there is none, when it is gone, and when
 * the caller may not see it — never an error, and never more than `<type>(id:)` would show.
 */
describe.each(databaseTargets)('links beside bare ids on $name', (target) => {
  let server: TestApp;
  let clusterId: string;
  let owner: { id: string; token: string };
  let member: { id: string };
  const person = async (username: string) => {
    const created = await server.graphql(`mutation($username: String!) { createUser(input: { username: $username, password: "a-long-password-1" }) { id } }`, {
      username,
    });
    return { id: created.data!.createUser.id as string, token: await login(server.url, username, 'a-long-password-1') };
  };

  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = await server.graphql(`mutation { createCluster(input: { name: "linked" }) { id } }`);
    clusterId = cluster.data!.createCluster.id as string;
    owner = await person('link-owner');
    member = await person('link-member');
    for (const [user, roleTemplateId] of [
      [owner, 'cluster-owner'],
      [member, 'cluster-member'],
    ] as const) {
      const bound = await server.graphql(
        `mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`,
        {
          input: { clusterId, userId: user.id, roleTemplateId },
        },
      );
      expect(bound.errors).toBeUndefined();
    }
  });
  afterAll(() => server?.close());

  it('follows creatorId, userId and roleTemplateId to their objects for an admin', async () => {
    const result = await server.graphql(
      `query($id: ID!, $cid: String!) { me { id } cluster(id: $id) { creatorId creator { id username } } clusterRoleTemplateBindings(filter: { clusterId: { eq: $cid } }) { nodes { userId user { id username } roleTemplate { id } } } }`,
      { id: clusterId, cid: clusterId },
    );
    expect(result.errors).toBeUndefined();
    const adminId = result.data!.me.id as string;
    expect(result.data!.cluster).toMatchObject({ creatorId: adminId, creator: { id: adminId, username: 'admin' } });
    const bindings = result.data!.clusterRoleTemplateBindings.nodes as Array<{ userId: string; user: { id: string; username: string } }>;
    expect(bindings.map((binding) => binding.user)).toEqual(
      expect.arrayContaining([
        { id: owner.id, username: 'link-owner' },
        { id: member.id, username: 'link-member' },
      ]),
    );
    for (const binding of bindings) expect(binding.user.id).toBe(binding.userId);
  });

  it('answers null, not an error, for a user the caller may see a binding of but not the user itself', async () => {
    const result = await graphqlAs(
      server.url,
      owner.token,
      `query($id: ID!, $cid: String!) { cluster(id: $id) { creatorId creator { username } } clusterRoleTemplateBindings(filter: { clusterId: { eq: $cid } }) { nodes { userId user { username } } } }`,
      { id: clusterId, cid: clusterId },
    );
    expect(result.errors).toBeUndefined();
    // The cluster's owner sees the cluster and every binding on it, but only themselves among users.
    expect(result.data!.cluster.creatorId).toBeTruthy();
    expect(result.data!.cluster.creator).toBeNull();
    const users = Object.fromEntries(
      (result.data!.clusterRoleTemplateBindings.nodes as Array<{ userId: string; user: { username: string } | null }>).map((binding) => [
        binding.userId,
        binding.user,
      ]),
    );
    // The creator's own binding too: every user but the caller is null.
    expect(users).toEqual({ ...Object.fromEntries(Object.keys(users).map((id) => [id, null])), [owner.id]: { username: 'link-owner' } });
    expect(users).toHaveProperty(member.id, null);
  });

  it('answers null for an empty link and for a credential the caller may not see', async () => {
    const credential = await server.graphql(
      `mutation { createCloudCredential(input: { name: "linked", digitaloceancredentialConfig: { accessToken: "t" } }) { id owner { username } } }`,
    );
    expect(credential.errors).toBeUndefined();
    expect(credential.data!.createCloudCredential.owner).toEqual({ username: 'admin' });
    const credentialId = credential.data!.createCloudCredential.id as string;
    const updated = await server.graphql(
      `mutation($id: ID!, $credentialId: ID!) { updateCluster(id: $id, input: { cloudCredentialId: $credentialId }) { cloudCredentialId cloudCredential { id name } } }`,
      { id: clusterId, credentialId },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateCluster.cloudCredential).toEqual({ id: credentialId, name: 'linked' });
    // Only its owner and admins see a credential: the cluster's owner sees the id, not the object.
    const asOwner = await graphqlAs(server.url, owner.token, `query($id: ID!) { cluster(id: $id) { cloudCredentialId cloudCredential { id } } }`, {
      id: clusterId,
    });
    expect(asOwner).toEqual({ data: { cluster: { cloudCredentialId: credentialId, cloudCredential: null } } });
    const unset = await server.graphql(`mutation { createCluster(input: { name: "unlinked" }) { cloudCredentialId cloudCredential { id } } }`);
    expect(unset).toEqual({ data: { createCluster: { cloudCredentialId: null, cloudCredential: null } } });
  });
});
