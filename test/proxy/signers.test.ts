import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsServiceAndRegion } from '../../src/proxy/signers/aws-endpoint.js';
import { parseChallenges } from '../../src/proxy/signers/challenges.js';
import { digestResponse } from '../../src/proxy/signers/digest.js';
import { mallory, recomputedAuthorization, signedHeaderNames, startProxy, startUpstream, type ProxyHarness, type Seen, type Upstream } from './helpers.js';

const awsHost = 'ec2.us-west-2.amazonaws.com';
const aws = { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

let proxy: ProxyHarness;
let upstream: Upstream;
let url: (host?: string) => string;

beforeAll(async () => {
  upstream = await startUpstream();
  // The AWS name resolves to the local upstream; listing it exactly is what admits loopback.
  proxy = await startProxy({
    allow: ['127.0.0.1', awsHost],
    resolve: async (host) => (host === awsHost ? [{ address: '127.0.0.1', family: 4 }] : []),
    timeouts: { preflightMs: 500 },
  });
  url = (host = '127.0.0.1') => `http:/${host}:${upstream.port}`;
  proxy.credentials.set('cattle-global-data:cc-aws', { owner: 'u-alice', fields: aws, allowedHosts: ['*.amazonaws.com', '127.0.0.1'] });
  proxy.credentials.set('cattle-global-data:cc-do', {
    owner: 'u-alice',
    fields: { accessToken: 'dop_v1_secret', user: 'me', pass: 'p>?>' },
    allowedHosts: ['127.0.0.1'],
  });
  proxy.credentials.set('cattle-global-data:cc-elsewhere', {
    owner: 'u-alice',
    fields: { accessToken: 'dop_v1_secret' },
    allowedHosts: ['api.digitalocean.com'],
  });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.seen.length = 0;
  proxy.audit.length = 0;
});

const cattleAuth = (value: string) => ({ 'x-api-cattleauth-header': value });

describe('bearer and basic', () => {
  it('bearer puts the named field in Authorization and audits signer and credential id only', async () => {
    const answer = await proxy.send(`${url()}/v2/sizes`, { headers: cattleAuth('Bearer credID=cattle-global-data:cc-do passwordField=accessToken') });
    expect(answer.status).toBe(200);
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer dop_v1_secret');
    expect(proxy.audit[0]).toMatchObject({ signer: 'bearer', credentialId: 'cattle-global-data:cc-do', status: 200 });
    expect(JSON.stringify(proxy.audit)).not.toContain('dop_v1_secret');
  });

  it('basic uses standard base64 (RFC 7617), and accepts credId as Rancher docs spell it', async () => {
    await proxy.send(`${url()}/`, { headers: cattleAuth('Basic credId=cattle-global-data:cc-do usernameField=user passwordField=pass') });
    // "me:p>?>" encodes to a '+' and a '/' in standard base64, '-' and '_' in the URL-safe alphabet.
    expect(upstream.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('me:p>?>').toString('base64')}`);
    expect(upstream.seen[0]!.headers.authorization).toMatch(/[+/]/);
  });

  it("never forwards the caller's own Authorization or cookie next to a signature", async () => {
    await proxy.send(`${url()}/`, {
      headers: {
        ...cattleAuth('bearer credID=cattle-global-data:cc-do passwordField=accessToken'),
        authorization: 'Bearer token-x:ours',
        cookie: 'R_SESS=ours',
      },
    });
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer dop_v1_secret');
    expect(upstream.seen[0]!.headers.cookie).toBeUndefined();
  });
});

describe('failing closed', () => {
  const cases: Array<[string, string, number, Record<string, unknown>]> = [
    ['an unknown signer', 'token credID=cattle-global-data:cc-do', 400, { code: 'InvalidBodyContent' }],
    ['a malformed header', 'bearer credID', 400, { code: 'InvalidBodyContent' }],
    ['a missing credID', 'bearer passwordField=accessToken', 422, { code: 'MissingRequired', fieldName: 'credID' }],
    ['a missing parameter', 'bearer credID=cattle-global-data:cc-do', 422, { code: 'MissingRequired', fieldName: 'passwordField' }],
    ['a missing field', 'bearer credID=cattle-global-data:cc-do passwordField=nope', 422, { fieldName: 'nope' }],
    ['a host the credential is not for', 'bearer credID=cattle-global-data:cc-elsewhere passwordField=accessToken', 403, { code: 'PermissionDenied' }],
    ['awsv4 without secretKey', 'awsv4 credID=cattle-global-data:cc-do', 422, { fieldName: 'accessKey' }],
  ];
  it.each(cases)('%s: answers %#, sends nothing', async (_what, header, status, body) => {
    const answer = await proxy.send(`${url()}/`, { headers: cattleAuth(header) });
    expect(answer.status).toBe(status);
    expect(answer.json()).toMatchObject({ type: 'error', status, ...body });
    expect(upstream.seen).toHaveLength(0);
  });

  it('answers the same 403 for a credential that is not yours and one that does not exist', async () => {
    const notMine = await proxy.send(`${url()}/`, { caller: mallory, headers: cattleAuth('bearer credID=cattle-global-data:cc-do passwordField=accessToken') });
    const missing = await proxy.send(`${url()}/`, {
      caller: mallory,
      headers: cattleAuth('bearer credID=cattle-global-data:cc-nope passwordField=accessToken'),
    });
    expect(notMine.status).toBe(403);
    expect(missing.text).toBe(notMine.text);
    expect(upstream.seen).toHaveLength(0);
  });
});

describe('arbitrary', () => {
  it('sets the listed headers, with no credential needed', async () => {
    await proxy.send(`${url()}/`, { headers: cattleAuth('arbitrary headers=X-Token=abc,Authorization=Token-xyz') });
    expect(upstream.seen[0]!.headers).toMatchObject({ 'x-token': 'abc', authorization: 'Token-xyz' });
  });

  it.each(['Host=evil', 'Cookie=a=b', 'Connection=close', 'Transfer-Encoding=chunked', 'Impersonate-User=admin', 'X-Forwarded-For=1.2.3.4', 'nonsense'])(
    'refuses %s',
    async (pair) => {
      const answer = await proxy.send(`${url()}/`, { headers: cattleAuth(`arbitrary headers=X-Ok=1,${pair}`) });
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({ fieldName: 'headers' });
      expect(upstream.seen).toHaveLength(0);
    },
  );

  it('still checks a credID it is given', async () => {
    const answer = await proxy.send(`${url()}/`, { caller: mallory, headers: cattleAuth('arbitrary credID=cattle-global-data:cc-do headers=X-A=1') });
    expect(answer.status).toBe(403);
  });
});

describe('awsv4', () => {
  it('signs so that AWS would accept it: the upstream recomputes the signature with aws4', async () => {
    const body = 'Action=DescribeRegions&Version=2016-11-15';
    const answer = await proxy.send(`${url(awsHost)}/?x=1`, {
      method: 'POST',
      body,
      headers: {
        ...cattleAuth('awsv4 credID=cattle-global-data:cc-aws'),
        'content-type': 'rancher:application/x-www-form-urlencoded; charset=utf-8',
        'x-amz-date': '20000101T000000Z',
        'x-amz-content-sha256': 'caller-chosen',
        'x-amz-security-token': 'caller-token',
        'x-amz-target': 'AmazonEC2.DescribeRegions',
      },
    });
    expect(answer.status).toBe(200);
    const seen = upstream.seen[0]!;
    expect(seen.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/ec2\/aws4_request/);
    expect(seen.headers['x-amz-date']).not.toBe('20000101T000000Z');
    expect(seen.headers['x-amz-content-sha256']).toBeUndefined();
    expect(seen.headers['x-amz-security-token']).toBeUndefined();
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(signedHeaderNames(seen)).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-amz-target']));
    expect(recomputedAuthorization(seen, aws)).toBe(seen.headers.authorization);
    // The body is part of the signature: any other body would not verify.
    expect(recomputedAuthorization({ ...seen, body: Buffer.from(`${body}&x=2`) }, aws)).not.toBe(seen.headers.authorization);
  });

  it('signs a GET without inventing a body or a Content-Type', async () => {
    await proxy.send(`${url(awsHost)}/?Action=DescribeRegions`, { headers: cattleAuth('awsv4 credID=cattle-global-data:cc-aws') });
    const seen = upstream.seen[0]!;
    expect(seen.headers['content-type']).toBeUndefined();
    expect(recomputedAuthorization(seen, aws)).toBe(seen.headers.authorization);
  });

  it.each([
    ['ec2.us-west-2.amazonaws.com', 'ec2', 'us-west-2'],
    ['eks.eu-central-1.amazonaws.com', 'eks', 'eu-central-1'],
    ['kms.ap-southeast-2.amazonaws.com', 'kms', 'ap-southeast-2'],
    ['ec2.us-west-2.api.aws', 'ec2', 'us-west-2'],
    ['iam.amazonaws.com', 'iam', 'us-east-1'],
    ['route53.amazonaws.com', 'route53', 'us-east-1'],
    ['iam.global.api.aws', 'iam', 'us-east-1'],
    ['iam.us-gov.amazonaws.com', 'iam', 'us-gov-west-1'],
    ['ec2.us-gov-east-1.amazonaws.com', 'ec2', 'us-gov-east-1'],
    ['iam.cn-north-1.amazonaws.com.cn', 'iam', 'cn-north-1'],
    ['iam.cn-northwest-1.amazonaws.com.cn', 'iam', 'cn-northwest-1'],
    ['iam.amazonaws.com.cn', 'iam', 'cn-north-1'],
  ])('%s signs as %s / %s', (host, service, region) => {
    expect(awsServiceAndRegion(host)).toEqual({ service, region });
  });
});

describe('digest', () => {
  let digestServer: Upstream;
  const challenge = 'Digest realm="ops, inc", qop="auth,auth-int", nonce="n0nce", opaque="0paque", algorithm=MD5';

  beforeAll(async () => {
    digestServer = await startUpstream((seen, response) => answerDigest(seen, response, challenge));
  });
  afterAll(() => digestServer.close());
  beforeEach(() => (digestServer.seen.length = 0));

  it('answers a real challenge: preflight without credentials, then a response the server verifies', async () => {
    const answer = await proxy.send(`http:/127.0.0.1:${digestServer.port}/api/v1/vms?page=2`, {
      method: 'POST',
      body: '{"a":1}',
      headers: cattleAuth('digest credID=cattle-global-data:cc-do usernameField=user passwordField=pass'),
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ authenticated: 'me' });
    expect(digestServer.seen).toHaveLength(2);
    expect(digestServer.seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/vms?page=2' });
    expect(digestServer.seen[0]!.headers.authorization).toBeUndefined();
    expect(digestServer.seen[0]!.body.length).toBe(0);
    expect(digestServer.seen[1]!.body.toString()).toBe('{"a":1}');
  });

  it('fails with 502 and never sends the request when the preflight does not answer 401', async () => {
    const open = await startUpstream();
    try {
      const answer = await proxy.send(`http:/127.0.0.1:${open.port}/`, {
        headers: cattleAuth('digest credID=cattle-global-data:cc-do usernameField=user passwordField=pass'),
      });
      expect(answer.status).toBe(502);
      expect(answer.json<{ message: string }>().message).toContain('answered 200 instead of 401');
      expect(open.seen).toHaveLength(1);
    } finally {
      await open.close();
    }
  });

  it('does not follow a redirecting preflight, and gives up on a silent one', async () => {
    const redirecting = await startUpstream((_seen, response) => void response.writeHead(307, { location: `http://127.0.0.1:${digestServer.port}/` }).end());
    const silent = await startUpstream(() => undefined);
    try {
      const header = cattleAuth('digest credID=cattle-global-data:cc-do usernameField=user passwordField=pass');
      expect((await proxy.send(`http:/127.0.0.1:${redirecting.port}/`, { headers: header })).status).toBe(502);
      expect(digestServer.seen).toHaveLength(0);
      expect((await proxy.send(`http:/127.0.0.1:${silent.port}/`, { headers: header })).status).toBe(504);
    } finally {
      await redirecting.close();
      await silent.close();
    }
  });

  it('refuses a challenge it cannot answer (auth-int only, SHA-256)', async () => {
    for (const offered of ['Digest realm="r", nonce="n", qop="auth-int"', 'Digest realm="r", nonce="n", algorithm=SHA-256']) {
      const server = await startUpstream((_seen, response) => void response.writeHead(401, { 'www-authenticate': offered }).end());
      try {
        const answer = await proxy.send(`http:/127.0.0.1:${server.port}/`, {
          headers: cattleAuth('digest credID=cattle-global-data:cc-do usernameField=user passwordField=pass'),
        });
        expect(answer.status).toBe(502);
        expect(server.seen).toHaveLength(1);
      } finally {
        await server.close();
      }
    }
  });

  it('computes the RFC 2617 example response', () => {
    expect(
      digestResponse({
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('parses challenges with quoted commas, escapes, qop lists and several schemes', () => {
    expect(
      parseChallenges([
        'Basic realm="a, b"',
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Digest realm="ops, inc", qop="auth,auth-int", nonce=abc, Bearer dG9rZW4=',
      ]),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'digest', params: { realm: 'ops, inc', qop: 'auth,auth-int', nonce: 'abc' } },
      { scheme: 'bearer', params: {}, token68: 'dG9rZW4=' },
    ]);
    expect(parseChallenges('"unterminated')).toEqual([]);
  });
});

/** A Digest server after RFC 7616, checked by recomputing MD5 here rather than trusting the signer. */
function answerDigest(seen: Seen, response: ServerResponse, challenge: string): void {
  const header = seen.headers.authorization;
  if (!header) return void response.writeHead(401, { 'www-authenticate': ['Basic realm="fallback"', challenge] }).end();
  const params = parseChallenges(header)[0]!.params;
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const ha1 = md5(`me:ops, inc:p>?>`);
  const ha2 = md5(`${seen.method}:${seen.url}`);
  const expected = md5(`${ha1}:n0nce:${params.nc}:${params.cnonce}:auth:${ha2}`);
  const valid = params.username === 'me' && params.uri === seen.url && params.qop === 'auth' && params.opaque === '0paque' && params.response === expected;
  if (!valid) return void response.writeHead(403).end();
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ authenticated: params.username }));
}
