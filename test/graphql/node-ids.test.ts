import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { candidateTypesOf } from '../../src/schema/resource-ids.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace, nginx } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { makeCertificate, makeSshKey } from '../helpers/test-keys.js';

/**
 * `node(id:)` and `nodes(ids:)` find a row of every type that implements Node from its id
 * alone. Ids are Rancher's, unique per type only, so one shape may name several types
 * (src/schema/resource-ids.ts): a namespace's secret, service and ingress named alike
 * share an id, and only each type's own lookup tells them apart.
 */

/** The per-kind views of workloads: `node(id:)` answers their rows as the Workload they are. */
const workloadViews = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'];

const nodeTypes = Object.values(schema.getTypeMap())
  .filter((type) => isObjectType(type) && type.getInterfaces().some((face) => face.name === 'Node'))
  .map((type) => type.name)
  .filter((name) => !workloadViews.includes(name))
  .sort();

describe.each(databaseTargets)('node ids on $name', (target) => {
  let server: TestApp;
  /** One id of each Node type, made below. */
  const sample = new Map<string, string>();

  const must = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await server.graphql(query, variables);
    if (result.errors) throw new Error(`setup failed: ${JSON.stringify(result.errors)}`);
    return result.data!;
  };
  const created = async (typename: string, input: Record<string, unknown>) => {
    const data = await must(`mutation($input: Create${typename}Input!) { create${typename}(input: $input) { id } }`, { input });
    sample.set(typename, data[`create${typename}`].id as string);
    return sample.get(typename)!;
  };
  const first = async (list: string) => (await must(`{ ${list}(first: 1) { nodes { id } } }`))[list].nodes[0].id as string;

  beforeAll(async () => {
    server = await startTestApp(target, { auditLevel: 1, auditLogPath: path.join(await mkdtemp(path.join(tmpdir(), 'node-ids-')), 'audit.log') });
    const place = await createPlace(server, 'web');
    sample.set('Cluster', place.clusterId).set('Project', place.projectId).set('Namespace', place.namespaceId);
    const inNamespace = { projectId: place.projectId, namespaceId: place.namespaceId };
    const inProject = { projectId: place.projectId };
    // Alike on purpose: a secret, a service and an ingress all named `web` share an id.
    const workloadId = await created('Workload', { ...inNamespace, kind: 'DEPLOYMENT', name: 'web', containers: [nginx] });
    await created('NamespacedSecret', { ...inNamespace, name: 'web', data: { token: 'x' } });
    const serviceId = await created('Service', { ...inNamespace, name: 'web', ports: [{ port: 80 }], targetWorkloadIds: [workloadId] });
    await created('Ingress', { ...inNamespace, name: 'www', defaultBackend: { serviceId, targetPort: 80 } });

    const leaf = makeCertificate('www.example.org', ['DNS:www.example.org']);
    const ssh = makeSshKey();
    const registries = { 'registry.example.org': { username: 'u', password: 'p' } };
    for (const [scope, prefix] of [
      [inProject, ''],
      [inNamespace, 'Namespaced'],
    ] as const) {
      await created(`${prefix}Certificate`, { ...scope, name: 'tls', certs: leaf.certs, key: leaf.key });
      await created(`${prefix}DockerCredential`, { ...scope, name: 'pull', registries });
      await created(`${prefix}BasicAuth`, { ...scope, name: 'basic', username: 'u', password: 'p' });
      await created(`${prefix}SshAuth`, { ...scope, name: 'ssh', privateKey: ssh.privateKey });
    }
    // Service account tokens are read-only: Kubernetes makes them, so the test writes the rows.
    for (const [typename, namespaceId] of [
      ['ServiceAccountToken', null],
      ['NamespacedServiceAccountToken', place.namespaceId],
    ] as const) {
      const id = `${namespaceId ?? place.projectId}:default-token`;
      await server.app.database.prisma.projectSecret.create({
        data: {
          id,
          kind: 'serviceAccountToken',
          name: 'default-token',
          namespaceId,
          projectId: place.projectId,
          projectScopeId: namespaceId ? null : place.projectId,
          publicFields: { accountName: 'default', accountUid: 'uid-1', caCrt: leaf.certs },
          sealedFields: {},
        },
      });
      sample.set(typename, id);
    }

    const user = await created('User', { username: 'nora', password: 'a-long-enough-password' });
    await created('ClusterRoleTemplateBinding', { clusterId: place.clusterId, userId: user, roleTemplateId: 'cluster-member' });
    await created('ProjectRoleTemplateBinding', { projectId: place.projectId, userId: user, roleTemplateId: 'read-only' });
    await created('Token', { name: 'a key' });
    await created('CloudCredential', { name: 'do', digitaloceancredentialConfig: { accessToken: 't' } });
    const templateId = await created('NodeTemplate', { name: 'small', digitaloceanConfig: { region: 'fra1' } });
    await created('NodePool', { clusterId: place.clusterId, hostnamePrefix: 'pool-', nodeTemplateId: templateId });
    await created('ClusterRegistrationToken', { clusterId: place.clusterId, name: 'named-by-its-maker' });
    sample.set('GlobalRoleBinding', await first('globalRoleBindings'));
    sample.set('RoleTemplate', await first('roleTemplates'));
    sample.set('Setting', await first('settings'));
    sample.set('NodeDriver', await first('nodeDrivers'));
    sample.set('AuditEvent', await first('auditEvents'));
  });
  afterAll(() => server?.close());

  it('has a row of every Node type to look up', () => {
    expect([...sample.keys()].sort()).toEqual(nodeTypes);
  });

  it('finds every one of them by id alone, each as its own type, in one answer', async () => {
    const ids = nodeTypes.map((typename) => sample.get(typename)!);
    const { data, errors } = await server.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(errors).toBeUndefined();
    const expected = nodeTypes.map((typename) => ({ __typename: typename, id: sample.get(typename) }));
    // Of the three named `web` in one namespace, node(id:) can only answer the first candidate.
    const shared = sample.get('NamespacedSecret');
    const answered = expected.map((node) => (node.id === shared ? { __typename: 'NamespacedSecret', id: shared } : node));
    expect(data!.nodes).toEqual(answered);
  });

  it('answers every node’s id without a promise: a list hands the executor none per row for it', async () => {
    // Relay's plugin resolves a node's id in an async function; src/schema/loaded-columns.ts
    // answers it synchronously. Each type's id resolver is watched while every sample is read.
    const answers = new Map<string, unknown[]>();
    const restore: Array<() => void> = [];
    for (const typename of [...nodeTypes, ...workloadViews]) {
      const field = (schema.getType(typename) as GraphQLObjectType).getFields().id!;
      const resolve = field.resolve!;
      field.resolve = (...args) => {
        const answer = resolve(...args);
        answers.set(typename, [...(answers.get(typename) ?? []), answer]);
        return answer;
      };
      restore.push(() => {
        field.resolve = resolve;
      });
    }
    let answered: string[];
    try {
      const ids = nodeTypes.map((typename) => sample.get(typename)!);
      const { data, errors } = await server.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } clusters(first: 5) { nodes { id } } }`, { ids });
      expect(errors).toBeUndefined();
      answered = (data!.nodes as Array<{ __typename: string }>).map((node) => node.__typename);
    } finally {
      for (const undo of restore) undo();
    }
    // Every type answered was watched answering (the probe is not bypassed), and none with a promise.
    expect([...answers.keys()].sort()).toEqual([...new Set(answered)].sort());
    const promised = [...answers].filter(([, values]) => values.some((value) => typeof value !== 'string')).map(([typename]) => typename);
    expect(promised).toEqual([]);
  });

  it('answers a shared id with its first candidate, and each type’s own lookup with its own row', async () => {
    const id = sample.get('Service')!;
    expect(
      candidateTypesOf(id)
        .map((candidate) => candidate.typename)
        .slice(0, 3),
    ).toEqual(['NamespacedSecret', 'Service', 'Ingress']);
    const { data } = await server.graphql(`query($id: ID!) { node(id: $id) { __typename } service(id: $id) { __typename name } }`, { id });
    expect(data).toEqual({ node: { __typename: 'NamespacedSecret' }, service: { __typename: 'Service', name: 'web' } });
  });

  it('answers a later candidate when the first has no such row', async () => {
    const ingressId = sample.get('Ingress')!;
    const { data, errors } = await server.graphql(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: ingressId });
    expect(errors).toBeUndefined();
    expect(data!.node).toEqual({ __typename: 'Ingress', id: ingressId });
  });

  it('types of known shape only: every Node type is some shape’s candidate', () => {
    const named = new Set(nodeTypes.flatMap((typename) => candidateTypesOf(sample.get(typename) ?? '').map((candidate) => candidate.typename)));
    expect(nodeTypes.filter((typename) => !named.has(typename))).toEqual([]);
    expect(getNamedType(schema.getQueryType()!.getFields().node!.type).name).toBe('Node');
  });
});
