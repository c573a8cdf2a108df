import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { createKey, createUser, expectGraphQLError, expectHidden, expectNormanError, signUp, statusWith, userPassword } from './helpers.js';
import type { Json } from '../helpers/json.js';

describe.each(databaseTargets)('users and their keys on $name', (target) => {
  let server: TestApp;
  let adminId: string;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let adminKey: Record<string, Json>;
  let aliceKey: Record<string, Json>;
  beforeAll(async () => {
    server = await startTestApp(target);
    adminId = (await server.graphql(`{ me { id } }`)).data!.me.id;
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    adminKey = await createKey(server, server.token, { name: 'admin-key' });
    aliceKey = await createKey(server, alice.token, { name: 'alice-key' });
  });
  afterAll(() => server?.close());

  const asAlice = (query: string, variables?: Record<string, unknown>) => graphqlAs(server.url, alice.token, query, variables);
  const keyIds = async (token: string) => {
    const listed = await graphqlAs(server.url, token, `{ tokens { totalCount edges { node { id userId } } } }`);
    return listed.data!.tokens as { totalCount: number; edges: Array<{ node: { id: string; userId: string } }> };
  };

  describe('visibility', () => {
    it('shows a user only their own keys, counted alone', async () => {
      const mine = await keyIds(alice.token);
      expect(new Set(mine.edges.map((edge) => edge.node.userId))).toEqual(new Set([alice.id]));
      expect(mine.edges.map((edge) => edge.node.id)).toContain(aliceKey.id);
      expect(mine.totalCount).toBe(mine.edges.length);
      const listed = await v3({ url: server.url, token: alice.token }, 'GET', '/v3/tokens');
      expect(listed.body.data.map((token: { userId: string }) => token.userId).every((id: string) => id === alice.id)).toBe(true);
    });

    it('shows admins every user’s keys', async () => {
      const all = await keyIds(server.token);
      const owners = new Set(all.edges.map((edge) => edge.node.userId));
      expect(owners).toEqual(new Set([adminId, alice.id, bob.id]));
      expect(all.edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining([adminKey.id, aliceKey.id]));
      expect(all.totalCount).toBe(all.edges.length);
    });

    it('shows a user exactly themselves in users', async () => {
      const users = await asAlice(`{ users { totalCount edges { node { id username me } } } }`);
      expect(users.data!.users).toEqual({ totalCount: 1, edges: [{ node: { id: alice.id, username: 'alice', me: true } }] });
      const listed = await v3({ url: server.url, token: alice.token }, 'GET', '/v3/users');
      expect(listed.body.data.map((user: { id: string }) => user.id)).toEqual([alice.id]);
      expect(await asAlice(`query($id: ID!) { user(id: $id) { id } }`, { id: bob.id })).toEqual({ data: { user: null } });
      expect((await asAlice(`query($id: ID!) { node(id: $id) { id } }`, { id: bob.id })).data).toEqual({ node: null });
      expectNormanError(await v3({ url: server.url, token: alice.token }, 'GET', `/v3/users/${bob.id}`), 404, 'NotFound');
    });

    it('answers NOT_FOUND for another user’s key, however it is asked for', async () => {
      for (const operation of [
        `query($id: ID!) { token(id: $id) { id } }`,
        `mutation($id: ID!) { updateToken(id: $id, input: { name: "mine now" }) { id } }`,
        `mutation($id: ID!) { deactivateToken(id: $id) { id } }`,
        `mutation($id: ID!) { deleteToken(id: $id) { id } }`,
      ]) {
        expectHidden(await asAlice(operation, { id: adminKey.id }), operation);
      }
      expect((await asAlice(`query($id: ID!) { node(id: $id) { id } }`, { id: adminKey.id })).data).toEqual({ node: null });
      expectNormanError(await v3({ url: server.url, token: alice.token }, 'GET', `/v3/tokens/${adminKey.id}`), 404, 'NotFound');
      expectNormanError(await v3({ url: server.url, token: alice.token }, 'POST', `/v3/tokens/${adminKey.id}?action=deactivate`, {}), 404, 'NotFound');
      expect(await statusWith(server, adminKey.token)).toBe(200);
    });

    it('lets a user manage their own keys', async () => {
      const key = await createKey(server, alice.token, { name: 'own' });
      expect(key.userId).toBe(alice.id);
      expect((await asAlice(`mutation($id: ID!) { updateToken(id: $id, input: { name: "renamed" }) { name } }`, { id: key.id })).data).toEqual({
        updateToken: { name: 'renamed' },
      });
      expect((await asAlice(`mutation($id: ID!) { deactivateToken(id: $id) { enabled } }`, { id: key.id })).data).toEqual({
        deactivateToken: { enabled: false },
      });
      expect((await asAlice(`mutation($id: ID!) { deleteToken(id: $id) { id } }`, { id: key.id })).errors).toBeUndefined();
    });

    it('lets an admin deactivate someone else’s key', async () => {
      const key = await createKey(server, bob.token, { name: 'bob-key' });
      await server.graphql(`mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id: key.id });
      expect(await statusWith(server, key.token)).toBe(401);
    });
  });

  describe('admin-only operations', () => {
    it.each([
      ['createUser', `mutation { createUser(input: { username: "mallory", password: "long enough password" }) { id } }`],
      ['updateSetting', `mutation { updateSetting(id: "server-url", input: { value: "https://evil.example" }) { id } }`],
      ['createNodeDriver', `mutation { createNodeDriver(input: { url: "https://example.com/docker-machine-driver-evil" }) { id } }`],
      ['updateUser on themselves', `mutation($me: ID!) { updateUser(id: $me, input: { globalRole: ADMIN }) { id } }`],
      ['setUserPassword', `mutation($bob: ID!) { setUserPassword(id: $bob, input: { newPassword: "long enough password" }) { id } }`],
    ])('refuses %s to a standard user with PERMISSION_DENIED', async (_name, operation) => {
      const result = await asAlice(operation, { me: alice.id, bob: bob.id });
      expectGraphQLError(result, 'PERMISSION_DENIED');
    });

    it('answers 403 PermissionDenied on /v3 for the same', async () => {
      expectNormanError(
        await v3({ url: server.url, token: alice.token }, 'POST', '/v3/users', { username: 'mallory', password: 'long enough password' }),
        403,
        'PermissionDenied',
      );
      expectNormanError(
        await v3({ url: server.url, token: alice.token }, 'PUT', '/v3/settings/server-url', { value: 'https://evil.example' }),
        403,
        'PermissionDenied',
      );
    });
  });

  describe('password and self-protection rules', () => {
    it.each([
      ['shorter than 12 characters', 'short-user', 'elevenchars'],
      ['equal to the username', 'long-username-here', 'long-username-here'],
    ])('refuses a password %s with INVALID_INPUT on password', async (_rule, username, password) => {
      const result = await server.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { username, password } });
      expectGraphQLError(result, 'INVALID_INPUT', 'password');
      const rest = await v3(server, 'POST', '/v3/users', { username, password });
      expect(rest.status).toBe(422);
      expect(rest.body.fieldName).toBe('password');
    });

    it('applies the same rules to new passwords, naming newPassword', async () => {
      expectGraphQLError(
        await server.graphql(`mutation($id: ID!) { setUserPassword(id: $id, input: { newPassword: "short" }) { id } }`, { id: bob.id }),
        'INVALID_INPUT',
        'newPassword',
      );
      const same = await asAlice(`mutation($id: ID!, $input: ChangePasswordInput!) { changeUserPassword(id: $id, input: $input) { id } }`, {
        id: alice.id,
        input: { currentPassword: userPassword, newPassword: 'alice' },
      });
      expectGraphQLError(same, 'INVALID_INPUT', 'newPassword');
    });

    it.each([
      ['disable', `mutation($id: ID!) { updateUser(id: $id, input: { enabled: false }) { id } }`],
      ['demote', `mutation($id: ID!) { updateUser(id: $id, input: { globalRole: USER }) { id } }`],
      ['delete', `mutation($id: ID!) { deleteUser(id: $id) { id } }`],
    ])('refuses an admin who tries to %s themselves with INVALID_STATE', async (_what, operation) => {
      expectGraphQLError(await server.graphql(operation, { id: adminId }), 'INVALID_STATE');
      const me = await server.graphql(`{ me { enabled globalRole } }`);
      expect(me.data!.me).toEqual({ enabled: true, globalRole: 'ADMIN' });
    });

    it('answers 422 InvalidState on /v3 for the same', async () => {
      expectNormanError(await v3(server, 'PUT', `/v3/users/${adminId}`, { enabled: false }), 422, 'InvalidState');
      expectNormanError(await v3(server, 'DELETE', `/v3/users/${adminId}`), 422, 'InvalidState');
    });
  });

  describe('changing passwords', () => {
    it('needs the right current password', async () => {
      const wrong = await asAlice(`mutation($id: ID!, $input: ChangePasswordInput!) { changeUserPassword(id: $id, input: $input) { id } }`, {
        id: alice.id,
        input: { currentPassword: 'not my password at all', newPassword: 'a brand new password' },
      });
      expectGraphQLError(wrong, 'INVALID_INPUT', 'currentPassword');
      await expect(login(server.url, 'alice', 'a brand new password')).rejects.toThrow(/401/);
    });

    it('lets a user change their own password and log in with the new one only', async () => {
      const carol = await signUp(server, 'carol');
      const changed = await graphqlAs(
        server.url,
        carol.token,
        `mutation($id: ID!, $input: ChangePasswordInput!) { changeUserPassword(id: $id, input: $input) { id } }`,
        {
          id: carol.id,
          input: { currentPassword: userPassword, newPassword: 'carol has a new password' },
        },
      );
      expect(changed.errors).toBeUndefined();
      expect(await login(server.url, 'carol', 'carol has a new password')).toMatch(/^token-/);
      await expect(login(server.url, 'carol', userPassword)).rejects.toThrow(/401/);
    });

    it('does not let a user change someone else’s password', async () => {
      const result = await asAlice(`mutation($id: ID!, $input: ChangePasswordInput!) { changeUserPassword(id: $id, input: $input) { id } }`, {
        id: bob.id,
        input: { currentPassword: userPassword, newPassword: 'bob gets a new password' },
      });
      expectGraphQLError(result, 'NOT_FOUND');
      expect(await login(server.url, 'bob', userPassword)).toMatch(/^token-/);
    });

    it('lets an admin set a user’s password', async () => {
      const id = await createUser(server, 'erin');
      expect(
        (await server.graphql(`mutation($id: ID!) { setUserPassword(id: $id, input: { newPassword: "erin was given this" }) { id } }`, { id })).errors,
      ).toBeUndefined();
      expect(await login(server.url, 'erin', 'erin was given this')).toMatch(/^token-/);
    });
  });

  describe('account changes take effect at once', () => {
    it('stops a disabled user’s existing keys immediately, and restores them when re-enabled', async () => {
      const frank = await signUp(server, 'frank');
      const key = await createKey(server, frank.token, { name: 'frank-key' });
      expect(await statusWith(server, key.token)).toBe(200);
      expect(await statusWith(server, frank.token)).toBe(200);
      await server.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { enabled: false }) { id } }`, { id: frank.id });
      expect(await statusWith(server, key.token)).toBe(401);
      expect(await statusWith(server, frank.token)).toBe(401);
      await server.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { enabled: true }) { id } }`, { id: frank.id });
      expect(await statusWith(server, key.token)).toBe(200);
    });

    it('applies a role change to the user’s existing keys immediately', async () => {
      const grace = await signUp(server, 'grace');
      const count = async () => (await graphqlAs(server.url, grace.token, `{ users { totalCount } }`)).data!.users.totalCount as number;
      expect(await count()).toBe(1);
      await server.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { globalRole: ADMIN }) { id } }`, { id: grace.id });
      expect(await count()).toBeGreaterThan(1);
      await server.graphql(`mutation($id: ID!) { updateUser(id: $id, input: { globalRole: USER }) { id } }`, { id: grace.id });
      expect(await count()).toBe(1);
    });

    it('stops a deleted user’s keys', async () => {
      const heidi = await signUp(server, 'heidi');
      expect(await statusWith(server, heidi.token)).toBe(200);
      expect((await server.graphql(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: heidi.id })).errors).toBeUndefined();
      expect(await statusWith(server, heidi.token)).toBe(401);
    });
  });
});
