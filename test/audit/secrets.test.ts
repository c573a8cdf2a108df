import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login } from '../helpers/app.js';
import { createPlace } from '../helpers/project-resources.js';
import { v3 } from '../rest-compat/helpers.js';
import { basic, secretOf } from '../auth/helpers.js';
import { startAuditedApp, type AuditedApp } from './helpers.js';
import type { Json } from '../helpers/json.js';

/**
 * At the most verbose level (3: request and response bodies), every kind of secret
 * is created through every face — and none of them reaches the audit log, neither
 * the JSON-lines file nor the table admins query.
 */
describe('audit log at level 3: no secret in it', () => {
  let server: AuditedApp;
  const secrets: string[] = [];
  const keep = (secret: string) => {
    expect(secret.length).toBeGreaterThan(8);
    secrets.push(secret);
    return secret;
  };

  beforeAll(async () => {
    server = await startAuditedApp({ name: 'pglite' }, 3);
    keep(secretOf(server.token));
    keep(server.adminPassword);
  });
  afterAll(() => server?.close());

  it('through GraphQL: passwords, key secrets, credential secrets, secret data, kubeconfigs, registration tokens, proxy headers', async () => {
    const place = await createPlace(server);
    const userPassword = keep('graphql user password 1');
    const user = await server.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username: 'gina', password: userPassword },
    });
    const ginaId = user.data!.createUser.id as string;
    const setPassword = keep('graphql set password 2');
    expect((await server.graphql(`mutation { setUserPassword(id: "${ginaId}", input: { newPassword: "${setPassword}" }) { id } }`)).errors).toBeUndefined();
    const ginaSession = keep(secretOf(await login(server.url, 'gina', setPassword)));
    const changed = keep('graphql changed password 3');
    await graphqlAs(
      server.url,
      await login(server.url, 'gina', setPassword),
      `mutation($id: ID!, $input: ChangePasswordInput!) { changeUserPassword(id: $id, input: $input) { id } }`,
      {
        id: ginaId,
        input: { currentPassword: setPassword, newPassword: changed },
      },
    );
    expect(ginaSession).not.toBe('');

    const viaLogin = await graphqlAs(server.url, undefined, `mutation($input: LoginInput!) { login(input: $input) { token } }`, {
      input: { username: 'gina', password: changed },
    });
    keep(secretOf(viaLogin.data!.login.token));
    // An alias must not carry a secret past the redaction.
    const aliased = await server.graphql(`mutation { createToken(input: { name: "aliased" }) { hidden: token id } }`);
    keep(secretOf(aliased.data!.createToken.hidden));
    await graphqlAs(server.url, undefined, `mutation { login(input: { username: "gina", password: "${keep('wrong inline password 4')}" }) { id } }`);

    const credentialSecret = keep('graphql-aws-secret-key-5');
    const credential = await server.graphql(`mutation($input: CreateCloudCredentialInput!) { createCloudCredential(input: $input) { id } }`, {
      input: { name: 'aws', amazonec2credentialConfig: { accessKey: 'AKIAEXAMPLE', secretKey: credentialSecret } },
    });
    expect(credential.errors).toBeUndefined();
    const updatedSecret = keep('graphql-aws-secret-key-6');
    await server.graphql(`mutation($id: ID!, $input: UpdateCloudCredentialInput!) { updateCloudCredential(id: $id, input: $input) { id } }`, {
      id: credential.data!.createCloudCredential.id,
      input: { amazonec2credentialConfig: { secretKey: updatedSecret } },
    });

    const secretData = keep('graphql secret data value 7');
    const secret = await server.graphql(`mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id keys } }`, {
      input: { projectId: place.projectId, namespaceId: place.namespaceId, name: 'db', data: { password: secretData } },
    });
    expect(secret.errors).toBeUndefined();

    // A registry's password and auth go in inside a JSON map whose user names come back out.
    const registry = await server.graphql(`mutation($input: CreateDockerCredentialInput!) { createDockerCredential(input: $input) { id } }`, {
      input: {
        name: 'registry',
        projectId: place.projectId,
        registries: { 'index.docker.io': { username: 'puller', password: keep('graphql registry password 15'), auth: keep('graphql-registry-auth-16') } },
      },
    });
    expect(registry.errors).toBeUndefined();

    const kubeconfig = await server.graphql(`mutation { generateClusterKubeconfig(id: "${place.clusterId}") { config } }`);
    keep(/token: "?token-[a-z0-9]+:([A-Za-z0-9_-]+)/.exec(kubeconfig.data!.generateClusterKubeconfig.config)![1]!);

    const registration = await server.graphql(
      `mutation($input: CreateClusterRegistrationTokenInput!) { createClusterRegistrationToken(input: $input) { token command nodeCommand } }`,
      {
        input: { clusterId: place.clusterId },
      },
    );
    keep(registration.data!.createClusterRegistrationToken.token as string);
    const defaultToken = await server.graphql(`query($id: ID!) { clusterRegistrationToken(id: $id) { token } }`, { id: `${place.clusterId}:default-token` });
    keep(defaultToken.data!.clusterRegistrationToken.token as string);

    await server.graphql(`mutation($input: MetaProxyInput!) { metaProxy(input: $input) { status body } }`, {
      input: {
        url: 'https://not-allowed.example/x',
        headers: { 'X-API-Auth-Header': `Bearer ${keep('proxy auth header 8')}` },
        body: keep('proxy body secret 9'),
      },
    });
  });

  it('through /v3 and /v3-public: logins (failed too), keys, users, credentials, secret data, kubeconfigs, registration tokens', async () => {
    const place = await createPlace(server);
    const restKey = await v3(server, 'POST', '/v3/tokens', { name: 'rest' });
    keep(secretOf(restKey.body.token));
    const password = keep('rest user password 10');
    const user = await v3(server, 'POST', '/v3/users', { username: 'rick', password });
    expect(user.status).toBe(201);
    const newPassword = keep('rest set password 11');
    expect((await v3(server, 'POST', `/v3/users/${user.body.id}?action=setPassword`, { newPassword })).status).toBeLessThan(300);

    const loggedIn = await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', { username: 'rick', password: newPassword });
    keep(secretOf(loggedIn.body.token));
    const failed = await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', {
      username: 'rick',
      password: keep('rest wrong password 12'),
    });
    expect(failed.status).toBe(401);
    const cookie = await fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'rick', password: newPassword, responseType: 'cookie' }),
    });
    const session = /R_SESS=([^;]+)/.exec(cookie.headers.getSetCookie().join('\n'))![1]!;
    keep(secretOf(decodeURIComponent(session)));
    expect((await v3({ url: server.url }, 'GET', '/v3/clusters', undefined, { cookie: `R_SESS=${session}` })).status).toBe(200);

    const credential = await v3(server, 'POST', '/v3/cloudcredentials', {
      name: 'do',
      digitaloceancredentialConfig: { accessToken: keep('rest-digitalocean-token-13') },
    });
    expect(credential.status).toBe(201);
    const data = keep('rest secret data value 14');
    const secret = await v3(server, 'POST', `/v3/project/${place.projectId}/namespacedsecrets`, {
      namespaceId: place.namespaceId,
      name: 'api',
      data: { token: data },
    });
    expect(secret.status).toBe(201);
    const registry = await v3(server, 'POST', `/v3/project/${place.projectId}/dockercredentials`, {
      name: 'quay',
      registries: { 'quay.io': { username: 'puller', password: keep('rest registry password 17') } },
    });
    expect(registry.status).toBe(201);
    const kubeconfig = await v3(server, 'POST', `/v3/clusters/${place.clusterId}?action=generateKubeconfig`);
    keep(/token: "?token-[a-z0-9]+:([A-Za-z0-9_-]+)/.exec(kubeconfig.body.config)![1]!);
    const registration = await v3(server, 'POST', '/v3/clusterregistrationtokens', { clusterId: place.clusterId });
    keep(registration.body.token as string);
    expect((await v3({ url: server.url, token: loggedIn.body.token }, 'POST', '/v3/tokens?action=logout')).status).toBeLessThan(300);
  });

  it('through /v1 and /meta/proxy: credentials in headers', async () => {
    const key = await server.graphql(`mutation { createToken(input: { name: "v1" }) { token } }`);
    const token = key.data!.createToken.token as string;
    keep(secretOf(token));
    expect((await fetch(`${server.url}/v1/provisioning.cattle.io.clusters`, { headers: { authorization: basic(token) } })).status).toBe(200);
    await fetch(`${server.url}/meta/proxy/not-allowed.example/path`, {
      headers: {
        authorization: `Bearer ${token}`,
        'x-api-auth-header': `Bearer ${keep('proxy auth header 15')}`,
        'x-api-cookie-header': `sid=${keep('proxy cookie header 16')}`,
      },
    });
  });

  it('finds none of them in the file or the table, though the traffic is there', async () => {
    const raw = await server.rawLog();
    const entries = raw
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, Json>);
    expect(new Set(entries.map((entry) => entry.face))).toEqual(new Set(['graphql', 'v3', 'v3-public', 'v1', 'meta-proxy']));
    // Bodies really are logged at this level: the redaction, not their absence, keeps the secrets out.
    expect(entries.find((entry) => entry.field === 'createUser')?.requestBody).toMatchObject({ input: { username: 'gina', password: '[redacted]' } });
    const table = JSON.stringify(await server.app.database.prisma.auditEvent.findMany());
    expect(table).toContain('"createUser"');
    for (const secret of secrets) {
      expect(raw, `the audit file holds ${secret}`).not.toContain(secret);
      expect(table, `the audit table holds ${secret}`).not.toContain(secret);
    }
  });
});
