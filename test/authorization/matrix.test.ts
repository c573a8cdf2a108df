import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GraphQLResponse } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { makeCertificate, makeSshKey } from '../helpers/test-keys.js';
import { actors, buildWorld, type Actor, type Estate, type World } from './world.js';

/**
 * The authorization matrix: every resource type × every kind of caller × every
 * operation, each cell an exact expected answer. `ok` succeeds; NF is NOT_FOUND, or
 * null from a lookup (the caller may not even know it exists), PD is PERMISSION_DENIED (they may see
 * it, not change it), II an input naming something invisible; in lists, L means
 * listed and counted, A absent and not counted. A cell that leaks fails.
 */
type Outcome = 'ok' | 'NF' | 'PD' | 'II' | 'L' | 'A';
const codes: Record<string, Outcome> = { NOT_FOUND: 'NF', PERMISSION_DENIED: 'PD', INVALID_INPUT: 'II' };

interface Cell {
  resource: string;
  operation: string;
  /** Outcomes for admin, owner, member, read-only, outsider, scoped key, in that order. */
  expected: string;
  run(world: World, actor: Actor): Promise<Outcome>;
}

function outcomeOf(result: GraphQLResponse<unknown>): Outcome {
  // A lookup answers null, without an error, for what is missing or invisible: NF too.
  if (!result.errors) return Object.values(result.data ?? {}).includes(null) ? 'NF' : 'ok';
  const code = String(result.errors[0]?.extensions?.code);
  const outcome = codes[code];
  if (!outcome) throw new Error(`unexpected error ${JSON.stringify(result.errors)}`);
  return outcome;
}

/** A single-row operation: its outcome. */
const op =
  (query: string, variables: (world: World, actor: Actor) => Promise<Record<string, unknown>> | Record<string, unknown>) =>
  async (world: World, actor: Actor): Promise<Outcome> =>
    outcomeOf(await world.as(actor, query, await variables(world, actor)));

/** A list filtered to one id: listed and counted, or absent and not counted. */
const listed =
  (field: string, filterType: string, id: (world: World) => string) =>
  async (world: World, actor: Actor): Promise<Outcome> => {
    const result = await world.as(actor, `query($filter: ${filterType}) { ${field}(filter: $filter) { totalCount edges { node { id } } } }`, {
      filter: { id: { eq: id(world) } },
    });
    if (result.errors) return outcomeOf(result);
    const connection = result.data![field] as { totalCount: number; edges: unknown[] };
    if (connection.totalCount !== connection.edges.length) throw new Error(`${field}: totalCount ${connection.totalCount} for ${connection.edges.length} rows`);
    return connection.edges.length === 1 ? 'L' : 'A';
  };

/** For cells that destroy or bind: each caller acts on an estate of its own. */
const fresh = async (world: World, pick: (estate: Estate) => Record<string, unknown>) => pick(await world.newEstate());

/** A key of the read-only user's made for one cell, as deactivating twice is refused. */
const newKeyOfReadOnly = async (world: World) => {
  const created = await world.as('readOnly', `mutation { createToken(input: { name: "for one cell" }) { id } }`);
  return { id: created.data!.createToken.id as string };
};

/** The id of a user's `user` global role binding, as the admin sees it. */
const userBindingOf = async (world: World, userId: string) => {
  const result = await world.as(
    'admin',
    `query($userId: String!) { globalRoleBindings(filter: { userId: { eq: $userId }, globalRoleId: { eq: "user" } }) { edges { node { id } } } }`,
    { userId },
  );
  return result.data!.globalRoleBindings.edges[0].node.id as string;
};
const listedBinding = async (world: World, actor: Actor) => listed('globalRoleBindings', 'GlobalRoleBindingFilter', () => bindingId!)(world, actor);
let bindingId: string | undefined;
const newUserId = async (world: World) => {
  const created = await world.as(
    'admin',
    `mutation($username: String!) { createUser(input: { username: $username, password: "another-long-password" }) { id } }`,
    { username: unique('bound') },
  );
  return created.data!.createUser.id as string;
};

let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

/**
 * The typed project secrets (issue 13.4): each kind, project-wide and namespaced, shares
 * its project's or namespace's rule, so every type has the namespaced secret's row.
 * Secrets are made in the shared estate by the owner; service account tokens, which
 * the API never makes, are written to the database.
 */
const testCertificate = makeCertificate('matrix.example.com', ['DNS:matrix.example.com']);
const secretKinds: Array<{ typeName: string; fields?: Record<string, unknown>; change?: Record<string, unknown> }> = [
  { typeName: 'Certificate', fields: { certs: testCertificate.certs, key: testCertificate.key }, change: { description: 'changed' } },
  {
    typeName: 'DockerCredential',
    fields: { registries: { 'index.docker.io': { username: 'u', password: 'p' } } },
    change: { registries: { 'quay.io': { username: 'u', password: 'p' } } },
  },
  { typeName: 'BasicAuth', fields: { username: 'u', password: 'p' }, change: { password: 'rotated' } },
  { typeName: 'SshAuth', fields: { privateKey: makeSshKey().privateKey }, change: { description: 'changed' } },
  { typeName: 'ServiceAccountToken' },
];
const secretTypes = secretKinds.flatMap((kind) =>
  [false, true].map((namespaced) => {
    const typeName = namespaced ? `Namespaced${kind.typeName}` : kind.typeName;
    return { ...kind, typeName, field: typeName[0]!.toLowerCase() + typeName.slice(1), namespaced };
  }),
);
type SecretType = (typeof secretTypes)[number];

const newSecret = async (world: World, type: SecretType): Promise<string> => {
  const { projectId, namespaceId, clusterId } = world.estate;
  const name = unique('secret');
  if (!type.fields) {
    const id = type.namespaced ? `${namespaceId}:${name}` : `${projectId}:${name}`;
    await world.server.app.database.prisma.projectSecret.create({
      data: { id, kind: 'serviceAccountToken', name, projectId, ...(type.namespaced ? { namespaceId } : { projectScopeId: projectId }) },
    });
    return id;
  }
  const input = { projectId, name, ...(type.namespaced ? { namespaceId } : {}), ...type.fields };
  const result = await world.as('owner', `mutation($input: Create${type.typeName}Input!) { create${type.typeName}(input: $input) { id } }`, { input });
  if (result.errors) throw new Error(`setup of ${type.typeName} in ${clusterId} failed: ${JSON.stringify(result.errors)}`);
  return result.data![`create${type.typeName}`].id as string;
};
/** One of each kind of thing in each world's shared estate, made on first use. */
const shared = new WeakMap<World, Map<string, Promise<string>>>();
const once = (world: World, key: string, make: () => Promise<string>) => {
  if (!shared.has(world)) shared.set(world, new Map());
  const made = shared.get(world)!;
  if (!made.has(key)) made.set(key, make());
  return made.get(key)!;
};
const sharedSecret = (world: World, type: SecretType) => once(world, type.typeName, () => newSecret(world, type));

/**
 * The rows of a type kept in a project's namespace (services, ingresses): read, list,
 * create in the estate's namespace, update and delete, each with the workload's answers.
 */
function inNamespaceCells(
  resource: string,
  typeName: string,
  id: (estate: Estate) => string,
  inputs: { create: (world: World) => Record<string, unknown>; update: Record<string, unknown>; listName?: string },
): Cell[] {
  const listName = inputs.listName ?? `${resource}s`;
  return [
    { resource, operation: 'read', expected: 'ok ok ok ok NF NF', run: op(`query($id: ID!) { ${resource}(id: $id) { id } }`, (w) => ({ id: id(w.estate) })) },
    { resource, operation: 'list', expected: 'L L L L A A', run: listed(listName, `${typeName}Filter`, (w) => id(w.estate)) },
    {
      resource,
      operation: 'create',
      expected: 'ok ok ok PD II II',
      run: op(`mutation($input: Create${typeName}Input!) { create${typeName}(input: $input) { id } }`, (w) => ({
        input: { projectId: w.estate.projectId, namespaceId: w.estate.namespaceId, ...inputs.create(w) },
      })),
    },
    {
      resource,
      operation: 'update',
      expected: 'ok ok ok PD NF NF',
      run: op(`mutation($id: ID!, $input: Update${typeName}Input!) { update${typeName}(id: $id, input: $input) { id } }`, (w) => ({
        id: id(w.estate),
        input: inputs.update,
      })),
    },
    {
      resource,
      operation: 'delete',
      expected: 'ok ok ok PD NF NF',
      run: op(`mutation($id: ID!) { delete${typeName}(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: id(e) }))),
    },
  ];
}

/** A node template of the owner’s (of a driver no cell deactivates), and a node pool from it in the estate’s cluster (issue 13.5). */
const newTemplate = async (world: World): Promise<string> => {
  const result = await world.as(
    'owner',
    `mutation($name: String!) { createNodeTemplate(input: { name: $name, amazonec2Config: { region: "eu-west-1" } }) { id } }`,
    {
      name: unique('template'),
    },
  );
  if (result.errors) throw new Error(`setup of a node template failed: ${JSON.stringify(result.errors)}`);
  return result.data!.createNodeTemplate.id as string;
};
const newPool = async (world: World): Promise<string> => {
  const input = { clusterId: world.estate.clusterId, hostnamePrefix: unique('pool'), nodeTemplateId: await sharedTemplate(world), quantity: 1, etcd: true };
  const result = await world.as('owner', `mutation($input: CreateNodePoolInput!) { createNodePool(input: $input) { id } }`, { input });
  if (result.errors) throw new Error(`setup of a node pool failed: ${JSON.stringify(result.errors)}`);
  return result.data!.createNodePool.id as string;
};
const newRegistrationToken = async (world: World): Promise<string> => {
  const input = { clusterId: world.estate.clusterId };
  const result = await world.as('owner', `mutation($input: CreateClusterRegistrationTokenInput!) { createClusterRegistrationToken(input: $input) { id } }`, {
    input,
  });
  if (result.errors) throw new Error(`setup of a registration token failed: ${JSON.stringify(result.errors)}`);
  return result.data!.createClusterRegistrationToken.id as string;
};
const sharedTemplate = (world: World) => once(world, 'nodeTemplate', () => newTemplate(world));
const sharedPool = (world: World) => once(world, 'nodePool', () => newPool(world));

const secretCells = (type: SecretType): Cell[] => {
  const resource = type.field;
  const writes: Cell[] = type.fields
    ? [
        {
          resource,
          operation: 'create',
          expected: 'ok ok ok PD II II',
          run: op(`mutation($input: Create${type.typeName}Input!) { create${type.typeName}(input: $input) { id } }`, (w) => ({
            input: { projectId: w.estate.projectId, name: unique('secret'), ...(type.namespaced ? { namespaceId: w.estate.namespaceId } : {}), ...type.fields },
          })),
        },
        {
          resource,
          operation: 'update',
          expected: 'ok ok ok PD NF NF',
          run: op(`mutation($id: ID!, $input: Update${type.typeName}Input!) { update${type.typeName}(id: $id, input: $input) { id } }`, async (w) => ({
            id: await sharedSecret(w, type),
            input: type.change,
          })),
        },
      ]
    : [];
  return [
    {
      resource,
      operation: 'read',
      expected: 'ok ok ok ok NF NF',
      run: op(`query($id: ID!) { ${resource}(id: $id) { id } }`, async (w) => ({ id: await sharedSecret(w, type) })),
    },
    {
      resource,
      operation: 'list',
      expected: 'L L L L A A',
      run: async (w, actor) => {
        const id = await sharedSecret(w, type);
        return listed(`${resource}s`, `${type.typeName}Filter`, () => id)(w, actor);
      },
    },
    ...writes,
    {
      resource,
      operation: 'delete',
      expected: 'ok ok ok PD NF NF',
      run: op(`mutation($id: ID!) { delete${type.typeName}(id: $id) { id } }`, async (w) => ({ id: await newSecret(w, type) })),
    },
  ];
};

const cells: Cell[] = [
  // Clusters
  {
    resource: 'cluster',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { cluster(id: $id) { id } }`, (w) => ({ id: w.estate.clusterId })),
  },
  { resource: 'cluster', operation: 'list', expected: 'L L L L A A', run: listed('clusters', 'ClusterFilter', (w) => w.estate.clusterId) },
  {
    resource: 'cluster',
    operation: 'create',
    expected: 'ok ok ok ok ok PD',
    run: op(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, () => ({ name: unique('made') })),
  },
  {
    resource: 'cluster',
    operation: 'update',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { updateCluster(id: $id, input: { description: "changed" }) { id } }`, (w) => ({ id: w.estate.clusterId })),
  },
  {
    resource: 'cluster',
    operation: 'delete',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.clusterId }))),
  },
  {
    resource: 'cluster in the key’s scope',
    operation: 'read',
    expected: 'ok ok NF NF NF ok',
    run: op(`query($id: ID!) { cluster(id: $id) { id } }`, (w) => ({ id: w.scopeClusterId })),
  },

  // Projects
  {
    resource: 'project',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { project(id: $id) { id } }`, (w) => ({ id: w.estate.projectId })),
  },
  { resource: 'project', operation: 'list', expected: 'L L L L A A', run: listed('projects', 'ProjectFilter', (w) => w.estate.projectId) },
  {
    resource: 'project',
    operation: 'create',
    expected: 'ok ok ok PD II II',
    run: op(`mutation($clusterId: ID!, $name: String!) { createProject(input: { clusterId: $clusterId, name: $name }) { id } }`, (w) => ({
      clusterId: w.estate.clusterId,
      name: unique('p'),
    })),
  },
  {
    resource: 'project in the key’s scope',
    operation: 'create',
    expected: 'ok ok II II II ok',
    run: op(`mutation($clusterId: ID!, $name: String!) { createProject(input: { clusterId: $clusterId, name: $name }) { id } }`, (w) => ({
      clusterId: w.scopeClusterId,
      name: unique('p'),
    })),
  },
  {
    resource: 'project',
    operation: 'update',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { updateProject(id: $id, input: { description: "changed" }) { id } }`, (w) => ({ id: w.estate.projectId })),
  },
  {
    resource: 'project',
    operation: 'delete',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.projectId }))),
  },

  // Cluster role template bindings
  {
    resource: 'clusterRoleTemplateBinding',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { clusterRoleTemplateBinding(id: $id) { id } }`, (w) => ({ id: w.estate.memberClusterBindingId })),
  },
  {
    resource: 'clusterRoleTemplateBinding',
    operation: 'list',
    expected: 'L L L L A A',
    run: listed('clusterRoleTemplateBindings', 'ClusterRoleTemplateBindingFilter', (w) => w.estate.memberClusterBindingId),
  },
  {
    resource: 'clusterRoleTemplateBinding',
    operation: 'create',
    expected: 'ok ok PD PD II II',
    run: op(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, (w) =>
      fresh(w, (e) => ({ input: { clusterId: e.clusterId, userId: w.userIds.admin, roleTemplateId: 'cluster-member' } })),
    ),
  },
  {
    resource: 'clusterRoleTemplateBinding',
    operation: 'update',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { updateClusterRoleTemplateBinding(id: $id, input: { labels: { cell: "update" } }) { id } }`, (w) => ({
      id: w.estate.memberClusterBindingId,
    })),
  },
  {
    resource: 'clusterRoleTemplateBinding',
    operation: 'delete',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { deleteClusterRoleTemplateBinding(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.memberClusterBindingId }))),
  },

  // Project role template bindings
  {
    resource: 'projectRoleTemplateBinding',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { projectRoleTemplateBinding(id: $id) { id } }`, (w) => ({ id: w.estate.readOnlyBindingId })),
  },
  {
    resource: 'projectRoleTemplateBinding',
    operation: 'list',
    expected: 'L L L L A A',
    run: listed('projectRoleTemplateBindings', 'ProjectRoleTemplateBindingFilter', (w) => w.estate.readOnlyBindingId),
  },
  {
    resource: 'projectRoleTemplateBinding',
    operation: 'create',
    expected: 'ok ok PD PD II II',
    run: op(`mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`, (w) =>
      fresh(w, (e) => ({ input: { projectId: e.projectId, userId: w.userIds.admin, roleTemplateId: 'read-only' } })),
    ),
  },
  {
    resource: 'projectRoleTemplateBinding',
    operation: 'update',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { updateProjectRoleTemplateBinding(id: $id, input: { labels: { cell: "update" } }) { id } }`, (w) => ({
      id: w.estate.readOnlyBindingId,
    })),
  },
  {
    resource: 'projectRoleTemplateBinding',
    operation: 'delete',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { deleteProjectRoleTemplateBinding(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.readOnlyBindingId }))),
  },

  // Namespaces: the project's follow its verbs; one outside any project is the cluster owners'.
  {
    resource: 'namespace',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { namespace(id: $id) { id } }`, (w) => ({ id: w.estate.namespaceId })),
  },
  { resource: 'namespace', operation: 'list', expected: 'L L L L A A', run: listed('namespaces', 'NamespaceFilter', (w) => w.estate.namespaceId) },
  {
    resource: 'namespace',
    operation: 'create',
    expected: 'ok ok ok PD II II',
    run: op(`mutation($projectId: ID!, $name: String!) { createNamespace(input: { projectId: $projectId, name: $name }) { id } }`, (w) => ({
      projectId: w.estate.projectId,
      name: unique('ns'),
    })),
  },
  {
    resource: 'namespace',
    operation: 'update',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { updateNamespace(id: $id, input: { description: "changed" }) { id } }`, (w) => ({ id: w.estate.namespaceId })),
  },
  {
    resource: 'namespace',
    operation: 'delete',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { deleteNamespace(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.namespaceId }))),
  },
  {
    resource: 'namespace',
    operation: 'action move out of the project',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { moveNamespace(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.namespaceId }))),
  },
  {
    resource: 'namespace outside projects',
    operation: 'read',
    expected: 'ok ok NF NF NF NF',
    run: op(`query($id: ID!) { namespace(id: $id) { id } }`, (w) => ({ id: w.estate.looseNamespaceId })),
  },
  {
    resource: 'namespace outside projects',
    operation: 'list',
    expected: 'L L A A A A',
    run: listed('namespaces', 'NamespaceFilter', (w) => w.estate.looseNamespaceId),
  },
  {
    resource: 'namespace outside projects',
    operation: 'create',
    expected: 'ok ok PD PD II II',
    run: op(`mutation($clusterId: ID!, $name: String!) { createNamespace(input: { clusterId: $clusterId, name: $name }) { id } }`, (w) => ({
      clusterId: w.estate.clusterId,
      name: unique('loose'),
    })),
  },

  // Workloads
  {
    resource: 'workload',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { workload(id: $id) { id } }`, (w) => ({ id: w.estate.workloadId })),
  },
  { resource: 'workload', operation: 'list', expected: 'L L L L A A', run: listed('workloads', 'WorkloadFilter', (w) => w.estate.workloadId) },
  {
    resource: 'workload',
    operation: 'create',
    expected: 'ok ok ok PD II II',
    run: op(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, (w) => ({
      input: {
        projectId: w.estate.projectId,
        namespaceId: w.estate.namespaceId,
        kind: 'DAEMON_SET',
        name: unique('ds'),
        containers: [{ name: 'c', image: 'busybox' }],
      },
    })),
  },
  {
    resource: 'workload',
    operation: 'update',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { updateWorkload(id: $id, input: { replicas: 2 }) { id } }`, (w) => ({ id: w.estate.workloadId })),
  },
  {
    resource: 'workload',
    operation: 'action redeploy',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { redeployWorkload(id: $id) { id } }`, (w) => ({ id: w.estate.workloadId })),
  },
  {
    resource: 'workload',
    operation: 'delete',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { deleteWorkload(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.workloadId }))),
  },

  // A kind's view of workloads (Rancher's /deployments): the workload rule, within that kind.
  {
    resource: 'deployment',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { deployment(id: $id) { id } }`, (w) => ({ id: w.estate.workloadId })),
  },
  { resource: 'deployment', operation: 'list', expected: 'L L L L A A', run: listed('deployments', 'DeploymentFilter', (w) => w.estate.workloadId) },
  {
    resource: 'deployment',
    operation: 'create',
    expected: 'ok ok ok PD II II',
    run: op(`mutation($input: CreateWorkloadInput!) { createDeployment(input: $input) { id } }`, (w) => ({
      input: { projectId: w.estate.projectId, namespaceId: w.estate.namespaceId, name: unique('dp'), containers: [{ name: 'c', image: 'busybox' }] },
    })),
  },
  {
    resource: 'deployment',
    operation: 'update',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { updateDeployment(id: $id, input: { scale: 2 }) { id } }`, (w) => ({ id: w.estate.workloadId })),
  },
  {
    resource: 'deployment',
    operation: 'delete',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { deleteDeployment(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.workloadId }))),
  },
  {
    resource: 'statefulSet',
    operation: 'read of a Deployment',
    expected: 'NF NF NF NF NF NF',
    run: op(`query($id: ID!) { statefulSet(id: $id) { id } }`, (w) => ({ id: w.estate.workloadId })),
  },

  // Services and ingresses (issue 13.3): their namespace's rule, as workloads.
  ...inNamespaceCells('service', 'Service', (e) => e.serviceId, {
    create: (w) => ({ name: unique('svc'), ports: [{ port: 80 }], targetWorkloadIds: [w.estate.workloadId] }),
    // Port 80 stays: the ingress cells route to it.
    update: { ports: [{ port: 80, targetPort: 8080 }] },
  }),
  ...inNamespaceCells('ingress', 'Ingress', (e) => e.ingressId, {
    create: (w) => ({ name: unique('ing'), rules: [{ host: 'www.example.com', paths: [{ path: '/', serviceId: w.estate.serviceId, targetPort: 80 }] }] }),
    update: { description: 'changed' },
    listName: 'ingresses',
  }),

  // Namespaced secrets
  {
    resource: 'namespacedSecret',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { namespacedSecret(id: $id) { id } }`, (w) => ({ id: w.estate.secretId })),
  },
  {
    resource: 'namespacedSecret',
    operation: 'list',
    expected: 'L L L L A A',
    run: listed('namespacedSecrets', 'NamespacedSecretFilter', (w) => w.estate.secretId),
  },
  {
    resource: 'namespacedSecret',
    operation: 'create',
    expected: 'ok ok ok PD II II',
    run: op(`mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id } }`, (w) => ({
      input: { projectId: w.estate.projectId, namespaceId: w.estate.namespaceId, name: unique('secret'), data: { k: 'v' } },
    })),
  },
  {
    resource: 'namespacedSecret',
    operation: 'update',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { updateNamespacedSecret(id: $id, input: { data: { k: "rotated" } }) { id } }`, (w) => ({ id: w.estate.secretId })),
  },
  {
    resource: 'namespacedSecret',
    operation: 'delete',
    expected: 'ok ok ok PD NF NF',
    run: op(`mutation($id: ID!) { deleteNamespacedSecret(id: $id) { id } }`, (w) => fresh(w, (e) => ({ id: e.secretId }))),
  },

  ...secretTypes.flatMap(secretCells),

  // Users (the read-only user's record)
  {
    resource: 'user',
    operation: 'read',
    expected: 'ok NF NF ok NF NF',
    run: op(`query($id: ID!) { user(id: $id) { id } }`, (w) => ({ id: w.userIds.readOnly })),
  },
  { resource: 'user', operation: 'list', expected: 'L A A L A A', run: listed('users', 'UserFilter', (w) => w.userIds.readOnly) },
  {
    resource: 'user',
    operation: 'create',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation($username: String!) { createUser(input: { username: $username, password: "another-long-password" }) { id } }`, () => ({
      username: unique('someone'),
    })),
  },
  {
    resource: 'user',
    operation: 'update',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation($id: ID!) { updateUser(id: $id, input: { displayName: "Rita" }) { id } }`, (w) => ({ id: w.userIds.readOnly })),
  },
  {
    resource: 'user',
    operation: 'delete',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, async (w) => {
      const created = await w.as(
        'admin',
        `mutation($username: String!) { createUser(input: { username: $username, password: "another-long-password" }) { id } }`,
        { username: unique('doomed') },
      );
      return { id: created.data!.createUser.id };
    }),
  },

  // API keys (one of the read-only user's)
  {
    resource: 'token',
    operation: 'read',
    expected: 'ok NF NF ok NF NF',
    run: op(`query($id: ID!) { token(id: $id) { id } }`, (w) => ({ id: w.readOnlyKeyId })),
  },
  { resource: 'token', operation: 'list', expected: 'L A A L A A', run: listed('tokens', 'TokenFilter', (w) => w.readOnlyKeyId) },
  { resource: 'token', operation: 'create', expected: 'ok ok ok ok ok PD', run: op(`mutation { createToken(input: { name: "mine" }) { id } }`, () => ({})) },
  {
    resource: 'token',
    operation: 'update',
    expected: 'ok NF NF ok NF NF',
    run: op(`mutation($id: ID!) { updateToken(id: $id, input: { description: "renamed" }) { id } }`, (w) => ({ id: w.readOnlyKeyId })),
  },
  {
    resource: 'token',
    operation: 'action deactivate',
    expected: 'ok NF NF ok NF NF',
    run: op(`mutation($id: ID!) { deactivateToken(id: $id) { id } }`, newKeyOfReadOnly),
  },
  { resource: 'token', operation: 'delete', expected: 'ok NF NF ok NF NF', run: op(`mutation($id: ID!) { deleteToken(id: $id) { id } }`, newKeyOfReadOnly) },

  // Cloud credentials (one of the owner's): the owner and admins only; a scoped key is
  // refused them all, whoever owns them (PERMISSION_DENIED, the same for every id).
  {
    resource: 'cloudCredential',
    operation: 'read',
    expected: 'ok ok NF NF NF PD',
    run: op(`query($id: ID!) { cloudCredential(id: $id) { id } }`, (w) => ({ id: w.ownerCredentialId })),
  },
  {
    resource: 'cloudCredential',
    operation: 'list',
    expected: 'L L A A A PD',
    run: listed('cloudCredentials', 'CloudCredentialFilter', (w) => w.ownerCredentialId),
  },
  {
    resource: 'cloudCredential',
    operation: 'create',
    expected: 'ok ok ok ok ok PD',
    run: op(
      `mutation($name: String!) { createCloudCredential(input: { name: $name, genericcredentialConfig: { endpoint: "https://api.example.com", token: "t" } }) { id } }`,
      () => ({
        name: unique('cc'),
      }),
    ),
  },
  {
    resource: 'cloudCredential',
    operation: 'update',
    expected: 'ok ok NF NF NF PD',
    run: op(`mutation($id: ID!) { updateCloudCredential(id: $id, input: { description: "changed" }) { id } }`, (w) => ({ id: w.ownerCredentialId })),
  },
  {
    resource: 'cloudCredential',
    operation: 'delete',
    expected: 'ok ok NF NF NF PD',
    run: op(`mutation($id: ID!) { deleteCloudCredential(id: $id) { id } }`, async (w) => ({ id: await w.newOwnerCredential() })),
  },

  // Node templates (one of the owner's): like cloud credentials, the owner's and admins'.
  {
    resource: 'nodeTemplate',
    operation: 'read',
    expected: 'ok ok NF NF NF PD',
    run: op(`query($id: ID!) { nodeTemplate(id: $id) { id } }`, async (w) => ({ id: await sharedTemplate(w) })),
  },
  {
    resource: 'nodeTemplate',
    operation: 'list',
    expected: 'L L A A A PD',
    run: async (w, actor) => {
      const id = await sharedTemplate(w);
      return listed('nodeTemplates', 'NodeTemplateFilter', () => id)(w, actor);
    },
  },
  {
    resource: 'nodeTemplate',
    operation: 'create',
    expected: 'ok ok ok ok ok PD',
    run: op(`mutation($name: String!) { createNodeTemplate(input: { name: $name, digitaloceanConfig: { region: "fra1" } }) { id } }`, () => ({
      name: unique('nt'),
    })),
  },
  {
    resource: 'nodeTemplate',
    operation: 'update',
    expected: 'ok ok NF NF NF PD',
    run: op(`mutation($id: ID!) { updateNodeTemplate(id: $id, input: { description: "changed" }) { id } }`, async (w) => ({ id: await sharedTemplate(w) })),
  },
  {
    resource: 'nodeTemplate',
    operation: 'delete',
    expected: 'ok ok NF NF NF PD',
    run: op(`mutation($id: ID!) { deleteNodeTemplate(id: $id) { id } }`, async (w) => ({ id: await newTemplate(w) })),
  },

  // Node pools (of the estate's cluster, from the owner's template): the cluster's rule.
  {
    resource: 'nodePool',
    operation: 'read',
    expected: 'ok ok ok ok NF NF',
    run: op(`query($id: ID!) { nodePool(id: $id) { id } }`, async (w) => ({ id: await sharedPool(w) })),
  },
  {
    resource: 'nodePool',
    operation: 'list',
    expected: 'L L L L A A',
    run: async (w, actor) => {
      const id = await sharedPool(w);
      return listed('nodePools', 'NodePoolFilter', () => id)(w, actor);
    },
  },
  {
    resource: 'nodePool',
    operation: 'create',
    expected: 'ok ok PD PD II II',
    run: op(`mutation($input: CreateNodePoolInput!) { createNodePool(input: $input) { id } }`, async (w) => ({
      input: { clusterId: w.estate.clusterId, hostnamePrefix: unique('pool'), nodeTemplateId: await sharedTemplate(w), quantity: 1, worker: true },
    })),
  },
  {
    resource: 'nodePool',
    operation: 'update',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { updateNodePool(id: $id, input: { quantity: 2 }) { id } }`, async (w) => ({ id: await sharedPool(w) })),
  },
  {
    resource: 'nodePool',
    operation: 'delete',
    expected: 'ok ok PD PD NF NF',
    run: op(`mutation($id: ID!) { deleteNodePool(id: $id) { id } }`, async (w) => ({ id: await newPool(w) })),
  },

  // Registration tokens (of the estate's cluster): credentials, so even reading them takes changing the cluster.
  {
    resource: 'clusterRegistrationToken',
    operation: 'read',
    expected: 'ok ok NF NF NF NF',
    run: op(`query($id: ID!) { clusterRegistrationToken(id: $id) { id token } }`, async (w) => ({ id: `${w.estate.clusterId}:default-token` })),
  },
  {
    resource: 'clusterRegistrationToken',
    operation: 'list',
    expected: 'L L A A A A',
    run: (w, actor) => listed('clusterRegistrationTokens', 'ClusterRegistrationTokenFilter', () => `${w.estate.clusterId}:default-token`)(w, actor),
  },
  {
    resource: 'clusterRegistrationToken',
    operation: 'create',
    expected: 'ok ok PD PD II II',
    run: op(`mutation($input: CreateClusterRegistrationTokenInput!) { createClusterRegistrationToken(input: $input) { id } }`, async (w) => ({
      input: { clusterId: w.estate.clusterId },
    })),
  },
  {
    resource: 'clusterRegistrationToken',
    operation: 'update',
    expected: 'ok ok NF NF NF NF',
    run: op(`mutation($id: ID!) { updateClusterRegistrationToken(id: $id, input: { labels: { touched: "yes" } }) { id } }`, async (w) => ({
      id: `${w.estate.clusterId}:default-token`,
    })),
  },
  {
    resource: 'clusterRegistrationToken',
    operation: 'delete',
    expected: 'ok ok NF NF NF NF',
    run: op(`mutation($id: ID!) { deleteClusterRegistrationToken(id: $id) { id } }`, async (w) => ({ id: await newRegistrationToken(w) })),
  },

  // Global role bindings (the read-only user's `user` binding): admins manage them.
  {
    resource: 'globalRoleBinding',
    operation: 'read',
    expected: 'ok NF NF ok NF NF',
    run: op(`query($id: ID!) { globalRoleBinding(id: $id) { id } }`, async (w) => ({ id: await userBindingOf(w, w.userIds.readOnly) })),
  },
  { resource: 'globalRoleBinding', operation: 'list', expected: 'L A A L A A', run: listedBinding },
  {
    resource: 'globalRoleBinding',
    operation: 'create',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation($userId: ID!) { createGlobalRoleBinding(input: { userId: $userId, globalRoleId: ADMIN }) { id } }`, async (w) => ({
      userId: await newUserId(w),
    })),
  },
  {
    resource: 'globalRoleBinding',
    operation: 'update',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation($id: ID!) { updateGlobalRoleBinding(id: $id, input: { annotations: { cell: "update" } }) { id } }`, async (w) => ({
      id: await userBindingOf(w, w.userIds.readOnly),
    })),
  },
  {
    resource: 'globalRoleBinding',
    operation: 'delete',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation($id: ID!) { deleteGlobalRoleBinding(id: $id) { id } }`, async (w) => ({ id: await userBindingOf(w, await newUserId(w)) })),
  },

  // Settings, node drivers and role templates: everyone reads, admins change.
  { resource: 'setting', operation: 'read', expected: 'ok ok ok ok ok ok', run: op(`{ setting(id: "server-url") { id } }`, () => ({})) },
  { resource: 'setting', operation: 'list', expected: 'L L L L L L', run: listed('settings', 'SettingFilter', () => 'server-url') },
  {
    resource: 'setting',
    operation: 'update',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation { updateSetting(id: "auth-token-max-ttl-minutes", input: { value: "0" }) { id } }`, () => ({})),
  },
  { resource: 'nodeDriver', operation: 'read', expected: 'ok ok ok ok ok ok', run: op(`{ nodeDriver(id: "linode") { id } }`, () => ({})) },
  { resource: 'nodeDriver', operation: 'list', expected: 'L L L L L L', run: listed('nodeDrivers', 'NodeDriverFilter', () => 'linode') },
  {
    resource: 'nodeDriver',
    operation: 'update',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation { updateNodeDriver(id: "linode", input: { description: "Linode" }) { id } }`, () => ({})),
  },
  {
    resource: 'nodeDriver',
    operation: 'action deactivate',
    expected: 'ok PD PD PD PD PD',
    run: op(`mutation { deactivateNodeDriver(id: "linode") { id } }`, () => ({})),
  },
  { resource: 'roleTemplate', operation: 'read', expected: 'ok ok ok ok ok ok', run: op(`{ roleTemplate(id: "project-member") { id } }`, () => ({})) },
  { resource: 'roleTemplate', operation: 'list', expected: 'L L L L L L', run: listed('roleTemplates', 'RoleTemplateFilter', () => 'read-only') },
];

describe.each(databaseTargets)('the authorization matrix on $name', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await buildWorld(await startTestApp(target));
    bindingId = await userBindingOf(world, world.userIds.readOnly);
  }, 600_000);
  afterAll(() => world?.server.close());

  const rows = cells.flatMap((cell) =>
    actors.map((actor, index) => ({
      cell,
      actor,
      expected: cell.expected.split(' ')[index] as Outcome,
      name: `${cell.resource} × ${actor} × ${cell.operation}`,
    })),
  );

  it.each(rows)('$name → $expected', async ({ cell, actor, expected }) => {
    expect(await cell.run(world, actor)).toBe(expected);
  });

  /** What the matrix says each caller may do, read back from the fields clients use to show buttons. */
  /** Resource types with per-row flags: the list query that shows them and where the estate keeps one. */
  const flagged = [
    { resource: 'cluster', list: 'clusters', id: (estate: Estate) => estate.clusterId },
    { resource: 'project', list: 'projects', id: (estate: Estate) => estate.projectId },
    { resource: 'namespace', list: 'namespaces', id: (estate: Estate) => estate.namespaceId },
    { resource: 'workload', list: 'workloads', id: (estate: Estate) => estate.workloadId },
    { resource: 'namespacedSecret', list: 'namespacedSecrets', id: (estate: Estate) => estate.secretId },
    { resource: 'service', list: 'services', id: (estate: Estate) => estate.serviceId },
    { resource: 'ingress', list: 'ingresses', id: (estate: Estate) => estate.ingressId },
  ];

  /** What the matrix says each caller may do, read back from the fields clients use to show buttons. */
  it.each(actors)('canUpdate and canRemove tell %s the truth the mutations tell', async (actor) => {
    const mayDo = (resource: string, operation: string) =>
      cells.find((cell) => cell.resource === resource && cell.operation === operation)!.expected.split(' ')[actors.indexOf(actor)] === 'ok';
    const estate = await world.newEstate();
    const variables = Object.fromEntries(flagged.map(({ list, id }) => [list, id(estate)]));
    const query = flagged.map(({ list }) => `${list}(filter: { id: { eq: $${list} } }) { edges { node { id canUpdate canRemove } } }`).join(' ');
    const result = await world.as(actor, `query(${flagged.map(({ list }) => `$${list}: String!`).join(', ')}) { ${query} }`, variables);
    expect(result.errors).toBeUndefined();
    for (const { resource, list, id } of flagged) {
      const row = (result.data![list].edges as Array<{ node: { id: string } }>).map((edge) => edge.node).find((node) => node.id === id(estate));
      if (!mayDo(resource, 'read')) expect(row, `${resource} listed for ${actor}`).toBeUndefined();
      else expect(row, resource).toEqual({ id: id(estate), canUpdate: mayDo(resource, 'update'), canRemove: mayDo(resource, 'delete') });
    }
  });

  it.each(actors)('/v3 answers %s as GraphQL does, with links only for what they may do', async (actor) => {
    const { clusterId } = world.estate;
    const headers = { authorization: `Bearer ${world.tokens[actor]}`, accept: 'application/json' };
    const expectedFor = (operation: string) =>
      cells.find((cell) => cell.resource === 'cluster' && cell.operation === operation)!.expected.split(' ')[actors.indexOf(actor)];
    const statusOf: Record<string, number> = { ok: 200, NF: 404, PD: 403 };

    const read = await fetch(`${world.server.url}/v3/clusters/${clusterId}`, { headers });
    expect(read.status).toBe(statusOf[expectedFor('read')!]);
    const body = (await read.json()) as { links?: Record<string, string> };
    if (read.status === 200) {
      expect(Boolean(body.links?.update)).toBe(expectedFor('update') === 'ok');
      expect(Boolean(body.links?.remove)).toBe(expectedFor('delete') === 'ok');
    }
    const update = await fetch(`${world.server.url}/v3/clusters/${clusterId}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'via v3' }),
    });
    expect(update.status).toBe(statusOf[expectedFor('update')!]);
  });
});
