import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../auth/helpers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/** The agent-image setting's default is tagged with this server's version. */
const version: string = createRequire(import.meta.url)('../../package.json').version;

/** Rancher's token: 54 of its unambiguous characters. */
const rancherToken = /^[bcdfghjklmnpqrstvwxz2456789]{54}$/;

/**
 * Cluster registration tokens as Rancher's clients use them: Terraform's rancher2 provider
 * reads `<clusterId>:default-token` for every cluster it manages (creating it when it is
 * missing, then waiting for `active` and for `command` and `nodeCommand`), scripts print its
 * commands. Before this type, the provider's Go client found no `clusterRegistrationToken`
 * schema and every read of a `rancher2_cluster` failed.
 */
describe.each(databaseTargets)('cluster registration tokens on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  async function newCluster(body: Record<string, unknown> = {}): Promise<string> {
    const made = await v3(server, 'POST', '/v3/clusters', { name: `reg-${Math.random().toString(36).slice(2, 8)}`, ...body });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  }

  async function setting(id: string, value: string): Promise<void> {
    const changed = await v3(server, 'PUT', `/v3/settings/${id}`, { value });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  }

  it('gives every new cluster an active default-token with Rancher’s commands for it', async () => {
    const clusterId = await newCluster();
    const read = await v3(server, 'GET', `/v3/clusterregistrationtokens/${clusterId}:default-token`);
    expect(read.status).toBe(200);
    const token = read.body.token as string;
    expect(token).toMatch(rancherToken);
    const manifestUrl = `${server.url}/v3/import/${token}_${clusterId}.yaml`;
    expect(read.body).toMatchObject({
      type: 'clusterRegistrationToken',
      id: `${clusterId}:default-token`,
      name: 'default-token',
      clusterId,
      namespaceId: clusterId,
      state: 'active',
      manifestUrl,
      command: `kubectl apply -f ${manifestUrl}`,
      insecureCommand: `curl --insecure -sfL ${manifestUrl} | kubectl apply -f -`,
      // An imported cluster's nodes run the agent in Docker, as Rancher's non-RKE2 clusters do.
      nodeCommand: `sudo docker run -d --privileged --restart=unless-stopped --net=host -v /etc/kubernetes:/etc/kubernetes -v /var/run:/var/run rancher/rancher-agent:v${version} --server ${server.url} --token ${token}`,
      insecureNodeCommand: '',
      windowsNodeCommand: `PowerShell -NoLogo -NonInteractive -Command "& {docker run -v c:\\:c:\\host rancher/rancher-agent:v${version} bootstrap --server ${server.url} --token ${token} | iex}"`,
      insecureWindowsNodeCommand: '',
      links: { cluster: `${server.url}/v3/clusters/${clusterId}` },
    });
    // Rancher serves the agent's manifest there to anyone holding the token; no agent connects to this server, so it serves none.
    const manifest = await fetch(manifestUrl);
    expect(manifest.status).toBe(404);
    expect(await manifest.json()).toMatchObject({
      type: 'error',
      code: 'NotFound',
      message: 'this server serves no cluster agent manifest: no agent connects to it',
    });
    // Each cluster's secret is its own.
    const other = await v3(server, 'GET', `/v3/clusterregistrationtokens/${await newCluster()}:default-token`);
    expect(other.body.token).not.toBe(token);
  });

  it('answers Terraform’s lookup of a missing token with Norman’s 404, and makes it on its POST', async () => {
    const clusterId = await newCluster();
    const id = `${clusterId}:default-token`;
    const { body: before } = await v3(server, 'GET', `/v3/clusterregistrationtokens/${id}`);
    expect((await v3(server, 'DELETE', `/v3/clusterregistrationtokens/${id}`)).status).toBe(200);

    const missing = await v3(server, 'GET', `/v3/clusterregistrationtokens/${id}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: 'error', status: 404, code: 'NotFound' });

    // The provider's create: the cluster and the name, nothing else.
    const made = await v3(server, 'POST', '/v3/clusterregistrationtokens', { clusterId, name: 'default-token' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ id, state: 'active', clusterId });
    expect(made.body.token).toMatch(rancherToken);
    // A deleted token is revoked: the new one has a new secret.
    expect(made.body.token).not.toBe(before.token);
    expect(String(made.body.command)).toContain(String(made.body.token));
    expect(String(made.body.nodeCommand)).toContain(`--token ${made.body.token}`);
  });

  it('makes `crt-` tokens when no name is given, lists them by cluster, and refuses a name taken or malformed', async () => {
    const clusterId = await newCluster();
    const made = await v3(server, 'POST', '/v3/clusterregistrationtokens', { clusterId, labels: { purpose: 'ci' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.id).toMatch(new RegExp(`^${clusterId}:crt-[a-z0-9]{5}$`));
    expect(made.body.labels).toEqual({ purpose: 'ci' });

    const listed = await v3(server, 'GET', `/v3/clusterregistrationtokens?clusterId=${clusterId}&sort=name`);
    expect((listed.body.data as Array<{ id: string }>).map((token) => token.id)).toEqual([made.body.id, `${clusterId}:default-token`]);

    const taken = await v3(server, 'POST', '/v3/clusterregistrationtokens', { clusterId, name: 'default-token' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'AlreadyExists', fieldName: 'name' });
    const malformed = await v3(server, 'POST', '/v3/clusterregistrationtokens', { clusterId, name: 'Not A Label' });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toMatchObject({ code: 'InvalidFormat', fieldName: 'name' });
    const nowhere = await v3(server, 'POST', '/v3/clusterregistrationtokens', { clusterId: 'c-nowhere' });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body).toMatchObject({ fieldName: 'clusterId' });
  });

  it('changes a token’s labels and annotations on PUT, never its secret', async () => {
    const clusterId = await newCluster();
    const id = `${clusterId}:default-token`;
    const { body: before } = await v3(server, 'GET', `/v3/clusterregistrationtokens/${id}`);
    const put = await v3(server, 'PUT', `/v3/clusterregistrationtokens/${id}`, { ...before, token: 'chosen-by-the-caller', labels: { team: 'platform' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ labels: { team: 'platform' }, token: before.token, command: before.command });
  });

  it('writes RKE2 and K3s clusters’ node commands for the system agent’s installer, with the cluster’s agent variables', async () => {
    const clusterId = await newCluster({
      driver: 'rke2',
      kubernetesVersion: 'v1.31.4+rke2r1',
      agentEnvVars: [
        { name: 'HTTP_PROXY', value: 'http://proxy.example.com:3128' },
        { name: 'UNSET', value: '' },
      ],
    });
    const { body } = await v3(server, 'GET', `/v3/clusterregistrationtokens/${clusterId}:default-token`);
    const registration = `--server ${server.url} --token ${body.token}`;
    expect(body.nodeCommand).toBe(`curl -fL ${server.url}/system-agent-install.sh | HTTP_PROXY="http://proxy.example.com:3128" sh -s - ${registration}`);
    expect(body.insecureNodeCommand).toBe(
      `curl --insecure -fL ${server.url}/system-agent-install.sh | HTTP_PROXY="http://proxy.example.com:3128" sh -s - ${registration}`,
    );
  });

  it('addresses the commands to the server-url setting’s origin and pulls the agent-image from the system-default-registry', async () => {
    const clusterId = await newCluster();
    await setting('server-url', 'https://rancher.example.com:8443/ignored/path');
    await setting('agent-image', 'rancher/rancher-agent:v2.10.1');
    await setting('system-default-registry', 'registry.example.com/');
    try {
      const { body } = await v3(server, 'GET', `/v3/clusterregistrationtokens/${clusterId}:default-token`);
      expect(body.manifestUrl).toBe(`https://rancher.example.com:8443/v3/import/${body.token}_${clusterId}.yaml`);
      expect(body.nodeCommand).toContain(` registry.example.com/rancher/rancher-agent:v2.10.1 --server https://rancher.example.com:8443 --token ${body.token}`);
    } finally {
      await setting('server-url', '');
      await setting('agent-image', '');
      await setting('system-default-registry', '');
    }
  });

  it('shows a cluster’s tokens only to those who may change it, and removes them with it', async () => {
    const clusterId = await newCluster();
    const member = await signUp(server, `member-${target.name}`);
    const bound = await v3(server, 'POST', '/v3/clusterroletemplatebindings', { clusterId, userId: member.id, roleTemplateId: 'cluster-member' });
    expect(bound.status, JSON.stringify(bound.body)).toBe(201);
    const asMember = { url: server.url, token: member.token };
    // The member reads the cluster, not its credential.
    expect((await v3(asMember, 'GET', `/v3/clusters/${clusterId}`)).status).toBe(200);
    expect((await v3(asMember, 'GET', `/v3/clusterregistrationtokens/${clusterId}:default-token`)).status).toBe(404);
    expect((await v3(asMember, 'GET', `/v3/clusterregistrationtokens?clusterId=${clusterId}`)).body.data).toEqual([]);
    expect((await v3(asMember, 'POST', '/v3/clusterregistrationtokens', { clusterId })).status).toBe(403);

    expect((await v3(server, 'DELETE', `/v3/clusters/${clusterId}`)).status).toBe(200);
    expect((await v3(server, 'GET', `/v3/clusterregistrationtokens?clusterId=${clusterId}`)).body.data).toEqual([]);
  });
});
