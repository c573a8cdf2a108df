import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access } from '../../src/auth/access.js';
import type { Principal } from '../../src/auth/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from './helpers.js';

/**
 * A list's `canUpdate`/`canRemove` ask Access about every row: the answer comes at once
 * when nothing needs reading (an admin, or the caller's bindings already read), and
 * only the first question of a member waits for the read. The answers themselves are
 * held by the authorization matrix; this holds when they come.
 */
describe('per-row permission answers', () => {
  let server: TestApp;
  let member: Principal;
  let admin: Principal;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    const createCluster = async (name: string) =>
      (await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })).data!.createCluster.id as string;
    mine = await createCluster('members-cluster');
    theirs = await createCluster('someone-elses');
    const user = await signUp(server, 'access-member');
    const bound = await server.graphql(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
      input: { clusterId: mine, userId: user.id, roleTemplateId: 'cluster-member' },
    });
    expect(bound.errors).toBeUndefined();
    const unscoped = { tokenId: 'token-test', clusterId: null, projectId: null, via: 'bearer' } as const;
    member = { ...unscoped, userId: user.id, username: 'access-member', isAdmin: false };
    admin = { ...unscoped, userId: 'admin-id', username: 'admin', isAdmin: true };
  });
  afterAll(() => server?.close());

  const access = (principal: Principal) => new Access(server.app.database.prisma, principal);

  it('answers an admin at once, reading nothing', () => {
    server.queries.length = 0;
    expect(access(admin).onCluster(theirs, 'update')).toBe(true);
    expect(access(admin).onProject({ id: 'p-x', clusterId: theirs }, 'delete')).toBe(true);
    expect(server.queries).toEqual([]);
  });

  it('answers a member once their bindings are read, and at once from then on', async () => {
    const asMember = access(member);
    const first = asMember.onCluster(mine, 'read');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe(true);
    expect(asMember.onCluster(mine, 'read')).toBe(true);
    expect(asMember.onCluster(theirs, 'read')).toBe(false);
    // cluster-member reads, and does not manage the cluster's members.
    expect(asMember.onCluster(mine, 'manageMembers')).toBe(false);
  });

  it('answers no caller, and a key scoped elsewhere, at once', () => {
    expect(new Access(server.app.database.prisma, null).onCluster(mine, 'read')).toBe(false);
    expect(access({ ...member, clusterId: theirs }).onCluster(mine, 'read')).toBe(false);
  });
});
