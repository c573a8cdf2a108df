import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestApp, type TestApp } from '../helpers/app.js';
import { signUp, userPassword } from '../auth/helpers.js';
import { v3 } from './helpers.js';

/**
 * Departures from Rancher a black-box tester found: user actions under Rancher's names,
 * query parameters named like Object.prototype's members, filter values outside an
 * enum, unknown actions, and createTypes offered to callers who may not create.
 */
describe('/v3 third pass', () => {
  let server: TestApp;
  let standard: { id: string; token: string };
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    standard = await signUp(server, 'standard');
  });
  afterAll(() => server?.close());

  const as = (token: string) => ({ url: server.url, token });

  describe('user actions, as Rancher’s user schema names them', () => {
    it('lists setpassword on a user and changepassword on the collection', async () => {
      const { body: schema } = await v3(server, 'GET', '/v3/schemas/user');
      expect(Object.keys(schema.resourceActions)).toEqual(['setpassword']);
      expect(schema.resourceActions.setpassword).toEqual({ input: 'setPasswordInput', output: 'user' });
      expect(Object.keys(schema.collectionActions)).toEqual(['changepassword']);
      expect(schema.collectionActions.changepassword).toEqual({ input: 'changePasswordInput', output: 'user' });

      const { body: user } = await v3(server, 'GET', `/v3/users/${standard.id}`);
      expect(user.actions).toEqual({ setpassword: `${server.url}/v3/users/${standard.id}?action=setpassword` });
      const { body: users } = await v3(server, 'GET', '/v3/users');
      expect(users.actions).toEqual({ changepassword: `${server.url}/v3/users?action=changepassword` });
    });

    it('sets a password with ?action=setpassword, and still with the old setPassword', async () => {
      const { id } = await signUp(server, 'resetting');
      for (const [action, password] of [
        ['setpassword', 'password set the Rancher way'],
        ['setPassword', 'password set the older way'],
      ]) {
        const set = await v3(server, 'POST', `/v3/users/${id}?action=${action}`, { newPassword: password });
        expect(set.status, action).toBe(200);
        expect(set.body).toMatchObject({ type: 'user', id });
        expect(await login(server.url, 'resetting', password!)).toMatch(/^token-/);
      }
    });

    it('changes the caller’s own password with the collection action changepassword', async () => {
      const caller = await signUp(server, 'changing');
      const newPassword = 'a password of my own choosing';
      const wrong = await v3(as(caller.token), 'POST', '/v3/users?action=changepassword', { currentPassword: 'not it at all', newPassword });
      expect(wrong.status).toBe(422);
      const changed = await v3(as(caller.token), 'POST', '/v3/users?action=changepassword', { currentPassword: userPassword, newPassword });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ type: 'user', id: caller.id });
      expect(await login(server.url, 'changing', newPassword)).toMatch(/^token-/);
      // The resource action it was before still works, on the caller's own user.
      const again = await v3(as(caller.token), 'POST', `/v3/users/${caller.id}?action=changePassword`, {
        currentPassword: newPassword,
        newPassword: userPassword,
      });
      expect(again.status).toBe(200);
    });

    it('matches action names exactly, as Norman does', async () => {
      const refused = await v3(server, 'POST', `/v3/users/${standard.id}?action=SETPASSWORD`, { newPassword: 'whatever it may be' });
      expect(refused.body).toMatchObject({ status: 422, code: 'InvalidAction' });
    });
  });

  describe('query parameters named like Object.prototype’s members', () => {
    it.each(['__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'constructor_ne', '__proto___eq', 'constructor'])(
      '%s is ignored like any unknown filter',
      async (parameter) => {
        for (const collection of ['/v3/clusters', '/v3/users', '/v3/tokens', '/v3/settings']) {
          const listed = await v3(server, 'GET', `${collection}?${parameter}=x`);
          expect(listed.status, `${collection}?${parameter}`).toBe(200);
          expect(listed.body.type).toBe('collection');
        }
      },
    );

    it('answers 404 for a link or an action named so, never 500', async () => {
      const { body: cluster } = await v3(server, 'POST', '/v3/clusters', { name: 'prototype' });
      for (const name of ['toString', '__proto__', 'constructor']) {
        expect((await v3(server, 'GET', `/v3/clusters/${cluster.id}/${name}`)).status, name).toBe(404);
        expect((await v3(server, 'POST', `/v3/clusters/${cluster.id}?action=${name}`, {})).body, name).toMatchObject({ status: 422, code: 'InvalidAction' });
        expect((await v3(server, 'POST', `/v3/clusters?action=${name}`, {})).body, name).toMatchObject({ status: 422, code: 'InvalidAction' });
      }
    });
  });

  describe('filter values outside an enum', () => {
    it('match nothing, as Norman’s string comparison does, and their ne everything', async () => {
      await v3(server, 'POST', '/v3/clusters', { name: 'enum-filters' });
      const total = (await v3(server, 'GET', '/v3/clusters')).body.pagination.total as number;
      expect(total).toBeGreaterThan(0);
      for (const query of ['state=unavailable', 'driver=RKE2', 'state_in=unavailable', 'state_in=unavailable&state=provisioning']) {
        const listed = await v3(server, 'GET', `/v3/clusters?${query}`);
        expect(listed.status, query).toBe(200);
        expect(listed.body.data, query).toEqual([]);
      }
      for (const query of ['state_ne=unavailable', 'driver_notin=RKE2', 'driver_notin=RKE2,k3s']) {
        const listed = await v3(server, 'GET', `/v3/clusters?${query}`);
        expect(listed.status, query).toBe(200);
        expect(listed.body.pagination.total, query).toBe(total);
      }
      const some = await v3(server, 'GET', '/v3/clusters?state_in=unavailable,provisioning');
      expect(some.body.pagination.total).toBe(total);
    });
  });

  describe('actions the schema does not have', () => {
    it('answer 422 InvalidAction, as Norman’s ValidateAction does', async () => {
      const { body: key } = await v3(server, 'POST', '/v3/tokens', { name: 'acted-on' });
      for (const path of [`/v3/tokens/${key.id}?action=bogus`, '/v3/tokens?action=bogus', '/v3/clusters?action=explode']) {
        const refused = await v3(server, 'POST', path, {});
        expect(refused.status, path).toBe(422);
        expect(refused.body, path).toMatchObject({ type: 'error', code: 'InvalidAction', message: expect.stringMatching(/^Invalid action: /) });
      }
      // A collection action is no action of a resource, and the other way round.
      expect((await v3(server, 'POST', `/v3/tokens/${key.id}?action=logout`, {})).body).toMatchObject({ status: 422, code: 'InvalidAction' });
      expect((await v3(server, 'POST', '/v3/tokens?action=deactivate', {})).body).toMatchObject({ status: 422, code: 'InvalidAction' });
    });
  });

  describe('me, as Rancher’s scripts find themselves', () => {
    it('/v3/users?me=true is the caller alone, whoever else is an admin; me=false and me_ne=true the others', async () => {
      const second = await v3(server, 'POST', '/v3/users', { username: 'second-admin', password: userPassword });
      expect(second.status).toBe(201);
      expect((await v3(server, 'POST', '/v3/globalrolebindings', { userId: second.body.id, globalRoleId: 'admin' })).status).toBe(201);
      const secondToken = await login(server.url, 'second-admin', userPassword);
      const me = await v3(as(secondToken), 'GET', '/v3/users?me=true');
      expect(me.status).toBe(200);
      expect(me.body.data.map((user: { username: string; me: boolean }) => [user.username, user.me])).toEqual([['second-admin', true]]);
      expect(me.body.filters).toMatchObject({ me: [{ modifier: 'eq', value: 'true' }] });
      const others = (await v3(as(secondToken), 'GET', '/v3/users?me=false')).body.data.map((user: { username: string }) => user.username);
      expect(others).toContain('admin');
      expect(others).not.toContain('second-admin');
      expect((await v3(as(secondToken), 'GET', '/v3/users?me_ne=true')).body.data.map((user: { username: string }) => user.username)).toEqual(others);
      // A standard user sees only themselves anyway; me=true is them.
      const mine = await v3(as(standard.token), 'GET', '/v3/users?me=true');
      expect(mine.body.data.map((user: { id: string }) => user.id)).toEqual([standard.id]);
      // Not a sort field: it is about the caller, not the row.
      const schema = await v3(server, 'GET', '/v3/schemas/user');
      expect(schema.body.collectionFilters).toHaveProperty('me');
    });

    it('filters GraphQL lists the same way', async () => {
      const found = await server.graphql('{ users(filter: { me: { eq: true } }) { nodes { username me } } }');
      expect(found).toEqual({ data: { users: { nodes: [{ username: 'admin', me: true }] } } });
      const sortable = await server.graphql('{ __type(name: "UserSortField") { enumValues { name } } }');
      expect(sortable.data!.__type.enumValues.map((value: { name: string }) => value.name)).not.toContain('me');
    });
  });

  describe('createTypes, per caller', () => {
    it('are offered only to a caller who may create', async () => {
      for (const collection of ['users', 'globalrolebindings', 'nodedrivers']) {
        const asStandard = await v3(as(standard.token), 'GET', `/v3/${collection}`);
        expect(asStandard.status, collection).toBe(200);
        expect(asStandard.body.createTypes, collection).toEqual({});
        const asAdmin = await v3(server, 'GET', `/v3/${collection}`);
        expect(Object.values(asAdmin.body.createTypes), collection).toEqual([`${server.url}/v3/${collection}`]);
      }
      // What a standard user may create is still offered to them.
      for (const collection of ['clusters', 'tokens', 'cloudcredentials']) {
        const offered = await v3(as(standard.token), 'GET', `/v3/${collection}`);
        expect(Object.values(offered.body.createTypes), collection).toEqual([`${server.url}/v3/${collection}`]);
      }
    });
  });
});
