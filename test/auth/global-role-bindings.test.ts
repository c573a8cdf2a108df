import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { signUp } from './helpers.js';

const bindingsOf = `query($userId: String!) { globalRoleBindings(filter: { userId: { eq: $userId } }, sort: { field: GLOBAL_ROLE_ID }) { totalCount edges { node { id globalRoleId canRemove } } } }`;

describe.each(databaseTargets)('global role bindings on $name', (target) => {
  let server: TestApp;
  let adminId: string;

  beforeAll(async () => {
    server = await startTestApp(target);
    adminId = (await server.graphql(`{ me { id } }`)).data!.me.id;
  });
  afterAll(() => server?.close());

  const bindings = async (userId: string) => (await server.graphql(bindingsOf, { userId })).data!.globalRoleBindings;

  it('gives every user `user`, and the first admin `admin` as well', async () => {
    const grace = await signUp(server, 'grace');
    expect((await bindings(grace.id)).edges.map((edge: { node: { globalRoleId: string } }) => edge.node.globalRoleId)).toEqual(['USER']);
    const admin = await bindings(adminId);
    expect(admin.edges.map((edge: { node: { globalRoleId: string; canRemove: boolean } }) => edge.node)).toEqual([
      expect.objectContaining({ globalRoleId: 'ADMIN', canRemove: false }),
      expect.objectContaining({ globalRoleId: 'USER', canRemove: true }),
    ]);
  });

  it('makes a user admin at once when bound, and takes it away at once when removed', async () => {
    const hedy = await signUp(server, 'hedy');
    const asHedy = () => graphqlAs(server.url, hedy.token, `mutation { updateSetting(id: "ui-pl", input: { value: "hedys-${Date.now()}" }) { id } }`);
    expect((await asHedy()).errors?.[0]?.extensions?.code).toBe('PERMISSION_DENIED');

    const bound = await server.graphql(
      `mutation($userId: ID!) { createGlobalRoleBinding(input: { userId: $userId, globalRoleId: ADMIN }) { id userId globalRoleId } }`,
      { userId: hedy.id },
    );
    expect(bound.data!.createGlobalRoleBinding).toMatchObject({ id: expect.stringMatching(/^grb-[a-z0-9]{5}$/), userId: hedy.id, globalRoleId: 'ADMIN' });
    expect((await asHedy()).errors).toBeUndefined();
    expect((await graphqlAs(server.url, hedy.token, `{ me { globalRole } }`)).data!.me.globalRole).toBe('ADMIN');

    const again = await server.graphql(`mutation($userId: ID!) { createGlobalRoleBinding(input: { userId: $userId, globalRoleId: ADMIN }) { id } }`, {
      userId: hedy.id,
    });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fieldName: 'globalRoleId' });

    await server.graphql(`mutation($id: ID!) { deleteGlobalRoleBinding(id: $id) { id } }`, { id: bound.data!.createGlobalRoleBinding.id });
    expect((await asHedy()).errors?.[0]?.extensions?.code).toBe('PERMISSION_DENIED');
  });

  it('shows users their own bindings only, and refuses them the mutations', async () => {
    const ida = await signUp(server, 'ida');
    const own = await graphqlAs(server.url, ida.token, `{ globalRoleBindings { totalCount edges { node { userId } } } }`);
    expect(own.data!.globalRoleBindings).toEqual({ totalCount: 1, edges: [{ node: { userId: ida.id } }] });
    const adminsBinding = (await bindings(adminId)).edges[0].node.id;
    expect(await graphqlAs(server.url, ida.token, `query($id: ID!) { globalRoleBinding(id: $id) { id } }`, { id: adminsBinding })).toEqual({
      data: { globalRoleBinding: null },
    });
    const grant = await graphqlAs(
      server.url,
      ida.token,
      `mutation($userId: ID!) { createGlobalRoleBinding(input: { userId: $userId, globalRoleId: ADMIN }) { id } }`,
      { userId: ida.id },
    );
    expect(grant.errors?.[0]?.extensions?.code).toBe('PERMISSION_DENIED');
  });

  it('refuses removing one’s own admin role, and naming a user who does not exist', async () => {
    const adminsBinding = (await bindings(adminId)).edges[0].node.id;
    const own = await server.graphql(`mutation($id: ID!) { deleteGlobalRoleBinding(id: $id) { id } }`, { id: adminsBinding });
    expect(own.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const nobody = await server.graphql(`mutation { createGlobalRoleBinding(input: { userId: "u-nope0", globalRoleId: USER }) { id } }`);
    expect(nobody.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'userId' });
  });

  it('is a /v3 collection with the Rancher shape', async () => {
    const response = await fetch(`${server.url}/v3/globalrolebindings`, { headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { type: string; data: Array<{ type: string; userId: string; globalRoleId: string }> };
    expect(body.type).toBe('collection');
    expect(body.data).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'globalRoleBinding', userId: adminId, globalRoleId: 'admin' })]));
  });
});
