import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardedRequestHeaders } from '../../src/proxy/headers.js';
import { startProxy, startUpstream, type ProxyHarness, type Upstream } from './helpers.js';

let proxy: ProxyHarness;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await startProxy({ allow: ['127.0.0.1'] });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

async function seenHeaders(headers: Record<string, string | string[]>) {
  const answer = await proxy.send(`http:/127.0.0.1:${upstream.port}/h`, { headers });
  expect(answer.status).toBe(200);
  return upstream.seen.at(-1)!.headers;
}

describe('request headers', () => {
  it("drops the caller's own credentials, CDN, impersonation, forwarding and CSRF headers", async () => {
    const seen = await seenHeaders({
      authorization: 'Bearer token-abcde:our-api-secret',
      cookie: 'R_SESS=token-abcde:our-api-secret; CSRF=abc',
      'cf-connecting-ip': '203.0.113.7',
      'cf-ray': '1234',
      'impersonate-user': 'admin',
      'impersonate-group': 'system:masters',
      'impersonate-extra-username': 'alice@example.com',
      forwarded: 'for=10.0.0.1',
      'x-forwarded-for': '10.0.0.1',
      'x-forwarded-host': 'internal',
      'x-forwarded-proto': 'http',
      'x-real-ip': '10.0.0.1',
      via: '1.1 lb',
      'x-api-csrf': 'abc',
      'proxy-authorization': 'Basic eA==',
      'x-kept': 'yes',
    });
    for (const name of [
      'authorization',
      'cookie',
      'cf-connecting-ip',
      'cf-ray',
      'impersonate-user',
      'impersonate-group',
      'impersonate-extra-username',
      'forwarded',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-forwarded-proto',
      'x-real-ip',
      'via',
      'x-api-csrf',
      'proxy-authorization',
    ]) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen['x-kept']).toBe('yes');
    expect(JSON.stringify(seen)).not.toContain('our-api-secret');
  });

  it('drops hop-by-hop headers, including those Connection names', async () => {
    const seen = await seenHeaders({ connection: 'keep-alive, x-hop', 'x-hop': 'secret', 'keep-alive': 'timeout=5', te: 'trailers' });
    expect(seen['x-hop']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
  });

  it('maps X-Api-Cookie-Header to Cookie and X-API-Auth-Header to Authorization, stripping rancher:', async () => {
    const seen = await seenHeaders({
      'x-api-cookie-header': 'sid=1',
      'x-api-auth-header': 'rancher:Bearer dop_v1_x',
      'content-type': 'rancher:application/x-www-form-urlencoded; charset=utf-8',
      cookie: 'R_SESS=ours',
    });
    expect(seen.cookie).toBe('sid=1');
    expect(seen.authorization).toBe('Bearer dop_v1_x');
    expect(seen['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(seen['x-api-cookie-header']).toBeUndefined();
    expect(seen['x-api-auth-header']).toBeUndefined();
  });

  it('lets X-API-Auth-Header win over X-API-CattleAuth-Header: no signing, no credential lookup', async () => {
    proxy.audit.length = 0;
    const seen = await seenHeaders({ 'x-api-auth-header': 'Bearer mine', 'x-api-cattleauth-header': 'bearer credID=nope passwordField=token' });
    expect(seen.authorization).toBe('Bearer mine');
    expect(seen['x-api-cattleauth-header']).toBeUndefined();
    expect(proxy.audit[0]).toMatchObject({ status: 200, signer: null });
  });

  it('sets the Host header from the target', async () => {
    const seen = await seenHeaders({ host: 'evil.example' });
    expect(seen.host).toBe(`127.0.0.1:${upstream.port}`);
  });
});

describe('X-Forwarded-Proto', () => {
  it('is https exactly when the caller reached us over TLS, whatever the caller sent', () => {
    expect(forwardedRequestHeaders({ 'x-forwarded-proto': 'http' }, true).headers['x-forwarded-proto']).toBe('https');
    expect(forwardedRequestHeaders({ 'x-forwarded-proto': 'https' }, false).headers['x-forwarded-proto']).toBeUndefined();
  });
});
