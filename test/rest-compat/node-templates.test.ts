import { describe, expect, it } from 'vitest';
import { serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * Issue 13, item 5: node templates (a driver's config object per built-in driver, with
 * write-only secrets, checked cloud credential, engine options) and node pools (unique
 * hostname prefix per cluster), and a node driver's deactivation where its templates
 * are offered.
 */
describe.each(databaseTargets)('/v3 node templates and node pools on $name', (target) => {
  const suite = serverWithPlace(target);

  it('describes each built-in driver’s config as <driver>config, secret fields write-only', async () => {
    for (const driver of ['amazonec2', 'azure', 'digitalocean', 'linode', 'vmwarevsphere']) {
      const { status } = await v3(suite.server, 'GET', `/v3/schemas/${driver}config`);
      expect(status, driver).toBe(200);
    }
    const amazon = await v3(suite.server, 'GET', '/v3/schemas/amazonec2config');
    expect(amazon.body.resourceFields).toMatchObject({
      secretKey: { type: 'password', writeOnly: true },
      region: { type: 'string' },
      securityGroup: { type: 'array[string]' },
      requestSpotInstance: { type: 'boolean' },
    });
    expect(amazon.body.resourceFields.region.description).toContain('Default: us-east-1.');
    const template = await v3(suite.server, 'GET', '/v3/schemas/nodeTemplate');
    expect(template.body.resourceFields).toMatchObject({
      amazonec2Config: { type: 'amazonec2config' },
      cloudCredentialId: { type: 'reference[cloudCredential]' },
    });
    const pool = await v3(suite.server, 'GET', '/v3/schemas/nodePool');
    expect(pool.body.resourceFields).toMatchObject({ nodeTemplateId: { type: 'reference[nodeTemplate]' }, hostnamePrefix: { required: true } });
  });

  it('stores a template with its driver’s defaults, never returning a secret', async () => {
    const created = await v3(suite.server, 'POST', '/v3/nodetemplates', {
      name: 'aws-small',
      amazonec2Config: { accessKey: 'AKIAEXAMPLE', secretKey: 'aws-secret-value', region: 'eu-west-1', securityGroup: ['rancher-nodes'] },
      engineInsecureRegistry: ['registry.local:5000'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'nodeTemplate',
      driver: 'amazonec2',
      state: 'active',
      engineInstallURL: 'https://releases.rancher.com/install-docker/20.10.sh',
      engineInsecureRegistry: ['registry.local:5000'],
      useInternalIpAddress: true,
      amazonec2Config: {
        accessKey: 'AKIAEXAMPLE',
        region: 'eu-west-1',
        instanceType: 't3a.medium',
        rootSize: '16',
        securityGroup: ['rancher-nodes'],
        sshUser: 'ubuntu',
      },
    });
    expect(created.body.id).toMatch(/^cattle-global-nt:nt-[a-z0-9]{5}$/);
    expect(created.body.linodeConfig).toBeNull();
    expect(JSON.stringify(created.body)).not.toContain('aws-secret-value');
    const row = await suite.server.app.database.prisma.nodeTemplate.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(row)).not.toContain('aws-secret-value');

    const updated = await v3(suite.server, 'PUT', `/v3/nodetemplates/${created.body.id}`, { amazonec2Config: { instanceType: 't3a.large' } });
    expect(updated.body.amazonec2Config).toMatchObject({ instanceType: 't3a.large', region: 'eu-west-1' });
    const other = await v3(suite.server, 'PUT', `/v3/nodetemplates/${created.body.id}`, { linodeConfig: { region: 'eu-west' } });
    expect(other.body).toMatchObject({ status: 422, fieldName: 'linodeConfig' });
  });

  it('refuses templates without exactly one config, or naming a cloud credential the caller cannot use', async () => {
    expect((await v3(suite.server, 'POST', '/v3/nodetemplates', { name: 'none' })).body).toMatchObject({ status: 422, code: 'MissingRequired' });
    const two = await v3(suite.server, 'POST', '/v3/nodetemplates', { name: 'two', linodeConfig: {}, digitaloceanConfig: {} });
    expect(two.body).toMatchObject({ status: 422, code: 'InvalidFormat' });
    const credential = await v3(suite.server, 'POST', '/v3/nodetemplates', { name: 'cc', linodeConfig: {}, cloudCredentialId: 'cattle-global-data:cc-nope1' });
    expect(credential.body).toMatchObject({ status: 422, code: 'InvalidReference', fieldName: 'cloudCredentialId' });
  });

  it('keeps hostname prefixes unique per cluster and templates in use', async () => {
    const template = await v3(suite.server, 'POST', '/v3/nodetemplates', { name: 'do', digitaloceanConfig: { region: 'fra1' } });
    const pool = { clusterId: suite.place.clusterId, hostnamePrefix: 'workers-', nodeTemplateId: template.body.id, quantity: 3, worker: true };
    const created = await v3(suite.server, 'POST', '/v3/nodepools', pool);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hostnamePrefix: 'workers-', quantity: 3, worker: true, etcd: false, controlPlane: false, deleteNotReadyAfterSecs: 0 });
    expect(created.body.id).toMatch(new RegExp(`^${suite.place.clusterId}:np-[a-z0-9]{5}$`));
    const again = await v3(suite.server, 'POST', '/v3/nodepools', pool);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'AlreadyExists', fieldName: 'hostnamePrefix' });
    const cluster = await v3(suite.server, 'GET', `/v3/clusters/${suite.place.clusterId}`);
    const listed = await v3(suite.server, 'GET', new URL(cluster.body.links.nodePools).pathname);
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    const drained = await v3(suite.server, 'PUT', `/v3/nodepools/${created.body.id}`, { drainBeforeDelete: true, nodeDrainInput: { timeout: 60 } });
    expect(drained.body).toMatchObject({ drainBeforeDelete: true, nodeDrainInput: { timeout: 60, ignoreDaemonSets: true, gracePeriod: -1 } });
    expect((await v3(suite.server, 'DELETE', `/v3/nodetemplates/${template.body.id}`)).status).toBe(405);
    expect((await v3(suite.server, 'DELETE', `/v3/nodepools/${created.body.id}`)).status).toBe(200);
    expect((await v3(suite.server, 'DELETE', `/v3/nodetemplates/${template.body.id}`)).status).toBe(200);
  });

  it('offers a deactivated driver’s templates to nothing new, and says so on them', async () => {
    const template = await v3(suite.server, 'POST', '/v3/nodetemplates', {
      name: 'vsphere',
      vmwarevsphereConfig: { vcenter: 'vc.example.com', password: 'vc-secret' },
    });
    expect(template.body.state).toBe('active');
    expect((await v3(suite.server, 'POST', '/v3/nodeDrivers/vmwarevsphere?action=deactivate', {})).status).toBe(200);
    try {
      expect((await v3(suite.server, 'GET', `/v3/nodetemplates/${template.body.id}`)).body.state).toBe('inactive');
      const refused = await v3(suite.server, 'POST', '/v3/nodetemplates', { name: 'vsphere-2', vmwarevsphereConfig: {} });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'InvalidReference', fieldName: 'vmwarevsphereConfig' });
      expect(refused.body.message).toContain('node driver "vmwarevsphere" is not active');
      const pool = await v3(suite.server, 'POST', '/v3/nodepools', {
        clusterId: suite.place.clusterId,
        hostnamePrefix: 'vs',
        nodeTemplateId: template.body.id,
      });
      expect(pool.body).toMatchObject({ status: 422, code: 'InvalidReference', fieldName: 'nodeTemplateId' });
    } finally {
      await v3(suite.server, 'POST', '/v3/nodeDrivers/vmwarevsphere?action=activate', {});
    }
  });
});
