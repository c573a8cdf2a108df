import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { buildWorld, type World } from './world.js';

/** A cluster may only name cloud credentials its author may use: their own, or any for admins. */
describe.each(databaseTargets)('cloud credentials named by clusters on $name', (target) => {
  let world: World;
  let adminsCredential: string;
  let ownersCredential: string;

  const credential = async (actor: 'admin' | 'owner', name: string) => {
    const result = await world.as(actor, `mutation($input: CreateCloudCredentialInput!) { createCloudCredential(input: $input) { id } }`, {
      input: { name, genericcredentialConfig: { endpoint: 'https://api.example.com', token: 'a-token' } },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.createCloudCredential.id as string;
  };
  const createCluster = (input: Record<string, unknown>) =>
    world.as('owner', `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`, { input });

  beforeAll(async () => {
    world = await buildWorld(await startTestApp(target));
    adminsCredential = await credential('admin', 'admins');
    ownersCredential = await credential('owner', 'olivias');
  }, 60_000);
  afterAll(() => world?.server.close());

  it('accepts the author’s own credential, as default and in a machine pool', async () => {
    const pool = {
      name: 'pool1',
      quantity: 1,
      etcdRole: true,
      controlPlaneRole: true,
      workerRole: true,
      machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-a' },
      cloudCredentialId: ownersCredential,
    };
    const result = await createCluster({
      name: 'with-own',
      driver: 'RKE2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      cloudCredentialId: ownersCredential,
      machinePools: [pool],
    });
    expect(result.errors).toBeUndefined();
  });

  it('refuses someone else’s credential as if it did not exist, naming the field', async () => {
    const asDefault = await createCluster({ name: 'with-others', cloudCredentialId: adminsCredential });
    expect(asDefault.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'cloudCredentialId' });
    const missing = await createCluster({ name: 'with-missing', cloudCredentialId: 'cattle-global-data:cc-nope0' });
    expect(missing.errors?.[0]?.message).toBe(asDefault.errors?.[0]?.message.replace(adminsCredential, 'cattle-global-data:cc-nope0'));
  });

  it('checks the credential etcd snapshots are copied to S3 with, on create and update, as Rancher’s cloudCredentialName', async () => {
    const withS3 = (cloudCredentialId: string) => ({ etcd: { snapshotRetention: 5, s3: { bucket: 'snapshots', cloudCredentialId } } });
    const own = await createCluster({ name: 's3-own', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', ...withS3(ownersCredential) });
    expect(own.errors).toBeUndefined();
    const others = await createCluster({ name: 's3-others', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', ...withS3(adminsCredential) });
    expect(others.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'etcd.s3.cloudCredentialId' });
    expect(others.errors?.[0]?.message).toBe(`cloud credential ${JSON.stringify(adminsCredential)} not found`);
    const updated = await world.as('owner', `mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { id } }`, {
      id: own.data!.createCluster.id,
      input: withS3(adminsCredential),
    });
    expect(updated.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'etcd.s3.cloudCredentialId' });
    // The owner sees the credential linked beside its id; the update changed nothing.
    const read = await world.as('owner', `query($id: ID!) { cluster(id: $id) { etcd { s3 { cloudCredentialId cloudCredential { id name } } } } }`, {
      id: own.data!.createCluster.id,
    });
    expect(read.data!.cluster.etcd.s3).toEqual({ cloudCredentialId: ownersCredential, cloudCredential: { id: ownersCredential, name: 'olivias' } });
  });

  it('checks the credentials of machine pools on update too', async () => {
    const created = await createCluster({ name: 'updated-later', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1' });
    const id = created.data!.createCluster.id as string;
    const pool = {
      name: 'pool1',
      quantity: 1,
      etcdRole: true,
      controlPlaneRole: true,
      workerRole: true,
      machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-a' },
      cloudCredentialId: adminsCredential,
    };
    const result = await world.as('owner', `mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { id } }`, {
      id,
      input: { machinePools: [pool] },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'machinePools.0.cloudCredentialId' });
  });
});
