import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * An optional reference can be set back to none on every face: a blank value (what a
 * form leaves when nothing is chosen) clears it, on /v3 so does null and a replacing
 * PUT that leaves it out; a GraphQL null leaves it as it is. Once nothing uses a cloud
 * credential any more, it can be deleted.
 */
describe.each(databaseTargets)('clearing a cloud credential reference on $name', (target) => {
  let server: TestApp;
  let credentialId: string;
  beforeAll(async () => {
    server = await startTestApp(target);
    const credential = await v3(server, 'POST', '/v3/cloudcredentials', { name: 'do', digitaloceancredentialConfig: { accessToken: 'clearing-token' } });
    credentialId = credential.body.id;
  });
  afterAll(() => server?.close());

  const credentialOf = async (path: string) => (await v3(server, 'GET', path)).body.cloudCredentialId;

  it('clears a cluster’s on /v3 with "", with null and with a replacing PUT that leaves it out', async () => {
    const { body: cluster } = await v3(server, 'POST', '/v3/clusters', { name: 'clearing', cloudCredentialId: credentialId });
    const path = `/v3/clusters/${cluster.id}`;
    expect(cluster.cloudCredentialId).toBe(credentialId);
    for (const [how, method, url, body] of [
      ['blank', 'PUT', path, { cloudCredentialId: '' }],
      ['null', 'PUT', path, { cloudCredentialId: null }],
      ['left out of a replacement', 'PUT', `${path}?_replace=true`, { name: 'clearing' }],
    ] as const) {
      expect((await v3(server, 'PUT', path, { cloudCredentialId: credentialId })).body.cloudCredentialId, how).toBe(credentialId);
      const cleared = await v3(server, method, url, body);
      expect(cleared.status, how).toBe(200);
      expect(cleared.body.cloudCredentialId, how).toBeNull();
      expect(await credentialOf(path), how).toBeNull();
    }
    // A plain PUT without the field leaves it as it is.
    await v3(server, 'PUT', path, { cloudCredentialId: credentialId });
    expect((await v3(server, 'PUT', path, { description: 'kept' })).body.cloudCredentialId).toBe(credentialId);
    await v3(server, 'DELETE', path);
  });

  it('clears a cluster’s through GraphQL with "", and leaves it for null', async () => {
    const { data } = await server.graphql(`mutation($c: ID!) { createCluster(input: { name: "clearing-gql", cloudCredentialId: $c }) { id } }`, {
      c: credentialId,
    });
    const id = data!.createCluster.id as string;
    const update = (value: string | null) =>
      server.graphql(`mutation($id: ID!, $c: ID) { updateCluster(id: $id, input: { cloudCredentialId: $c }) { cloudCredentialId } }`, { id, c: value });
    expect((await update(null)).data!.updateCluster.cloudCredentialId).toBe(credentialId);
    expect((await update('')).data!.updateCluster.cloudCredentialId).toBeNull();
    await server.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id });
  });

  it('clears a provisioning cluster’s spec.cloudCredentialSecretName on /v1 with ""', async () => {
    const object = (secret: string) => ({
      apiVersion: 'provisioning.cattle.io/v1',
      kind: 'Cluster',
      metadata: { name: 'clearing-v1', namespace: 'fleet-default' },
      spec: { cloudCredentialSecretName: secret },
    });
    const created = await v3(server, 'POST', '/v1/provisioning.cattle.io.clusters', object(credentialId));
    expect(created.body.spec.cloudCredentialSecretName).toBe(credentialId);
    const cleared = await v3(server, 'PUT', '/v1/provisioning.cattle.io.clusters/fleet-default/clearing-v1', object(''));
    expect(cleared.status).toBe(200);
    expect(cleared.body.spec.cloudCredentialSecretName).toBeUndefined();
    await v3(server, 'DELETE', '/v1/provisioning.cattle.io.clusters/fleet-default/clearing-v1');
  });

  it('clears a node template’s on /v3, after which the credential can be deleted', async () => {
    const { body: template } = await v3(server, 'POST', '/v3/nodetemplates', {
      name: 'clearing',
      digitaloceanConfig: { region: 'fra1' },
      cloudCredentialId: credentialId,
    });
    const path = `/v3/nodetemplates/${template.id}`;
    expect(template.cloudCredentialId).toBe(credentialId);
    const inUse = await v3(server, 'DELETE', `/v3/cloudcredentials/${credentialId}`);
    expect(inUse.status).toBeGreaterThanOrEqual(400);

    const cleared = await v3(server, 'PUT', path, { cloudCredentialId: '' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.cloudCredentialId).toBeNull();
    await v3(server, 'PUT', path, { cloudCredentialId: credentialId });
    expect((await v3(server, 'PUT', `${path}?_replace=true`, { name: 'clearing', digitaloceanConfig: {} })).body.cloudCredentialId).toBeNull();

    expect((await v3(server, 'DELETE', `/v3/cloudcredentials/${credentialId}`)).status).toBe(200);
  });
});
