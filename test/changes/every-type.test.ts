import { describe, expect, it } from 'vitest';
import { graphqlAs, type TestApp } from '../helpers/app.js';
import { instanceActions } from '../helpers/instances.js';
import { nginx, serverWithPlace, type ResourcePlace } from '../helpers/project-resources.js';
import { subscribeSse, type SseSubscription } from '../helpers/sse.js';
import { databaseTargets } from '../helpers/targets.js';
import { makeCertificate, makeSshKey } from '../helpers/test-keys.js';

type Announced = { verb: string; type: string; id: string };
type Event = { data?: { resourceChanges: Announced & { node?: { id: string } | null } }; errors?: Array<{ message: string; extensions?: { code?: string } }> };

/** What a suite's writes need besides the place: a user to bind, a node template, a service to route to. */
interface Fixtures extends ResourcePlace {
  userId: string;
  nodeTemplateId: string;
  serviceId: string;
}

/**
 * How to write one resource type through its mutations (`create<Type>`, `update<Type>`,
 * `delete<Type>`). Every type the schema lets a client write needs one here, so a new type
 * is walked as soon as it exists.
 */
interface Recipe {
  create?: (at: Fixtures) => Record<string, unknown>;
  update?: Record<string, unknown>;
  /** A row the API never creates (made in the cluster): inserted as the cluster's agent would. */
  insert?: (server: TestApp, at: Fixtures) => Promise<string>;
  /** Where its changes come as another type's: a view of a model with a type of its own. */
  announcedAs?: string;
}

const leaf = makeCertificate('www.example.com', ['DNS:www.example.com']);
const ssh = makeSshKey();
const inPlace = (at: ResourcePlace) => ({ projectId: at.projectId, namespaceId: at.namespaceId });
const described = { description: 'changed' };
let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

/** The project secret family: each kind project-wide and namespaced. */
function secretRecipes(typeName: string, fields: () => Record<string, unknown>): Record<string, Recipe> {
  return {
    [typeName]: { create: (at) => ({ projectId: at.projectId, name: unique('s'), ...fields() }), update: described },
    [`Namespaced${typeName}`]: { create: (at) => ({ ...inPlace(at), name: unique('s'), ...fields() }), update: described },
  };
}

/** A workload of one kind, through a kind's view (announced as the Workload it is) or the workloads type itself. */
function workloadRecipe(extra: Record<string, unknown> = {}, announcedAs: string | undefined = 'Workload'): Recipe {
  return {
    create: (at) => ({ ...inPlace(at), name: unique('w'), containers: [nginx], ...extra }),
    update: { workloadLabels: { changed: 'yes' } },
    ...(announcedAs ? { announcedAs } : {}),
  };
}

/** A service account token as the cluster would make it: the API only lists and deletes them. */
function insertedToken(namespaced: boolean): Recipe {
  return {
    insert: async (server, at) => {
      const name = unique('sat');
      const id = `${namespaced ? at.namespaceId : at.projectId}:${name}`;
      const scope = namespaced ? { namespaceId: at.namespaceId } : { projectScopeId: at.projectId };
      await server.app.database.prisma.projectSecret.create({ data: { id, kind: 'serviceAccountToken', name, projectId: at.projectId, ...scope } });
      return id;
    },
  };
}

const recipes: Record<string, Recipe> = {
  ...secretRecipes('BasicAuth', () => ({ username: 'robot', password: 'a-password' })),
  ...secretRecipes('Certificate', () => ({ certs: leaf.certs, key: leaf.key })),
  ...secretRecipes('DockerCredential', () => ({ registries: { 'registry.example.com': { username: 'robot', password: 'a-password' } } })),
  ...secretRecipes('SshAuth', () => ({ privateKey: ssh.privateKey })),
  ServiceAccountToken: insertedToken(false),
  NamespacedServiceAccountToken: insertedToken(true),
  CloudCredential: {
    create: () => ({ name: unique('cc'), genericcredentialConfig: { endpoint: 'https://api.example.com', token: 'a-token' } }),
    update: described,
  },
  Cluster: { create: () => ({ name: unique('cluster') }), update: described },
  Project: { create: (at) => ({ clusterId: at.clusterId, name: unique('project') }), update: described },
  Namespace: { create: (at) => ({ projectId: at.projectId, name: unique('ns') }), update: described },
  NamespacedSecret: { create: (at) => ({ ...inPlace(at), name: unique('secret'), data: { key: 'value' } }), update: described },
  Service: { create: (at) => ({ ...inPlace(at), name: unique('svc'), ports: [{ port: 80 }], selector: { app: 'web' } }), update: described },
  Ingress: { create: (at) => ({ ...inPlace(at), name: unique('ing'), defaultBackend: { serviceId: at.serviceId, targetPort: 80 } }), update: described },
  Workload: workloadRecipe({}, undefined),
  Deployment: workloadRecipe(),
  StatefulSet: workloadRecipe(),
  DaemonSet: workloadRecipe(),
  CronJob: workloadRecipe({ schedule: '@daily' }),
  Job: workloadRecipe(),
  ClusterRoleTemplateBinding: { create: (at) => ({ clusterId: at.clusterId, userId: at.userId, roleTemplateId: 'cluster-member' }) },
  ProjectRoleTemplateBinding: { create: (at) => ({ projectId: at.projectId, userId: at.userId, roleTemplateId: 'project-member' }) },
  GlobalRoleBinding: { create: (at) => ({ userId: at.userId, globalRoleId: 'ADMIN' }) },
  NodeDriver: { create: () => ({ url: `https://example.com/docker-machine-driver-${unique('d')}` }), update: described },
  NodeTemplate: { create: () => ({ name: unique('tpl'), digitaloceanConfig: { region: 'fra1' } }), update: described },
  NodePool: {
    create: (at) => ({ clusterId: at.clusterId, hostnamePrefix: unique('pool'), nodeTemplateId: at.nodeTemplateId, quantity: 1 }),
    update: { quantity: 2 },
  },
  ClusterRegistrationToken: { create: (at) => ({ clusterId: at.clusterId }), update: { labels: { changed: 'yes' } } },
  Setting: { update: { value: 'Announced' } },
  Token: { create: () => ({ name: unique('key') }), update: described },
  User: { create: () => ({ username: unique('user'), password: 'a-long-enough-password' }), update: { displayName: 'Changed' } },
};

/** The fixed id of the one Setting the walk changes (settings are never created or deleted). */
const settingId = 'ui-pl';

/**
 * Item 3 of the frontend findings: every committed write is announced, under the type
 * `resourceChanges(types:)` takes, whatever the table behind it holds — one model of
 * several types (the project secret family) included. A filter that could never fire
 * (a view, a type no change names) is refused instead of taken silently.
 */
describe.each(databaseTargets)('live changes of every written type on $name', (target) => {
  const suite = serverWithPlace(target);

  it('announces each create, update and remove of every type the API writes, to an unfiltered admin stream', async () => {
    const { server } = suite;
    const at = await fixtures(server, suite.place);
    const writable = await writableTypes(server);
    expect(Object.keys(recipes).sort()).toEqual(Object.keys(writable).sort());

    const stream = await subscribeSse<Event>(server.url, server.token, `subscription($since: String) { resourceChanges(since: $since) { verb type id } }`, {
      since: await instanceActions(server, server, 'walker').now(),
    });
    const expected: Announced[] = [];
    for (const [type, recipe] of Object.entries(recipes)) {
      const mutations = writable[type]!;
      const announce = (verb: string, id: string) => expected.push({ verb, type: recipe.announcedAs ?? type, id });
      let id = type === 'Setting' ? settingId : undefined;
      if (recipe.insert) {
        id = await recipe.insert(server, at);
        announce('CREATE', id);
      }
      if (recipe.create) {
        id = (await mutate(server, mutations.create!, `create${type}`, { input: recipe.create(at) })).id as string;
        announce('CREATE', id);
      }
      if (recipe.update) {
        await mutate(server, mutations.update!, `update${type}`, { id, input: recipe.update });
        announce('UPDATE', id!);
      }
      if (mutations.remove) {
        await mutate(server, mutations.remove, `delete${type}`, { id });
        announce('REMOVE', id!);
      }
    }
    const missing = await awaitAll(stream, expected);
    stream.close();
    expect(missing).toEqual([]);
  });

  it('tells a project member of project secrets in their project, filtered by type, read as that type', async () => {
    const { server, place } = suite;
    const actions = instanceActions(server, server, 'secret-watcher');
    const member = await actions.person();
    const bound = await server.graphql(`mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`, {
      input: { projectId: place.projectId, userId: member.id, roleTemplateId: 'project-member' },
    });
    expect(bound.errors).toBeUndefined();
    const early = await server.graphql(`mutation($input: CreateNamespacedBasicAuthInput!) { createNamespacedBasicAuth(input: $input) { id } }`, {
      input: { ...inPlace(place), name: unique('s'), username: 'robot', password: 'a-password' },
    });
    const removedId = early.data!.createNamespacedBasicAuth.id as string;
    const stream = await subscribeSse<Event>(
      server.url,
      member.token,
      `subscription($since: String) { resourceChanges(types: ["NamespacedBasicAuth", "DockerCredential"], since: $since) { verb type id node { id } } }`,
      { since: await actions.now() },
    );
    const made = await server.graphql(`mutation($input: CreateDockerCredentialInput!) { createDockerCredential(input: $input) { id } }`, {
      input: { projectId: place.projectId, name: unique('s'), registries: { 'registry.example.com': { username: 'robot', password: 'a-password' } } },
    });
    const createdId = made.data!.createDockerCredential.id as string;
    expect((await nextWithin(stream))?.data?.resourceChanges).toEqual({ verb: 'CREATE', type: 'DockerCredential', id: createdId, node: { id: createdId } });
    // Made before the stream began, so never shown on it: its removal is judged by the project it was in.
    await server.graphql(`mutation($id: ID!) { deleteNamespacedBasicAuth(id: $id) { id } }`, { id: removedId });
    expect((await nextWithin(stream))?.data?.resourceChanges).toEqual({ verb: 'REMOVE', type: 'NamespacedBasicAuth', id: removedId, node: null });
    stream.close();
  });

  it('refuses in `types` a view of another type or a type no change names, saying which names it takes', async () => {
    const { server } = suite;
    const refusal = async (types: string[]) => {
      const stream = await subscribeSse<Event>(server.url, server.token, `subscription($types: [String!]) { resourceChanges(types: $types) { id } }`, {
        types,
      });
      const first = await nextWithin(stream);
      stream.close();
      return first?.errors?.[0];
    };
    const deployment = await refusal(['Deployment']);
    expect(deployment?.extensions?.code).toBe('INVALID_INPUT');
    expect(deployment?.message).toMatch(/view of Workload/);
    expect(deployment?.message).toMatch(/Cluster, .*NamespacedBasicAuth, .*Workload/);
    expect((await refusal(['AuditEvent']))?.extensions?.code).toBe('INVALID_INPUT');
  });
});

/** A user to bind, a node template for pools and a service for ingresses, beside the suite's place. */
async function fixtures(server: TestApp, place: ResourcePlace): Promise<Fixtures> {
  const user = await mutate(server, 'CreateUserInput!', 'createUser', { input: { username: unique('bound'), password: 'a-long-enough-password' } });
  const template = await mutate(server, 'CreateNodeTemplateInput!', 'createNodeTemplate', {
    input: { name: unique('tpl'), digitaloceanConfig: { region: 'fra1' } },
  });
  const service = await mutate(server, 'CreateServiceInput!', 'createService', {
    input: { projectId: place.projectId, namespaceId: place.namespaceId, name: unique('backend'), ports: [{ port: 80 }], selector: { app: 'web' } },
  });
  return { ...place, userId: user.id as string, nodeTemplateId: template.id as string, serviceId: service.id as string };
}

type Mutations = { create?: string; update?: string; remove?: string };

/** Every resource type the schema has a create, update or delete mutation for, with the input type each takes (`remove`: just that there is one). */
async function writableTypes(server: TestApp): Promise<Record<string, Mutations>> {
  const result = await server.graphql<{
    __type: { possibleTypes: Array<{ name: string }> };
    __schema: { mutationType: { fields: Array<{ name: string; args: Array<{ name: string; type: { ofType: { name: string } | null } }> }> } };
  }>(`{ __type(name: "Node") { possibleTypes { name } } __schema { mutationType { fields { name args { name type { ofType { name } } } } } } }`);
  const resources = new Set(result.data!.__type.possibleTypes.map((type) => type.name));
  const writable: Record<string, Mutations> = {};
  for (const field of result.data!.__schema.mutationType.fields) {
    const [, verb, type] = /^(create|update|delete)([A-Z]\w*)$/.exec(field.name) ?? [];
    if (!verb || !type || !resources.has(type)) continue;
    const input = field.args.find((arg) => arg.name === 'input')?.type.ofType?.name;
    const mutations = writable[type] ?? {};
    writable[type] = mutations;
    if (verb === 'create') mutations.create = `${input}!`;
    else if (verb === 'update') mutations.update = `${input}!`;
    else mutations.remove = 'ID';
  }
  return writable;
}

/** Runs `field` with an `input` of type `inputType` and/or an `id`, answering what it returned; fails the test on any error. */
async function mutate(server: TestApp, inputType: string, field: string, variables: { id?: string; input?: unknown }) {
  const declared = [...(variables.id === undefined ? [] : ['$id: ID!']), ...(variables.input === undefined ? [] : [`$input: ${inputType}`])];
  const passed = [...(variables.id === undefined ? [] : ['id: $id']), ...(variables.input === undefined ? [] : ['input: $input'])];
  const result = await graphqlAs(server.url, server.token, `mutation(${declared.join(', ')}) { ${field}(${passed.join(', ')}) { id } }`, variables);
  if (result.errors) throw new Error(`${field} failed: ${JSON.stringify(result.errors)}`);
  return result.data![field] as Record<string, unknown>;
}

/** Reads `stream` until each of `expected` has come (others may come between), or 15 s pass; answers those that did not come. */
async function awaitAll(stream: SseSubscription<Event>, expected: Announced[]): Promise<Announced[]> {
  const key = (event: Announced) => `${event.verb} ${event.type} ${event.id}`;
  const waiting = new Map(expected.map((event) => [key(event), event]));
  const deadline = Date.now() + 15_000;
  while (waiting.size > 0 && Date.now() < deadline) {
    const event = await nextWithin(stream, deadline - Date.now());
    if (!event) break;
    if (event.errors) throw new Error(`the stream ended: ${JSON.stringify(event.errors)}`);
    waiting.delete(key(event.data!.resourceChanges));
  }
  return [...waiting.values()];
}

/** The stream's next payload, or undefined when none comes within `ms`. */
function nextWithin(stream: SseSubscription<Event>, ms = 5_000): Promise<Event | undefined> {
  return Promise.race([stream.next(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}
