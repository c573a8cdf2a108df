import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/helpers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { Json } from '../helpers/json.js';
import { databaseTargets } from '../helpers/targets.js';

/**
 * Kubernetes metadata (src/schema/kubernetes-metadata.ts) on the Rancher types that had
 * none: written on create and update (a map given replaces the kept one, one left out
 * stays), read back, listed by label in SQL, and held to Kubernetes' rules as a
 * cluster's labels are.
 */
describe.each(databaseTargets)('labels and annotations through GraphQL on $name', (target) => {
  let server: TestApp;
  let clusterId: string;
  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = await server.graphql(`mutation { createCluster(input: { name: "metadata" }) { id } }`);
    clusterId = cluster.data!.createCluster.id as string;
  });
  afterAll(() => server?.close());

  const labels = { 'app.kubernetes.io/managed-by': 'terraform', tier: 'gold' };
  const annotations = { 'example.com/note': 'any text: kept as written' };

  /** A type with a create and an update, and the smallest create of it. */
  const writable: Array<{ type: string; list: string; input: () => Record<string, Json> }> = [
    { type: 'Project', list: 'projects', input: () => ({ clusterId, name: 'Labelled' }) },
    { type: 'User', list: 'users', input: () => ({ username: 'labelled', password: 'a password long enough' }) },
    { type: 'Token', list: 'tokens', input: () => ({ description: 'an API key with labels' }) },
    { type: 'CloudCredential', list: 'cloudCredentials', input: () => ({ name: 'do', digitaloceancredentialConfig: { accessToken: 'labelled' } }) },
    { type: 'NodeDriver', list: 'nodeDrivers', input: () => ({ url: 'https://example.com/docker-machine-driver-labelled' }) },
  ];

  describe.each(writable)('$type', ({ type, list, input }) => {
    const lookup = type[0]!.toLowerCase() + type.slice(1);
    let id: string;

    it('stores them on create and shows them', async () => {
      const created = await server.graphql(`mutation($input: Create${type}Input!) { create${type}(input: $input) { id labels annotations } }`, {
        input: { ...input(), labels, annotations },
      });
      expect(created.errors).toBeUndefined();
      expect(created.data![`create${type}`]).toMatchObject({ labels, annotations });
      id = created.data![`create${type}`].id as string;
      const read = await server.graphql(`query($id: ID!) { ${lookup}(id: $id) { labels annotations } }`, { id });
      expect(read.data![lookup]).toEqual({ labels, annotations });
    });

    it('replaces the kept labels with those an update gives, and leaves the annotations it does not give', async () => {
      const update = (changes: Record<string, Json>) =>
        server.graphql(`mutation($id: ID!, $input: Update${type}Input!) { update${type}(id: $id, input: $input) { labels annotations } }`, {
          id,
          input: changes,
        });
      const replaced = await update({ labels: { tier: 'silver' } });
      expect(replaced.errors).toBeUndefined();
      expect(replaced.data![`update${type}`]).toEqual({ labels: { tier: 'silver' }, annotations });
      const emptied = await update({ annotations: {} });
      expect(emptied.data![`update${type}`]).toEqual({ labels: { tier: 'silver' }, annotations: {} });
    });

    it('lists it by label', async () => {
      const ids = async (filter: Record<string, Json>) => {
        const listed = await server.graphql(`query($labels: LabelFilter) { ${list}(filter: { labels: $labels }) { totalCount nodes { id } } }`, {
          labels: filter,
        });
        expect(listed.errors).toBeUndefined();
        return (listed.data![list] as { nodes: Array<{ id: string }> }).nodes.map((node) => node.id);
      };
      expect(await ids({ eq: { tier: 'silver' } })).toEqual([id]);
      expect(await ids({ eq: { tier: 'gold' } })).toEqual([]);
      expect(await ids({ hasNot: ['tier'] })).not.toContain(id);
    });
  });

  it('gives a setting labels and annotations with its value, and lists settings by label', async () => {
    const updated = await server.graphql(
      `mutation { updateSetting(id: "ui-brand", input: { value: "x", labels: { b: "2" }, annotations: { a: "1" } }) { value labels annotations } }`,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateSetting).toEqual({ value: 'x', labels: { b: '2' }, annotations: { a: '1' } });
    const listed = await server.graphql(`{ settings(filter: { labels: { eq: { b: "2" } } }) { nodes { name } } }`);
    expect(listed.data!.settings).toEqual({ nodes: [{ name: 'ui-brand' }] });
  });

  it('gives role bindings theirs on create, and lists them by label; role templates have none', async () => {
    const userId = await createUser(server, 'bound');
    const bound = await server.graphql(
      `mutation($clusterId: ID!, $userId: ID!) {
        createClusterRoleTemplateBinding(input: { clusterId: $clusterId, userId: $userId, roleTemplateId: "cluster-member", labels: { team: "ops" } }) { id labels annotations }
        createGlobalRoleBinding(input: { userId: $userId, globalRoleId: ADMIN, annotations: { why: "on call" } }) { labels annotations }
      }`,
      { clusterId, userId },
    );
    expect(bound.errors).toBeUndefined();
    expect(bound.data!.createClusterRoleTemplateBinding).toMatchObject({ labels: { team: 'ops' }, annotations: {} });
    expect(bound.data!.createGlobalRoleBinding).toEqual({ labels: {}, annotations: { why: 'on call' } });
    const listed = await server.graphql(`{ clusterRoleTemplateBindings(filter: { labels: { has: ["team"] } }) { nodes { id } } }`);
    expect(listed.data!.clusterRoleTemplateBindings).toEqual({ nodes: [{ id: bound.data!.createClusterRoleTemplateBinding.id }] });
    // Their user and role are fixed; their metadata changes in place, by whoever manages the members.
    const bindingId = bound.data!.createClusterRoleTemplateBinding.id as string;
    const relabel = `mutation($id: ID!) { updateClusterRoleTemplateBinding(id: $id, input: { labels: { team: "dev" } }) { labels annotations roleTemplateId } }`;
    const relabelled = await server.graphql(relabel, { id: bindingId });
    expect(relabelled.errors).toBeUndefined();
    expect(relabelled.data!.updateClusterRoleTemplateBinding).toEqual({ labels: { team: 'dev' }, annotations: {}, roleTemplateId: 'cluster-member' });
    const member = await server.graphql(`{ clusterRoleTemplateBindings(filter: { labels: { has: ["team"] } }) { nodes { canUpdate } } }`);
    expect(member.data!.clusterRoleTemplateBindings.nodes).toEqual([{ canUpdate: true }]);
    const templates = await server.graphql(
      `{ roleTemplates(filter: { labels: { has: ["team"] } }) { totalCount } all: roleTemplates { nodes { labels annotations } } }`,
    );
    expect(templates.data!.roleTemplates).toEqual({ totalCount: 0 });
    expect(new Set((templates.data!.all as { nodes: Json[] }).nodes.map((node) => JSON.stringify(node)))).toEqual(new Set(['{"labels":{},"annotations":{}}']));
  });

  it('lets an admin relabel their own admin binding, which they may not remove', async () => {
    const me = await server.graphql(`{ me { id } }`);
    const own = await server.graphql(
      `query($userId: String!) { globalRoleBindings(filter: { userId: { eq: $userId }, globalRoleId: { eq: "admin" } }) { nodes { id } } }`,
      {
        userId: me.data!.me.id,
      },
    );
    const id = own.data!.globalRoleBindings.nodes[0].id as string;
    const relabelled = await server.graphql(
      `mutation($id: ID!) { updateGlobalRoleBinding(id: $id, input: { labels: { owner: "me" } }) { labels globalRoleId canUpdate canRemove } }`,
      { id },
    );
    expect(relabelled.errors).toBeUndefined();
    expect(relabelled.data!.updateGlobalRoleBinding).toEqual({ labels: { owner: 'me' }, globalRoleId: 'ADMIN', canUpdate: true, canRemove: false });
    const removed = await server.graphql(`mutation($id: ID!) { deleteGlobalRoleBinding(id: $id) { id } }`, { id });
    expect(removed.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
  });

  it('gives a login session none', async () => {
    const sessionId = server.token.slice(0, server.token.indexOf(':'));
    const session = await server.graphql(`query($id: ID!) { token(id: $id) { isDerived labels annotations } }`, { id: sessionId });
    expect(session.data!.token).toEqual({ isDerived: false, labels: {}, annotations: {} });
  });

  it('refuses a key or value no Kubernetes label can have with the error a cluster’s labels get', async () => {
    const bad = { 'bad key!': 'x' };
    const cluster = await server.graphql(`mutation($labels: StringMap) { createCluster(input: { name: "bad-labels", labels: $labels }) { id } }`, {
      labels: bad,
    });
    const expected = cluster.errors?.[0];
    expect(expected?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'labels' });
    for (const mutation of [
      `createProject(input: { clusterId: "${clusterId}", name: "Bad", labels: $labels }) { id }`,
      `createToken(input: { labels: $labels }) { id }`,
      `updateSetting(id: "ui-brand", input: { value: "y", labels: $labels }) { value }`,
      `createClusterRoleTemplateBinding(input: { clusterId: "${clusterId}", userId: "u-nobody", roleTemplateId: "cluster-member", labels: $labels }) { id }`,
    ]) {
      const refused = await server.graphql(`mutation($labels: StringMap) { ${mutation} }`, { labels: bad });
      expect(refused.errors?.[0], mutation).toMatchObject({ message: expected!.message, extensions: expected!.extensions });
    }
    const annotation = await server.graphql(`mutation($annotations: StringMap) { updateUser(id: "u-nobody", input: { annotations: $annotations }) { id } }`, {
      annotations: { 'no good!': 'z' },
    });
    expect(annotation.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'annotations' });
  });
});
