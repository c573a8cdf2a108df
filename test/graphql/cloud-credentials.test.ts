import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { expectHidden } from '../auth/helpers.js';
import { v3 } from '../rest-compat/helpers.js';

/** One config per provider, each with a secret value that must never come back. */
const providers = [
  [
    'amazonec2',
    { accessKey: 'AKIAEXAMPLE', secretKey: 'secret-aws-wJalrXUtnFEMI', defaultRegion: 'us-west-2' },
    { accessKey: 'AKIAEXAMPLE', defaultRegion: 'us-west-2', secretKeySet: true },
  ],
  ['digitalocean', { accessToken: 'secret-do-token' }, { accessTokenSet: true }],
  [
    'azure',
    { clientId: 'client', subscriptionId: 'sub', clientSecret: 'secret-azure' },
    { clientId: 'client', environment: 'AzurePublicCloud', clientSecretSet: true },
  ],
  ['google', { authEncodedJson: '{"private_key":"secret-google"}' }, { authEncodedJsonSet: true }],
  [
    'vmwarevsphere',
    { vcenter: 'vc.example.com', username: 'admin', password: 'secret-vsphere' },
    { vcenter: 'vc.example.com', vcenterPort: '443', passwordSet: true },
  ],
  ['linode', { token: 'secret-linode' }, { tokenSet: true }],
  [
    'harvester',
    { kubeconfigContent: 'clusters:\n- cluster:\n    server: https://harvester.example.com:6443\n# secret-harvester' },
    { clusterType: 'imported', kubeconfigContentSet: true },
  ],
  ['generic', { endpoint: 'https://api.example.com', token: 'secret-generic' }, { endpoint: 'https://api.example.com', tokenSet: true, passwordSet: false }],
] as const;

const configSelection = `
  amazonec2credentialConfig { accessKey defaultRegion secretKeySet }
  digitaloceancredentialConfig { accessTokenSet }
  azurecredentialConfig { clientId subscriptionId tenantId environment clientSecretSet }
  googlecredentialConfig { authEncodedJsonSet }
  vmwarevspherecredentialConfig { vcenter vcenterPort username passwordSet }
  linodecredentialConfig { tokenSet }
  harvestercredentialConfig { clusterType clusterId kubeconfigContentSet }
  genericcredentialConfig { endpoint username passwordSet tokenSet }`;
const fields = `id name description provider allowedHosts ownerId created ${configSelection}`;
const create = `mutation($input: CreateCloudCredentialInput!) { createCloudCredential(input: $input) { ${fields} } }`;

describe.each(databaseTargets)('cloud credentials on $name', (target) => {
  let server: TestApp;
  let bob: { id: string; token: string };
  const asBob = (query: string, variables?: Record<string, unknown>) => graphqlAs(server.url, bob.token, query, variables);

  beforeAll(async () => {
    server = await startTestApp(target);
    const created = await server.graphql(`mutation { createUser(input: { username: "bob", password: "bob-password-123" }) { id } }`);
    bob = { id: created.data!.createUser.id, token: await login(server.url, 'bob', 'bob-password-123') };
  });
  afterAll(() => server?.close());

  it('lists the providers and their fields for any user, as the config inputs take them', async () => {
    const listed = await asBob(`{ cloudCredentialProviders { name provider displayName configField fields { name secret required default } } }`);
    expect(listed.errors).toBeUndefined();
    const answer = listed.data!.cloudCredentialProviders as Array<{
      name: string;
      provider: string;
      configField: string;
      fields: Array<{ name: string; secret: boolean; required: boolean; default: string | null }>;
    }>;
    expect(answer.map((provider) => provider.name)).toEqual(providers.map(([name]) => name));
    // `name` is Rancher's spelling (the config field's prefix); `provider` the enum value credentials show.
    expect(answer.map((provider) => provider.provider)).toEqual(providers.map(([name]) => name.toUpperCase()));
    expect(answer[0]).toEqual({
      name: 'amazonec2',
      provider: 'AMAZONEC2',
      displayName: 'Amazon EC2',
      configField: 'amazonec2credentialConfig',
      fields: [
        { name: 'accessKey', secret: false, required: true, default: null },
        { name: 'secretKey', secret: true, required: true, default: null },
        { name: 'defaultRegion', secret: false, required: false, default: null },
      ],
    });
    // Every listed field is a field of the provider's input object, and no other.
    const inputs = await server.graphql(`{ __type(name: "CreateCloudCredentialInput") { inputFields { name type { name } } } }`);
    const typeOf = new Map((inputs.data!.__type.inputFields as Array<{ name: string; type: { name: string } }>).map((field) => [field.name, field.type.name]));
    for (const provider of answer) {
      const input = await server.graphql(`query($name: String!) { __type(name: $name) { inputFields { name } } }`, { name: typeOf.get(provider.configField) });
      expect(input.data!.__type.inputFields.map((field: { name: string }) => field.name).sort(), provider.name).toEqual(
        provider.fields.map((field) => field.name).sort(),
      );
    }
  });

  describe('creating', () => {
    it.each(providers)('stores a %s credential and returns its public fields, never its secrets', async (provider, config, shown) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ query: create, variables: { input: { name: `my ${provider}`, [`${provider}credentialConfig`]: config } } }),
      });
      const text = await response.text();
      expect(text).not.toMatch(/secret-/);
      const { data, errors } = JSON.parse(text);
      expect(errors).toBeUndefined();
      const credential = data.createCloudCredential;
      expect(credential).toMatchObject({ name: `my ${provider}`, provider: provider.toUpperCase(), [`${provider}credentialConfig`]: shown });
      expect(credential.id).toMatch(/^cattle-global-data:cc-[a-z0-9]{5}$/);
      // Only the credential's own provider has a config object.
      expect(Object.keys(credential).filter((key) => key.endsWith('credentialConfig') && credential[key] !== null)).toEqual([`${provider}credentialConfig`]);
    });

    it('binds a credential to its provider’s hosts unless given others', async () => {
      const result = await server.graphql(create, { input: { name: 'hosts', allowedHosts: ['api.example.org'], linodecredentialConfig: { token: 't' } } });
      expect(result.data!.createCloudCredential.allowedHosts).toEqual(['api.example.org']);
      const defaults = await server.graphql(create, { input: { name: 'default hosts', digitaloceancredentialConfig: { accessToken: 't' } } });
      expect(defaults.data!.createCloudCredential.allowedHosts).toEqual(['api.digitalocean.com']);
    });

    it.each([
      [{ name: 'none' }, 'credentialConfig'],
      [{ name: 'two', linodecredentialConfig: { token: 't' }, digitaloceancredentialConfig: { accessToken: 't' } }, 'credentialConfig'],
      [{ name: 'half', amazonec2credentialConfig: { accessKey: 'only' } }, 'amazonec2credentialConfig.secretKey'],
      [{ name: 'empty secret', linodecredentialConfig: { token: '' } }, 'linodecredentialConfig.token'],
      [{ name: 'no endpoint', genericcredentialConfig: { token: 't' } }, 'genericcredentialConfig.endpoint'],
      [{ name: 'broad', allowedHosts: ['*.com'], linodecredentialConfig: { token: 't' } }, 'allowedHosts'],
      [{ name: '', linodecredentialConfig: { token: 't' } }, 'name'],
    ])('refuses %j naming %s', async (input, fieldName) => {
      const result = await server.graphql(create, { input });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName });
    });
  });

  describe('updating and deleting', () => {
    it('changes names and secrets, keeps secrets not given, and never changes the provider', async () => {
      const { id } = (await server.graphql(create, { input: { name: 'aws', amazonec2credentialConfig: { accessKey: 'A1', secretKey: 'S1' } } })).data!
        .createCloudCredential;
      const update = `mutation($id: ID!, $input: UpdateCloudCredentialInput!) { updateCloudCredential(id: $id, input: $input) { ${fields} } }`;
      const renamed = await server.graphql(update, { id, input: { name: 'aws renamed', amazonec2credentialConfig: { defaultRegion: 'eu-west-1' } } });
      expect(renamed.data!.updateCloudCredential).toMatchObject({
        name: 'aws renamed',
        amazonec2credentialConfig: { accessKey: 'A1', defaultRegion: 'eu-west-1', secretKeySet: true },
      });
      expect((await server.app.database.prisma.cloudCredential.findUniqueOrThrow({ where: { id } })).sealedFields).toHaveProperty('secretKey');
      const other = await server.graphql(update, { id, input: { linodecredentialConfig: { token: 'x' } } });
      expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'linodecredentialConfig' });
    });

    it('refuses to delete a credential a cluster uses, then deletes it', async () => {
      const { id } = (await server.graphql(create, { input: { name: 'in use', linodecredentialConfig: { token: 't' } } })).data!.createCloudCredential;
      const cluster = await server.graphql(`mutation($id: ID!) { createCluster(input: { name: "uses-cc", cloudCredentialId: $id }) { id } }`, { id });
      const remove = `mutation($id: ID!) { deleteCloudCredential(id: $id) { id name } }`;
      expect((await server.graphql(remove, { id })).errors?.[0]?.extensions?.code).toBe('METHOD_NOT_ALLOWED');
      await server.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id: cluster.data!.createCluster.id });
      expect((await server.graphql(remove, { id })).data!.deleteCloudCredential).toEqual({ id, name: 'in use' });
      expect(await server.graphql(`query($id: ID!) { cloudCredential(id: $id) { id } }`, { id })).toEqual({ data: { cloudCredential: null } });
    });
  });

  describe('visibility', () => {
    let adminsId: string;
    let bobsId: string;
    beforeAll(async () => {
      adminsId = (await server.graphql(create, { input: { name: 'admin only', linodecredentialConfig: { token: 't' } } })).data!.createCloudCredential.id;
      bobsId = (await asBob(create, { input: { name: 'bobs', digitaloceancredentialConfig: { accessToken: 't' } } })).data!.createCloudCredential.id;
    });

    it('lists and counts only the caller’s own credentials for a user', async () => {
      const result = await asBob(`{ cloudCredentials { totalCount edges { node { id ownerId } } } }`);
      expect(result.data!.cloudCredentials).toEqual({ totalCount: 1, edges: [{ node: { id: bobsId, ownerId: bob.id } }] });
    });

    it('shows everyone’s to an admin, filterable by owner and provider', async () => {
      const result = await server.graphql(
        `query($owner: String!) { cloudCredentials(filter: { ownerId: { eq: $owner }, provider: { eq: DIGITALOCEAN } }) { totalCount edges { node { id } } } }`,
        { owner: bob.id },
      );
      expect(result.data!.cloudCredentials).toEqual({ totalCount: 1, edges: [{ node: { id: bobsId } }] });
    });

    it('answers NOT_FOUND for someone else’s credential, whatever the operation', async () => {
      for (const operation of [
        `query($id: ID!) { cloudCredential(id: $id) { id } }`,
        `mutation($id: ID!) { updateCloudCredential(id: $id, input: { name: "mine now" }) { id } }`,
        `mutation($id: ID!) { deleteCloudCredential(id: $id) { id } }`,
      ]) {
        expectHidden(await asBob(operation, { id: adminsId }), operation);
      }
      expect((await asBob(`query($id: ID!) { node(id: $id) { id } }`, { id: adminsId })).data?.node ?? null).toBeNull();
    });

    it('refuses keys scoped to a cluster', async () => {
      const cluster = await server.graphql(`mutation { createCluster(input: { name: "scope-for-cc" }) { id } }`);
      const key = await server.graphql(`mutation($id: ID!) { createToken(input: { clusterId: $id }) { token } }`, { id: cluster.data!.createCluster.id });
      const scoped = key.data!.createToken.token as string;
      expect((await graphqlAs(server.url, scoped, `{ cloudCredentials { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('PERMISSION_DENIED');
      expect(
        (await graphqlAs(server.url, scoped, create, { input: { name: 'x', linodecredentialConfig: { token: 't' } } })).errors?.[0]?.extensions?.code,
      ).toBe('PERMISSION_DENIED');
    });
  });

  describe('through /v3', () => {
    it('describes secrets as write-only passwords inside the provider configs', async () => {
      const schema = (await v3(server, 'GET', '/v3/schemas/cloudcredential')).body;
      expect(schema).toMatchObject({ id: 'cloudCredential', collectionMethods: ['GET', 'POST'], resourceMethods: ['GET', 'PUT', 'DELETE'] });
      expect(schema.resourceFields.name).toMatchObject({ type: 'string', required: true, create: true, update: true });
      expect(schema.resourceFields.amazonec2credentialConfig).toMatchObject({ type: 'amazonec2credentialConfig', create: true, update: true });
      expect(schema.resourceFields.provider).toMatchObject({ type: 'enum', options: expect.arrayContaining(['amazonec2', 'linode']) });
      const config = (await v3(server, 'GET', '/v3/schemas/amazonec2credentialConfig')).body;
      expect(config.resourceFields.secretKey).toMatchObject({ type: 'password', writeOnly: true, create: true, update: true });
      expect(config.resourceFields.accessKey).toMatchObject({ type: 'string', create: true });
      expect(Object.keys(schema.collectionFilters).sort()).toEqual(['created', 'description', 'id', 'name', 'ownerId', 'provider']);
    });

    it('creates, reads, lists, updates and deletes without ever returning a secret', async () => {
      const raw = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: { accept: 'application/json', authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        expect(text).not.toContain('v3-secret');
        return { status: response.status, body: JSON.parse(text) };
      };
      const created = await raw('POST', '/v3/cloudcredentials', { name: 'via v3', amazonec2credentialConfig: { accessKey: 'AK', secretKey: 'v3-secret-1' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        type: 'cloudCredential',
        name: 'via v3',
        provider: 'amazonec2',
        ownerId: bob.id,
        amazonec2credentialConfig: { accessKey: 'AK', secretKeySet: true },
      });
      const id = created.body.id as string;
      expect((await raw('GET', `/v3/cloudcredentials/${id}`)).body).toMatchObject({ id, name: 'via v3' });
      const list = await raw('GET', '/v3/cloudcredentials?provider=amazonec2');
      expect(list.body.data.map((item: { id: string }) => item.id)).toEqual([id]);
      const updated = await raw('PUT', `/v3/cloudcredentials/${id}`, { description: 'rotated', amazonec2credentialConfig: { secretKey: 'v3-secret-2' } });
      expect(updated.body).toMatchObject({ description: 'rotated', amazonec2credentialConfig: { accessKey: 'AK', secretKeySet: true } });
      expect((await raw('DELETE', `/v3/cloudcredentials/${id}`)).status).toBe(200);
      expect((await raw('GET', `/v3/cloudcredentials/${id}`)).status).toBe(404);
    });

    it('answers 422 naming the field, and 404 for someone else’s credential', async () => {
      const missing = await v3(server, 'POST', '/v3/cloudcredentials', { amazonec2credentialConfig: { accessKey: 'AK', secretKey: 'x' } });
      expect(missing).toMatchObject({ status: 422, body: { code: 'MissingRequired', fieldName: 'name' } });
      const half = await v3(server, 'POST', '/v3/cloudcredentials', { name: 'half', amazonec2credentialConfig: { accessKey: 'AK' } });
      expect(half).toMatchObject({ status: 422, body: { fieldName: 'amazonec2credentialConfig.secretKey' } });
      const adminsOwn = (await server.graphql(create, { input: { name: 'hidden', linodecredentialConfig: { token: 't' } } })).data!.createCloudCredential.id;
      expect((await v3({ url: server.url, token: bob.token }, 'GET', `/v3/cloudcredentials/${adminsOwn}`)).status).toBe(404);
    });
  });
});
