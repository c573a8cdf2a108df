import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, generateKey } from '../../src/crypto/secret-box.js';
import { CloudCredentialService } from '../../src/services/cloud-credentials.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

describe.each(databaseTargets)('cloud credentials (service) on $name', (target) => {
  let server: TestApp;
  let credentials: CloudCredentialService;
  let ownerId: string;
  beforeAll(async () => {
    server = await startTestApp(target);
    credentials = new CloudCredentialService(server.app.database.prisma, createSecretBox([generateKey()]));
    ownerId = (await server.app.database.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } })).id;
  });
  afterAll(() => server?.close());

  const amazon = { accessKey: 'AKIAEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG', defaultRegion: 'us-west-2' };

  it('keeps public fields in clear, seals the secret ones, and binds them to the provider’s hosts', async () => {
    const created = await credentials.create({ name: 'aws', configs: { amazonec2credentialConfig: amazon } }, ownerId);
    expect(created.id).toMatch(/^cattle-global-data:cc-[a-z0-9]{5}$/);
    expect(created.publicFields).toEqual({ accessKey: 'AKIAEXAMPLE', defaultRegion: 'us-west-2' });
    expect(JSON.stringify(created)).not.toContain('wJalrXUtnFEMI');
    expect(created.allowedHosts).toEqual(['*.amazonaws.com', '*.amazonaws.com.cn', '*.api.aws']);
    const rows = await server.app.database.prisma.$queryRawUnsafe<Array<{ text: string }>>(
      `SELECT row_to_json(c)::text AS text FROM "CloudCredential" c WHERE id = '${created.id}'`,
    );
    expect(rows[0]!.text).not.toContain('wJalrXUtnFEMI');
    expect(await credentials.fieldsForSigning(created.id)).toEqual({ ownerId, fields: amazon, allowedHosts: created.allowedHosts });
  });

  it('changes a secret only when one is given, and never the provider', async () => {
    const created = await credentials.create({ name: 'do', configs: { digitaloceancredentialConfig: { accessToken: 'first-token' } } }, ownerId);
    await credentials.update(created.id, { description: 'renamed' });
    expect((await credentials.fieldsForSigning(created.id))!.fields.accessToken).toBe('first-token');
    await credentials.update(created.id, { configs: { digitaloceancredentialConfig: { accessToken: 'second-token' } } });
    expect((await credentials.fieldsForSigning(created.id))!.fields.accessToken).toBe('second-token');
    await expect(credentials.update(created.id, { configs: { linodecredentialConfig: { token: 'x' } } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it.each([
    [{}, 'credentialConfig'],
    [{ amazonec2credentialConfig: amazon, linodecredentialConfig: { token: 't' } }, 'credentialConfig'],
    [{ amazonec2credentialConfig: { accessKey: 'only-half' } }, 'amazonec2credentialConfig.secretKey'],
    [{ nosuchcredentialConfig: { a: 'b' } }, 'nosuchcredentialConfig'],
  ])('refuses configs %j on %s', async (configs, fieldName) => {
    await expect(credentials.create({ name: 'bad', configs }, ownerId)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { fieldName } });
  });

  it('refuses allowed hosts that are too broad', async () => {
    await expect(
      credentials.create({ name: 'broad', allowedHosts: ['*.com'], configs: { linodecredentialConfig: { token: 't' } } }, ownerId),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { fieldName: 'allowedHosts' },
    });
  });

  it('cannot be deleted while a cluster or machine pool uses it, then can', async () => {
    const { id } = await credentials.create({ name: 'in-use', configs: { linodecredentialConfig: { token: 't' } } }, ownerId);
    const pool = {
      name: 'p',
      quantity: 1,
      etcdRole: true,
      controlPlaneRole: true,
      workerRole: true,
      machineConfigRef: { kind: 'LinodeConfig', name: 'nc' },
      cloudCredentialId: id,
    };
    const cluster = await server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`, {
      input: { name: 'uses-credential', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', machinePools: [pool] },
    });
    expect(await credentials.inUse(id)).toBe(true);
    await expect(credentials.delete(id)).rejects.toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    await server.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id: cluster.data!.createCluster.id });
    expect(await credentials.inUse(id)).toBe(false);
    await credentials.delete(id);
    expect(await credentials.fieldsForSigning(id)).toBeUndefined();
  });

  it('goes when its owner goes (no orphaned secrets)', async () => {
    const user = await server.app.database.prisma.user.create({ data: { id: 'u-gone1', username: 'leaver', passwordHash: 'x' } });
    const { id } = await credentials.create({ name: 'theirs', configs: { linodecredentialConfig: { token: 't' } } }, user.id);
    await server.app.database.prisma.user.delete({ where: { id: user.id } });
    expect(await credentials.fieldsForSigning(id)).toBeUndefined();
  });
});
