import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/helpers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { Json } from '../helpers/json.js';
import { createPlace, type ResourcePlace } from '../helpers/project-resources.js';
import { v3 } from './helpers.js';

/**
 * Labels and annotations on the Rancher types Terraform's rancher2 provider writes them
 * to (src/schema/kubernetes-metadata.ts): /v3 takes them on create and update and shows
 * them, as it does a cluster's, with no code of its own — the fields come from the
 * GraphQL inputs and outputs. Before, /v3's body parser dropped them without a word and
 * a configuration that set them planned a change forever.
 */
describe('/v3 labels and annotations', () => {
  let server: TestApp;
  let place: ResourcePlace;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    place = await createPlace(server);
  });
  afterAll(() => server?.close());

  const metadata = { labels: { 'app.kubernetes.io/managed-by': 'terraform', tier: 'gold' }, annotations: { 'example.com/note': 'any text: kept as written' } };
  const later = { labels: { tier: 'silver' }, annotations: { 'example.com/reviewed': 'yes' } };

  /** POST with the metadata, then GET: both show it. */
  async function created(collection: string, body: Record<string, Json>): Promise<string> {
    const made = await v3(server, 'POST', `/v3/${collection}`, { ...body, ...metadata });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject(metadata);
    const read = await v3(server, 'GET', `/v3/${collection}/${made.body.id}`);
    expect(read.body).toMatchObject(metadata);
    return made.body.id as string;
  }

  /** A PUT with new maps replaces the kept ones; a PUT without them leaves them. */
  async function expectUpdates(collection: string, id: string, other: Record<string, Json>, shown: Record<string, Json> = other): Promise<void> {
    const replaced = await v3(server, 'PUT', `/v3/${collection}/${id}`, later);
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject(later);
    expect(replaced.body.labels).toEqual(later.labels);
    const untouched = await v3(server, 'PUT', `/v3/${collection}/${id}`, other);
    expect(untouched.status, JSON.stringify(untouched.body)).toBe(200);
    expect((await v3(server, 'GET', `/v3/${collection}/${id}`)).body).toMatchObject({ ...later, ...shown });
  }

  it('stores a project’s on POST and PUT, and shows them on GET', async () => {
    const id = await created('projects', { clusterId: place.clusterId, name: 'Labelled' });
    await expectUpdates('projects', id, { description: 'only this changes' });
  });

  it('stores a user’s', async () => {
    const id = await created('users', { username: 'labelled-user', password: 'a password long enough' });
    await expectUpdates('users', id, { displayName: 'Labelled User' });
  });

  it('stores a cloud credential’s beside its config, never taking them for a provider’s config', async () => {
    const id = await created('cloudcredentials', { name: 'do', digitaloceancredentialConfig: { accessToken: 'metadata-token' } });
    await expectUpdates(
      'cloudcredentials',
      id,
      { description: 'rotated', digitaloceancredentialConfig: { accessToken: 'another-token' } },
      { description: 'rotated', digitaloceancredentialConfig: { accessTokenSet: true } },
    );
  });

  it('stores an API key’s', async () => {
    const id = await created('tokens', { description: 'terraform' });
    await expectUpdates('tokens', id, { description: 'still terraform' });
  });

  it('stores a node driver’s, and lets them change on a built-in one', async () => {
    const id = await created('nodedrivers', { url: 'https://example.com/docker-machine-driver-labelled' });
    await expectUpdates('nodedrivers', id, { displayName: 'Labelled' });
    await expectUpdates('nodedrivers', 'digitalocean', { description: 'built in' });
  });

  it('stores a node template’s annotations beside its labels, and a node pool’s apart from its nodes’ labels', async () => {
    const template = await created('nodetemplates', { name: 'do', digitaloceanConfig: { region: 'fra1' } });
    await expectUpdates('nodetemplates', template, { description: 'small droplets' });
    const pool = await created('nodepools', {
      clusterId: place.clusterId,
      hostnamePrefix: 'meta-',
      nodeTemplateId: template,
      nodeLabels: { role: 'worker' },
      worker: true,
    });
    await expectUpdates('nodepools', pool, { quantity: 2 });
    expect((await v3(server, 'GET', `/v3/nodepools/${pool}`)).body.nodeLabels).toEqual({ role: 'worker' });
  });

  it('takes a setting’s as Terraform’s rancher2_setting writes them: value, annotations and labels in one PUT', async () => {
    const put = await v3(server, 'PUT', '/v3/settings/ui-brand', { value: 'x', annotations: { a: '1' }, labels: { b: '2' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const read = await v3(server, 'GET', '/v3/settings/ui-brand');
    expect(read.body).toMatchObject({ value: 'x', annotations: { a: '1' }, labels: { b: '2' } });
    // Settings never set have none.
    expect((await v3(server, 'GET', '/v3/settings/server-url')).body).toMatchObject({ labels: {}, annotations: {} });
  });

  it('stores a role binding’s on create and changes them in place, as Terraform updates a binding: cluster, project and global', async () => {
    const userId = await createUser(server, 'bound-with-labels');
    const bindings = {
      clusterroletemplatebindings: await created('clusterroletemplatebindings', { clusterId: place.clusterId, userId, roleTemplateId: 'cluster-member' }),
      projectroletemplatebindings: await created('projectroletemplatebindings', { projectId: place.projectId, userId, roleTemplateId: 'read-only' }),
      globalrolebindings: await created('globalrolebindings', { userId, globalRoleId: 'admin' }),
    };
    for (const [collection, id] of Object.entries(bindings)) {
      // The user and the role are fixed: a PUT naming others changes only the metadata.
      await expectUpdates(collection, id, { userId: 'u-someone-else' }, {});
      expect((await v3(server, 'GET', `/v3/${collection}/${id}`)).body.userId, collection).toBe(userId);
    }
  });

  it('describes the fields in each type’s schema, writable where the type is', async () => {
    const writable = { type: 'map[string]', create: true, update: true };
    for (const type of ['project', 'user', 'token', 'cloudCredential', 'nodeDriver', 'nodePool', 'nodeTemplate']) {
      const { body } = await v3(server, 'GET', `/v3/schemas/${type}`);
      expect(body.resourceFields.labels, type).toMatchObject(writable);
      expect(body.resourceFields.annotations, type).toMatchObject(writable);
    }
    // A binding's user and role are fixed; its metadata is not.
    for (const type of ['clusterRoleTemplateBinding', 'projectRoleTemplateBinding', 'globalRoleBinding']) {
      const { labels, userId } = (await v3(server, 'GET', `/v3/schemas/${type}`)).body.resourceFields;
      expect(labels, type).toMatchObject(writable);
      expect(userId.update, type).toBeFalsy();
    }
    expect((await v3(server, 'GET', '/v3/schemas/setting')).body.resourceFields.annotations).toMatchObject({ type: 'map[string]', update: true });
    expect((await v3(server, 'GET', '/v3/schemas/roleTemplate')).body.resourceFields.labels).toMatchObject({ type: 'map[string]' });
  });

  it('refuses a label no Kubernetes object can have with the 422 a cluster’s gets', async () => {
    const bad = { labels: { 'bad key!': 'x' } };
    const cluster = await v3(server, 'POST', '/v3/clusters', { name: 'bad-labels', ...bad });
    expect(cluster.status).toBe(422);
    expect(cluster.body).toMatchObject({ type: 'error', status: 422, fieldName: 'labels' });
    const { code, message } = cluster.body;
    for (const [path, body] of [
      ['/v3/projects', { clusterId: place.clusterId, name: 'Bad', ...bad }],
      ['/v3/users', { username: 'bad-labels', password: 'a password long enough', ...bad }],
      ['/v3/tokens', bad],
    ] as const) {
      const refused = await v3(server, 'POST', path, body);
      expect(refused.body, path).toMatchObject({ type: 'error', status: 422, code, fieldName: 'labels', message });
    }
    const setting = await v3(server, 'PUT', '/v3/settings/ui-brand', { value: 'y', annotations: { 'no good!': 'z' } });
    expect(setting.body).toMatchObject({ type: 'error', status: 422, code, fieldName: 'annotations' });
    expect((await v3(server, 'GET', '/v3/settings/ui-brand')).body.value).toBe('x');
  });
});
