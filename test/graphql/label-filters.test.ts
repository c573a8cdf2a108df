import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * Label filters (`filter: { labels: … }`, src/schema/list-options.ts): Kubernetes' label
 * selector requirements as Prisma JSON path conditions, run in SQL on both databases and
 * within what the caller may see. `ne` and `notin` also match objects without the key,
 * as Kubernetes' `!=` and `notin` do.
 */
describe.each(databaseTargets)('label filters on $name', (target) => {
  let server: TestApp;
  const clusters: Record<string, Record<string, string>> = {
    'lbl-prod-amd': { env: 'prod', 'kubernetes.io/arch': 'amd64', tier: 'web' },
    'lbl-prod-arm': { env: 'prod', 'kubernetes.io/arch': 'arm64' },
    'lbl-dev': { env: 'dev', tier: 'db' },
    'lbl-blank-env': { env: '' },
    'lbl-none': {},
  };

  beforeAll(async () => {
    server = await startTestApp(target);
    for (const [name, labels] of Object.entries(clusters)) {
      const created = await server.graphql(`mutation($name: String!, $labels: StringMap) { createCluster(input: { name: $name, labels: $labels }) { id } }`, {
        name,
        labels,
      });
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(() => server?.close());

  const query = `query($labels: LabelFilter) {
    clusters(filter: { name: { prefix: "lbl-" }, labels: $labels }, sort: { field: NAME }) { totalCount nodes { name } }
  }`;
  const names = async (labels: Record<string, unknown>) => {
    const result = await server.graphql(query, { labels });
    expect(result.errors, JSON.stringify(labels)).toBeUndefined();
    const list = result.data!.clusters as { totalCount: number; nodes: Array<{ name: string }> };
    const found = list.nodes.map((node) => node.name);
    // The count is of the same filtered list.
    expect(list.totalCount).toBe(found.length);
    return found;
  };

  it('tests for a key with has (key) and hasNot (!key)', async () => {
    expect(await names({ has: ['env'] })).toEqual(['lbl-blank-env', 'lbl-dev', 'lbl-prod-amd', 'lbl-prod-arm']);
    expect(await names({ has: ['env', 'tier'] })).toEqual(['lbl-dev', 'lbl-prod-amd']);
    expect(await names({ hasNot: ['env'] })).toEqual(['lbl-none']);
    expect(await names({ hasNot: ['tier'] })).toEqual(['lbl-blank-env', 'lbl-none', 'lbl-prod-arm']);
  });

  it('matches values exactly with eq (key=value), every key given', async () => {
    expect(await names({ eq: { env: 'prod' } })).toEqual(['lbl-prod-amd', 'lbl-prod-arm']);
    expect(await names({ eq: { env: 'prod', tier: 'web' } })).toEqual(['lbl-prod-amd']);
    // Neither a prefix nor a pattern.
    expect(await names({ eq: { env: 'pro' } })).toEqual([]);
    // The empty value is a value: a label that holds it, not a missing key.
    expect(await names({ eq: { env: '' } })).toEqual(['lbl-blank-env']);
  });

  it('matches objects without the key with ne (key!=value), as Kubernetes does', async () => {
    expect(await names({ ne: { env: 'prod' } })).toEqual(['lbl-blank-env', 'lbl-dev', 'lbl-none']);
    expect(await names({ ne: { tier: 'web', env: 'dev' } })).toEqual(['lbl-blank-env', 'lbl-none', 'lbl-prod-arm']);
  });

  it('takes sets of values with in and notin, notin matching objects without the key', async () => {
    expect(await names({ in: [{ key: 'tier', values: ['web', 'db'] }] })).toEqual(['lbl-dev', 'lbl-prod-amd']);
    expect(await names({ in: [{ key: 'env', values: ['dev'] }] })).toEqual(['lbl-dev']);
    expect(await names({ in: [{ key: 'env', values: [] }] })).toEqual([]);
    expect(await names({ notin: [{ key: 'tier', values: ['web'] }] })).toEqual(['lbl-blank-env', 'lbl-dev', 'lbl-none', 'lbl-prod-arm']);
    expect(await names({ notin: [{ key: 'env', values: ['prod', 'dev'] }] })).toEqual(['lbl-blank-env', 'lbl-none']);
    expect(await names({ notin: [{ key: 'env', values: [] }] })).toEqual(Object.keys(clusters).sort());
  });

  it('reads keys with a prefix, slashes and dots as one key', async () => {
    expect(await names({ eq: { 'kubernetes.io/arch': 'arm64' } })).toEqual(['lbl-prod-arm']);
    expect(await names({ has: ['kubernetes.io/arch'] })).toEqual(['lbl-prod-amd', 'lbl-prod-arm']);
    expect(await names({ notin: [{ key: 'kubernetes.io/arch', values: ['amd64'] }] })).toEqual(['lbl-blank-env', 'lbl-dev', 'lbl-none', 'lbl-prod-arm']);
    // `kubernetes.io` alone is another key, which nobody has.
    expect(await names({ has: ['kubernetes.io'] })).toEqual([]);
  });

  it('ANDs every condition, with the other fields’ too', async () => {
    expect(await names({ has: ['tier'], ne: { env: 'dev' } })).toEqual(['lbl-prod-amd']);
    expect(await names({ eq: { env: 'prod' }, notin: [{ key: 'kubernetes.io/arch', values: ['amd64'] }], hasNot: ['tier'] })).toEqual(['lbl-prod-arm']);
    const named = await server.graphql(`{ clusters(filter: { name: { eq: "lbl-dev" }, labels: { eq: { env: "prod" } } }) { totalCount } }`);
    expect(named.data).toEqual({ clusters: { totalCount: 0 } });
  });

  it('refuses keys and values no label can have with INVALID_INPUT naming where', async () => {
    const refused = async (labels: Record<string, unknown>) => {
      const result = await server.graphql(query, { labels });
      expect(result.data ?? null, JSON.stringify(labels)).toBeNull();
      return result.errors!.map((error) => ({ code: error.extensions?.code, fieldName: error.extensions?.fieldName, message: error.message }));
    };
    expect(await refused({ has: ['bad key!'] })).toEqual([
      expect.objectContaining({
        code: 'INVALID_INPUT',
        fieldName: 'filter',
        message: expect.stringMatching(/^filter\.labels\.has\.0: "bad key!": name part must/),
      }),
    ]);
    // A prefix is a lowercase DNS subdomain; a name at most 63 characters; one slash.
    expect(await refused({ eq: { 'Kubernetes.IO/arch': 'amd64' } })).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('prefix part must be a lowercase DNS subdomain') }),
    ]);
    expect(await refused({ hasNot: ['x'.repeat(64)] })).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('name part must be no more than 63 characters') }),
    ]);
    expect(await refused({ in: [{ key: 'a/b/c', values: ['x'] }] })).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/^filter\.labels\.in\.0\.key: "a\/b\/c": name part must/) }),
    ]);
    expect(await refused({ ne: { env: 'not ok!' } })).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('"not ok!": must be empty or consist of alphanumeric characters') }),
    ]);
    expect(await refused({ notin: [{ key: 'env', values: ['ok', 'v'.repeat(64)] }] })).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/^filter\.labels\.notin\.0\.values\.1: .*no more than 63 characters/) }),
    ]);
    // Every mistake at once, each with its own error.
    expect(await refused({ has: ['-a'], hasNot: ['b-'] })).toHaveLength(2);
  });

  it('filters other labelled types the same way', async () => {
    const place = await createPlace(server);
    const labelled = await server.graphql(
      `mutation($projectId: ID!, $labels: StringMap) { createNamespace(input: { projectId: $projectId, name: "labelled", labels: $labels }) { id } }`,
      { projectId: place.projectId, labels: { 'team.example.com/owner': 'ops' } },
    );
    expect(labelled.errors).toBeUndefined();
    const namespaces = async (labels: Record<string, unknown>) => {
      const result = await server.graphql(
        `query($clusterId: String!, $labels: LabelFilter) { namespaces(filter: { clusterId: { eq: $clusterId }, labels: $labels }) { nodes { name } } }`,
        {
          clusterId: place.clusterId,
          labels,
        },
      );
      expect(result.errors).toBeUndefined();
      return (result.data!.namespaces.nodes as Array<{ name: string }>).map((node) => node.name).sort();
    };
    expect(await namespaces({ eq: { 'team.example.com/owner': 'ops' } })).toEqual(['labelled']);
    expect(await namespaces({ ne: { 'team.example.com/owner': 'ops' } })).toEqual(['apps']);
  });

  it('sorts by no label map, and /v3 offers no label filter (Norman has none)', async () => {
    const sortFields = await server.graphql(`{ __type(name: "ClusterSortField") { enumValues { name } } }`);
    expect((sortFields.data!.__type.enumValues as Array<{ name: string }>).map((value) => value.name)).not.toContain('labels');
    const { status, body } = await v3(server, 'GET', '/v3/schemas/cluster');
    expect(status).toBe(200);
    expect(Object.keys(body.collectionFilters)).not.toContain('labels');
    expect(Object.keys(body.collectionFilters)).toContain('name');
  });

  it('keeps a restricted user’s filtered list to what they may see', async () => {
    const created = await server.graphql(`mutation { createUser(input: { username: "lbl-user", password: "a-long-password-1" }) { id } }`);
    expect(created.errors).toBeUndefined();
    const token = await login(server.url, 'lbl-user', 'a-long-password-1');
    const asUser = (text: string, variables?: Record<string, unknown>) => graphqlAs(server.url, token, text, variables);
    const own = await asUser(`mutation { createCluster(input: { name: "lbl-users-own", labels: { env: "prod" } }) { id } }`);
    expect(own.errors).toBeUndefined();

    const listed = await asUser(`{ clusters(filter: { labels: { eq: { env: "prod" } } }) { totalCount nodes { name } } }`);
    expect(listed.data).toEqual({ clusters: { totalCount: 1, nodes: [{ name: 'lbl-users-own' }] } });
    // Negations too: the admin's unlabelled clusters stay out of sight.
    const negated = await asUser(
      `{ clusters(filter: { labels: { ne: { env: "dev" }, notin: [{ key: "tier", values: ["web"] }] } }) { totalCount nodes { name } } }`,
    );
    expect(negated.data).toEqual({ clusters: { totalCount: 1, nodes: [{ name: 'lbl-users-own' }] } });
    const admin = await server.graphql(`{ clusters(filter: { labels: { eq: { env: "prod" } } }) { totalCount } }`);
    expect(admin.data).toEqual({ clusters: { totalCount: 3 } });
  });
});
