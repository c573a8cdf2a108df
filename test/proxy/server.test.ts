import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphqlAs, login, startTestApp, type TestApp } from '../helpers/app.js';
import { echo, localhostCertificate, recomputedAuthorization, startUpstream, type Upstream } from './helpers.js';

/**
 * The meta proxy as the real server mounts it: authentication, the allow list from the
 * `whitelist-domain` setting and active node drivers, stored cloud credentials, the body
 * cap setting and the audit log — through `/meta/proxy/` and the `metaProxy` mutation.
 */
let server: TestApp;
let plain: Upstream;
let secure: Upstream;
let bob: { id: string; token: string };
let caDir: string;
const logLines: Array<Record<string, unknown>> = [];

const aws = { accessKey: 'AKIDEXAMPLE', secretKey: 'aws-secret-wJalrXUtnFEMI' };
const credentialIds: Record<string, string> = {};

beforeAll(async () => {
  const certificate = await localhostCertificate();
  caDir = await mkdtemp(path.join(tmpdir(), 'proxy-ca-'));
  const caFile = path.join(caDir, 'ca.pem');
  await writeFile(caFile, certificate.cert);
  plain = await startUpstream();
  secure = await startUpstream(echo, certificate);
  const logTo = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      callback();
    },
  });
  server = await startTestApp({ name: 'pglite' }, { proxyCaFile: caFile }, { logTo });
  const user = await server.graphql(`mutation { createUser(input: { username: "bob", password: "bob-password-123" }) { id } }`);
  bob = { id: user.data!.createUser.id, token: await login(server.url, 'bob', 'bob-password-123') };

  const create = `mutation($input: CreateCloudCredentialInput!) { createCloudCredential(input: $input) { id } }`;
  const hosts = ['127.0.0.1', 'localhost'];
  const store = async (token: string, name: string, input: Record<string, unknown>) => {
    const result = await graphqlAs(server.url, token, create, { input: { name, allowedHosts: hosts, ...input } });
    credentialIds[name] = result.data!.createCloudCredential.id;
  };
  await store(server.token, 'admin-api', {
    genericcredentialConfig: { endpoint: 'https://127.0.0.1', username: 'api-user', password: 'basic-secret', token: 'bearer-secret' },
  });
  await store(server.token, 'admin-aws', { amazonec2credentialConfig: aws });
  await store(bob.token, 'bob-api', { genericcredentialConfig: { endpoint: 'https://127.0.0.1', token: 'bobs-bearer-secret' } });
  await setWhitelist('127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await plain?.close();
  await secure?.close();
  await rm(caDir, { recursive: true, force: true });
});
beforeEach(() => {
  plain.seen.length = 0;
  secure.seen.length = 0;
  logLines.length = 0;
});

async function setWhitelist(value: string): Promise<void> {
  const result = await server.graphql(`mutation($value: String!) { updateSetting(id: "whitelist-domain", input: { value: $value }) { value } }`, { value });
  expect(result.errors).toBeUndefined();
}

/** A request to /meta/proxy/<target> with the admin's key unless `token` says otherwise (null: none). */
async function proxy(target: string, init: { method?: string; headers?: Record<string, string>; body?: string; token?: string | null } = {}) {
  const token = init.token === undefined ? server.token : init.token;
  const response = await fetch(`${server.url}/meta/proxy/${target}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const cattleAuth = (value: string) => ({ 'x-api-cattleauth-header': value });

describe('/meta/proxy/ on the server', () => {
  it('answers 401 with a Norman error without a credential, and never connects', async () => {
    const answer = await proxy(`http:/127.0.0.1:${plain.port}/x`, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ type: 'error', status: 401, code: 'Unauthorized' });
    expect(plain.seen).toHaveLength(0);
  });

  it('forwards path and query over the one-slash http form, without the caller’s Authorization or cookie', async () => {
    const answer = await proxy(`http:/127.0.0.1:${plain.port}/v2/sizes%2Fall?page=2&q=%20a`, {
      headers: { cookie: 'R_SESS=ours', 'x-api-auth-header': 'Bearer theirs' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ method: 'GET', url: '/v2/sizes%2Fall?page=2&q=%20a' });
    const seen = plain.seen[0]!;
    expect(seen.headers.authorization).toBe('Bearer theirs');
    expect(seen.headers.cookie).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(server.token.split(':')[1]);
  });

  it('follows the whitelist-domain setting without a restart', async () => {
    await setWhitelist('');
    expect((await proxy(`http:/127.0.0.1:${plain.port}/`)).status).toBe(503);
    expect(plain.seen).toHaveLength(0);
    await setWhitelist('127.0.0.1');
    expect((await proxy(`http:/127.0.0.1:${plain.port}/`)).status).toBe(200);
  });

  it('opens and closes a node driver’s domains as it is activated and deactivated (https, private CA)', async () => {
    const target = `localhost:${secure.port}/v1/regions`;
    expect((await proxy(target)).status).toBe(503);
    const driver = await server.graphql(
      `mutation { createNodeDriver(input: { url: "https://example.com/docker-machine-driver-localtest", whitelistDomains: ["localhost"] }) { id } }`,
    );
    const id = driver.data!.createNodeDriver.id as string;
    await server.graphql(`mutation($id: ID!) { activateNodeDriver(id: $id) { active } }`, { id });
    const allowed = await proxy(target);
    expect(allowed.status).toBe(200);
    expect(allowed.json()).toMatchObject({ url: '/v1/regions', headers: { host: `localhost:${secure.port}` } });
    await server.graphql(`mutation($id: ID!) { deactivateNodeDriver(id: $id) { active } }`, { id });
    expect((await proxy(target)).status).toBe(503);
  });

  it('signs with a stored credential: bearer and basic', async () => {
    await proxy(`http:/127.0.0.1:${plain.port}/`, { headers: cattleAuth(`bearer credID=${credentialIds['admin-api']} passwordField=token`) });
    expect(plain.seen[0]!.headers.authorization).toBe('Bearer bearer-secret');
    await proxy(`http:/127.0.0.1:${plain.port}/`, {
      headers: cattleAuth(`basic credID=${credentialIds['admin-api']} usernameField=username passwordField=password`),
    });
    expect(plain.seen[1]!.headers.authorization).toBe(`Basic ${Buffer.from('api-user:basic-secret').toString('base64')}`);
  });

  it('signs awsv4 so that the upstream can verify it with aws4', async () => {
    const answer = await proxy(`http:/127.0.0.1:${plain.port}/?Action=DescribeRegions`, {
      method: 'POST',
      body: 'Version=2016-11-15',
      headers: { ...cattleAuth(`awsv4 credID=${credentialIds['admin-aws']}`), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(200);
    const seen = plain.seen[0]!;
    expect(seen.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    expect(recomputedAuthorization(seen, aws)).toBe(seen.headers.authorization);
  });

  it('refuses someone else’s credential and an unknown one alike (403), without connecting; an admin may use a user’s', async () => {
    const others = await proxy(`http:/127.0.0.1:${plain.port}/`, {
      token: bob.token,
      headers: cattleAuth(`bearer credID=${credentialIds['admin-api']} passwordField=token`),
    });
    const unknown = await proxy(`http:/127.0.0.1:${plain.port}/`, {
      token: bob.token,
      headers: cattleAuth('bearer credID=cattle-global-data:cc-nope1 passwordField=token'),
    });
    for (const answer of [others, unknown]) expect(answer.json()).toMatchObject({ type: 'error', status: 403, code: 'PermissionDenied' });
    // Same words for both, so an id cannot be probed.
    expect(others.json().message.replace(credentialIds['admin-api']!, 'ID')).toBe(unknown.json().message.replace('cattle-global-data:cc-nope1', 'ID'));
    expect(plain.seen).toHaveLength(0);
    await proxy(`http:/127.0.0.1:${plain.port}/`, { headers: cattleAuth(`bearer credID=${credentialIds['bob-api']} passwordField=token`) });
    expect(plain.seen[0]!.headers.authorization).toBe('Bearer bobs-bearer-secret');
  });

  it('refuses keys scoped to a cluster (403)', async () => {
    const cluster = await server.graphql(`mutation { createCluster(input: { name: "proxy-scope" }) { id } }`);
    const key = await server.graphql(`mutation($id: ID!) { createToken(input: { clusterId: $id }) { token } }`, { id: cluster.data!.createCluster.id });
    expect((await proxy(`http:/127.0.0.1:${plain.port}/`, { token: key.data!.createToken.token })).status).toBe(403);
  });

  it('caps request bodies by public-api-body-limit (413)', async () => {
    await server.graphql(`mutation { updateSetting(id: "public-api-body-limit", input: { value: "16" }) { value } }`);
    try {
      const answer = await proxy(`http:/127.0.0.1:${plain.port}/upload`, { method: 'POST', body: 'x'.repeat(64) });
      expect(answer.status).toBe(413);
    } finally {
      await server.graphql(`mutation { updateSetting(id: "public-api-body-limit", input: { value: "" }) { value } }`);
    }
  });

  it('audits every call in the app log: who, where, signer, credential — no secret', async () => {
    await proxy(`http:/127.0.0.1:${plain.port}/secret-path?token=abc`, {
      headers: cattleAuth(`bearer credID=${credentialIds['admin-api']} passwordField=token`),
    });
    const audit = logLines.filter((line) => line.event === 'meta-proxy');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ method: 'GET', host: `127.0.0.1:${plain.port}`, status: 200, signer: 'bearer', credentialId: credentialIds['admin-api'] });
    expect(JSON.stringify(logLines)).not.toMatch(/bearer-secret|secret-path|token=abc/);
    // The request line names the target host only.
    expect(logLines.find((line) => line.event !== 'meta-proxy')?.msg).toMatch(new RegExp(`^GET /meta/proxy/http:/127\\.0\\.0\\.1:${plain.port}/… 200 \\d+ms$`));
  });
});

describe('the metaProxy mutation', () => {
  const mutation = `mutation($input: MetaProxyInput!) { metaProxy(input: $input) { status headers { name value } body bodyEncoding truncated } }`;
  const call = (input: Record<string, unknown>, token: string | null = server.token) => graphqlAs(server.url, token ?? undefined, mutation, { input });

  it('proxies through the same core: method, path, query, body; no caller credentials', async () => {
    const result = await call({
      url: `http://127.0.0.1:${plain.port}/items?x=1`,
      method: 'PUT',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', cookie: 'R_SESS=ours' },
    });
    expect(result.errors).toBeUndefined();
    const answer = result.data!.metaProxy;
    expect(answer).toMatchObject({ status: 200, bodyEncoding: 'UTF8', truncated: false });
    expect(answer.headers).toContainEqual({ name: 'x-content-type-options', value: 'nosniff' });
    expect(JSON.parse(answer.body)).toMatchObject({ method: 'PUT', url: '/items?x=1', bodyLength: 7 });
    expect(plain.seen[0]!.headers.cookie).toBeUndefined();
    expect(plain.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('signs with cattleAuth, and refuses someone else’s credential with PERMISSION_DENIED', async () => {
    const signed = await call(
      { url: `http:/127.0.0.1:${plain.port}/`, cattleAuth: `bearer credID=${credentialIds['bob-api']} passwordField=token` },
      bob.token,
    );
    expect(signed.data!.metaProxy.status).toBe(200);
    expect(plain.seen[0]!.headers.authorization).toBe('Bearer bobs-bearer-secret');
    const refused = await call(
      { url: `http:/127.0.0.1:${plain.port}/`, cattleAuth: `bearer credID=${credentialIds['admin-api']} passwordField=token` },
      bob.token,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('PERMISSION_DENIED');
    expect(plain.seen).toHaveLength(1);
  });

  it('answers hosts off the list with SERVICE_UNAVAILABLE, bad targets with BAD_REQUEST, and no credential with UNAUTHORIZED', async () => {
    expect((await call({ url: `http://127.0.0.2:${plain.port}/` })).errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect((await call({ url: 'localhost:abc/' })).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect((await call({ url: `http://127.0.0.1:${plain.port}/` }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(plain.seen).toHaveLength(0);
  });

  it('returns binary answers as base64', async () => {
    const binary = await startUpstream(
      (_seen, response) => void response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0xff, 0xfe, 0x00])),
    );
    try {
      const result = await call({ url: `http://127.0.0.1:${binary.port}/blob` });
      expect(result.data!.metaProxy).toMatchObject({ body: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), bodyEncoding: 'BASE64' });
    } finally {
      await binary.close();
    }
  });
});
