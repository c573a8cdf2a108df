import { describe, expect, it } from 'vitest';
import { serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import type { Json } from '../helpers/json.js';

const password = 'hunter2-but-much-longer-and-secret';

describe.each(databaseTargets)('namespaced secrets through GraphQL on $name', (target) => {
  const suite = serverWithPlace(target);

  const create = async (input: Record<string, unknown>) => {
    const response = await fetch(`${suite.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.server.token}` },
      body: JSON.stringify({
        query: `mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id name kind keys namespaceId projectId } }`,
        variables: { input: { projectId: suite.place.projectId, namespaceId: suite.place.namespaceId, ...input } },
      }),
    });
    const raw = await response.text();
    return { raw, ...(JSON.parse(raw) as { data?: Json; errors?: Array<{ extensions?: Record<string, unknown> }> }) };
  };

  it('stores data sealed, answers only its keys, and never shows a value in the response or the row', async () => {
    const result = await create({ name: 'db-credentials', kind: 'kubernetes.io/basic-auth', data: { username: 'app', password } });
    expect(result.errors).toBeUndefined();
    expect(result.data.createNamespacedSecret).toEqual({
      id: `${suite.place.clusterId}:apps:db-credentials`,
      name: 'db-credentials',
      kind: 'kubernetes.io/basic-auth',
      keys: ['password', 'username'],
      namespaceId: suite.place.namespaceId,
      projectId: suite.place.projectId,
    });
    expect(result.raw).not.toContain(password);
    const row = await suite.server.app.database.prisma.namespacedSecret.findUniqueOrThrow({ where: { id: `${suite.place.clusterId}:apps:db-credentials` } });
    expect(JSON.stringify(row)).not.toContain(password);
    expect((row.sealedData as Record<string, string>).password).toMatch(/^v1\./);
  });

  it('has no output field that could carry the data', async () => {
    const introspection = await suite.server.graphql(`{ __type(name: "NamespacedSecret") { fields { name } } }`);
    expect(introspection.data!.__type.fields.map((field: { name: string }) => field.name)).not.toContain('data');
  });

  it('defaults to Opaque and requires the keys of well-known types', async () => {
    expect((await create({ name: 'plain', data: { a: 'b' } })).data.createNamespacedSecret.kind).toBe('Opaque');
    expect((await create({ name: 'tls', kind: 'kubernetes.io/tls', data: { 'tls.crt': 'x' } })).errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'data',
      reason: 'MissingRequired',
    });
    expect((await create({ name: 'registry', kind: 'kubernetes.io/dockerconfigjson', data: {} })).errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'data',
    });
    expect((await create({ name: 'registry', kind: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '{}' } })).errors).toBeUndefined();
  });

  it('validates names, types and keys', async () => {
    expect((await create({ name: 'Not_A_Name', data: {} })).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'name' });
    expect((await create({ name: 'weird', kind: 'no spaces allowed', data: {} })).errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'kind',
    });
    expect((await create({ name: 'badkey', data: { 'a/b': 'x' } })).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'data' });
    expect((await create({ name: 'plain', data: {} })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fieldName: 'name' });
  });

  it('replaces the data on update and keeps the kind', async () => {
    const id = `${suite.place.clusterId}:apps:plain`;
    const updated = await suite.server.graphql(
      `mutation($id: ID!) { updateNamespacedSecret(id: $id, input: { data: { token: "t0ps3cret" }, description: "rotated" }) { keys description kind } }`,
      { id },
    );
    expect(updated.data!.updateNamespacedSecret).toEqual({ keys: ['token'], description: 'rotated', kind: 'Opaque' });
    const row = await suite.server.app.database.prisma.namespacedSecret.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain('t0ps3cret');
  });

  it('lists and filters secrets, also under their project and namespace, and deletes one', async () => {
    const result = await suite.server.graphql(
      `query($p: String!, $projectId: ID!, $namespaceId: ID!) {
        namespacedSecrets(filter: { projectId: { eq: $p }, kind: { prefix: "kubernetes.io/" } }, sort: { field: NAME }) { totalCount edges { node { name } } }
        project(id: $projectId) { namespacedSecrets { totalCount } }
        namespace(id: $namespaceId) { namespacedSecrets { totalCount } }
      }`,
      { p: suite.place.projectId, projectId: suite.place.projectId, namespaceId: suite.place.namespaceId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.namespacedSecrets.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['db-credentials', 'registry']);
    expect(result.data!.project.namespacedSecrets.totalCount).toBe(3);
    expect(result.data!.namespace.namespacedSecrets.totalCount).toBe(3);
    const id = `${suite.place.clusterId}:apps:registry`;
    expect((await suite.server.graphql(`mutation($id: ID!) { deleteNamespacedSecret(id: $id) { id } }`, { id })).data).toEqual({
      deleteNamespacedSecret: { id },
    });
  });
});
