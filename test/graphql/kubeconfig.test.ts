import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';
import { createKey, expectGraphQLError, signUp } from '../auth/helpers.js';

interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: Array<{ name: string; cluster: { server: string } }>;
  users: Array<{ name: string; user: { token: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  'current-context': string;
}

const generate = `mutation($id: ID!) { generateClusterKubeconfig(id: $id) { config } }`;

describe.each(databaseTargets)('generateClusterKubeconfig on $name', (target) => {
  let server: TestApp;
  let home: string;
  let away: string;
  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = async (name: string) =>
      (await server.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })).data!.createCluster.id as string;
    home = await cluster('kube-home');
    away = await cluster('kube-away');
  });
  afterAll(() => server?.close());

  const kubeconfigAs = async (token: string, id: string) => {
    const result = await graphqlAs(server.url, token, generate, { id });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return parse(result.data!.generateClusterKubeconfig.config as string) as Kubeconfig;
  };
  const tokenOf = (config: Kubeconfig) => config.users[0]!.user.token;

  it('returns a kubeconfig that points at the cluster through this server, with its context current', async () => {
    const config = await kubeconfigAs(server.token, home);
    expect(config).toMatchObject({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kube-home', cluster: { server: `${server.url}/k8s/clusters/${home}` } }],
      users: [{ name: 'kube-home', user: { token: expect.stringMatching(/^token-[a-z0-9]{5}:.+/) } }],
      contexts: [{ name: 'kube-home', context: { cluster: 'kube-home', user: 'kube-home' } }],
      'current-context': 'kube-home',
    });
  });

  it('uses the server-url setting when it is set', async () => {
    await server.graphql(`mutation { updateSetting(id: "server-url", input: { value: "https://rancher.example.com/" }) { value } }`);
    try {
      const config = await kubeconfigAs(server.token, home);
      expect(config.clusters[0]!.cluster.server).toBe(`https://rancher.example.com/k8s/clusters/${home}`);
    } finally {
      await server.graphql(`mutation { updateSetting(id: "server-url", input: { value: "" }) { value } }`);
    }
  });

  it('carries a new key scoped to the cluster: it sees that cluster and no other', async () => {
    const token = tokenOf(await kubeconfigAs(server.token, home));
    const clusters = await graphqlAs(server.url, token, `{ clusters { edges { node { id } } } }`);
    expect(clusters.data!.clusters.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([home]);
    expect((await v3({ url: server.url, token }, 'GET', `/v3/clusters/${away}`)).status).toBe(404);
    const key = await graphqlAs(server.url, server.token, `query($id: ID!) { token(id: $id) { clusterId userId isDerived } }`, { id: token.split(':')[0] });
    expect(key.data!.token).toMatchObject({ clusterId: home, isDerived: true });
  });

  it('never shows the secret again', async () => {
    const token = tokenOf(await kubeconfigAs(server.token, home));
    const id = token.split(':')[0]!;
    const read = await server.graphql(
      `query($id: ID!, $text: String!) { token(id: $id) { token } tokens(filter: { id: { eq: $text } }) { edges { node { token } } } }`,
      { id, text: id },
    );
    expect(read.data).toEqual({ token: { token: null }, tokens: { edges: [{ node: { token: null } }] } });
    const rest = await v3(server, 'GET', `/v3/tokens/${id}`);
    expect(rest.status).toBe(200);
    expect(JSON.stringify(rest.body)).not.toContain(token.split(':')[1]);
  });

  it('is the /v3 action generateKubeconfig, shown on the cluster', async () => {
    const cluster = await v3(server, 'GET', `/v3/clusters/${home}`);
    expect(cluster.body.actions.generateKubeconfig).toBe(`${server.url}/v3/clusters/${home}?action=generateKubeconfig`);
    const schema = await v3(server, 'GET', '/v3/schemas/cluster');
    expect(schema.body.resourceActions.generateKubeconfig).toEqual({ output: 'generateKubeConfigOutput' });
    const answer = await v3(server, 'POST', `/v3/clusters/${home}?action=generateKubeconfig`);
    expect(answer.status).toBe(200);
    const config = parse(answer.body.config as string) as Kubeconfig;
    expect((await v3({ url: server.url, token: tokenOf(config) }, 'GET', `/v3/clusters/${home}`)).status).toBe(200);
  });

  it('needs read access: a stranger gets NOT_FOUND, a cluster member gets a kubeconfig', async () => {
    const stranger = await signUp(server, 'kube-stranger');
    expectGraphQLError(await graphqlAs(server.url, stranger.token, generate, { id: home }), 'NOT_FOUND');
    expect((await v3({ url: server.url, token: stranger.token }, 'POST', `/v3/clusters/${home}?action=generateKubeconfig`)).status).toBe(404);

    const member = await signUp(server, 'kube-member');
    const bound = await server.graphql(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
      input: { clusterId: home, userId: member.id, roleTemplateId: 'cluster-member' },
    });
    expect(bound.errors).toBeUndefined();
    const token = tokenOf(await kubeconfigAs(member.token, home));
    const owner = await graphqlAs(server.url, token, `{ clusters { edges { node { id } } } }`);
    expect(owner.data!.clusters.edges).toEqual([{ node: { id: home } }]);
  });

  it('refuses keys scoped elsewhere: another cluster NOT_FOUND, a project PERMISSION_DENIED', async () => {
    const awayKey = await createKey(server, server.token, { clusterId: away });
    expectGraphQLError(await graphqlAs(server.url, awayKey.token, generate, { id: home }), 'NOT_FOUND');
    const homeKey = await createKey(server, server.token, { clusterId: home });
    expect(tokenOf(await kubeconfigAs(homeKey.token, home))).toMatch(/^token-/);

    const project = await server.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "kube-p" }) { id } }`, {
      clusterId: home,
    });
    const projectKey = await createKey(server, server.token, { projectId: project.data!.createProject.id });
    expectGraphQLError(await graphqlAs(server.url, projectKey.token, generate, { id: home }), 'PERMISSION_DENIED');
  });

  it('answers NOT_FOUND for an unknown cluster and UNAUTHORIZED without a credential', async () => {
    expectGraphQLError(await server.graphql(generate, { id: 'c-nope0' }), 'NOT_FOUND');
    const anonymous = await graphqlAs(server.url, undefined, generate, { id: home });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });
});
