import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/proxy/headers.js';
import { echo, localhostCertificate, startProxy, startUpstream, type ProxyHarness, type Upstream } from './helpers.js';

let proxy: ProxyHarness;
let plain: Upstream;
let secure: Upstream;
let ca: string;

beforeAll(async () => {
  const certificate = await localhostCertificate();
  ca = certificate.cert;
  plain = await startUpstream();
  secure = await startUpstream(echo, certificate);
  proxy = await startProxy({ allow: ['127.0.0.1', 'localhost'], ca });
});
afterAll(async () => {
  await proxy.close();
  await plain.close();
  await secure.close();
});

describe('reaching allow-listed hosts', () => {
  it('goes to https by default, on the given port, with the certificate checked against the host name', async () => {
    const answer = await proxy.send(`localhost:${secure.port}/v4/regions`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ method: 'GET', url: '/v4/regions', headers: { host: `localhost:${secure.port}` } });
  });

  it('reaches plain http with the one-slash form and with two slashes', async () => {
    expect((await proxy.send(`http:/127.0.0.1:${plain.port}/a`)).json()).toMatchObject({ url: '/a' });
    expect((await proxy.send(`http://127.0.0.1:${plain.port}/b`)).json()).toMatchObject({ url: '/b' });
  });

  it('forwards path and query byte for byte, encoded characters included', async () => {
    const answer = await proxy.send(`http:/127.0.0.1:${plain.port}/a%2Fb/%E2%9C%93/x%20y?q=%20a%2Bb&r=%3D&empty=`);
    expect(answer.json()).toMatchObject({ url: '/a%2Fb/%E2%9C%93/x%20y?q=%20a%2Bb&r=%3D&empty=' });
  });

  it('forwards the method and the body', async () => {
    const answer = await proxy.send(`http:/127.0.0.1:${plain.port}/items`, {
      method: 'PUT',
      body: '{"name":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.json()).toMatchObject({ method: 'PUT', bodyLength: 12, headers: { 'content-type': 'application/json', 'content-length': '12' } });
  });

  it('answers 503 with a Norman error for a host not on the list, without connecting', async () => {
    const before = plain.seen.length;
    const answer = await proxy.send(`http:/127.0.0.2:${plain.port}/`);
    expect(answer.status).toBe(503);
    expect(answer.json()).toMatchObject({ type: 'error', status: 503, code: 'ServiceUnavailable', message: expect.stringContaining('allow list') });
    expect(plain.seen.length).toBe(before);
  });

  it('applies allow-list changes to the next request', async () => {
    proxy.allow.push('127.0.0.3');
    const answer = await proxy.send(`http:/127.0.0.3:${plain.port}/`);
    // Allowed now, so it connects; nothing listens on 127.0.0.3 here, or it answers.
    expect([200, 502]).toContain(answer.status);
    proxy.allow.pop();
    expect((await proxy.send(`http:/127.0.0.3:${plain.port}/`)).status).toBe(503);
  });

  it('answers 400 for an empty or unparsable host, 401 without a caller, 403 for a scoped key', async () => {
    expect((await proxy.send('')).status).toBe(400);
    expect((await proxy.send(`localhost:abc/`)).json()).toMatchObject({ status: 400, code: 'InvalidBodyContent' });
    expect((await proxy.send(`http:/127.0.0.1:${plain.port}/`, { caller: null })).json()).toMatchObject({ status: 401, code: 'Unauthorized' });
    expect((await proxy.send(`http:/127.0.0.1:${plain.port}/`, { caller: { id: 'u-1', scope: 'c-abc' } })).status).toBe(403);
  });
});

describe('redirects', () => {
  it('returns a redirect to the caller instead of following it', async () => {
    const redirecting = await startUpstream((_seen, response) => void response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    try {
      const answer = await proxy.send(`http:/127.0.0.1:${redirecting.port}/go`, { method: 'POST', body: 'x' });
      expect(answer.status).toBe(302);
      expect(answer.headers.location).toBe('http://169.254.169.254/latest/meta-data/');
      expect(redirecting.seen).toHaveLength(1);
    } finally {
      await redirecting.close();
    }
  });
});

describe('responses', () => {
  it('renames Set-Cookie and WWW-Authenticate and sandboxes the content', async () => {
    const upstream = await startUpstream((_seen, response) => {
      response.setHeader('set-cookie', ['sid=2; HttpOnly', 'theme=dark']);
      response.setHeader('www-authenticate', 'Basic realm="upstream"');
      response.setHeader('content-security-policy', "script-src 'unsafe-inline'");
      response.setHeader('x-api-set-cookie-header', 'forged=1');
      response.writeHead(401, { 'content-type': 'text/html' }).end('<script>alert(1)</script>');
    });
    try {
      const answer = await proxy.send(`http:/127.0.0.1:${upstream.port}/`);
      expect(answer.status).toBe(401);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['www-authenticate']).toBeUndefined();
      expect(answer.headers['x-api-set-cookie-header']).toBe('sid=2; HttpOnly, theme=dark');
      expect(answer.headers['x-api-www-authenticate']).toBe('Basic realm="upstream"');
      expect(answer.headers['content-security-policy']).toBe(contentSecurityPolicy);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.text).toBe('<script>alert(1)</script>');
    } finally {
      await upstream.close();
    }
  });

  it('leaves an audit record with sizes and no secrets', async () => {
    proxy.audit.length = 0;
    await proxy.send(`http:/127.0.0.1:${plain.port}/audited?token=secret-in-query`, {
      method: 'POST',
      body: 'hello',
      headers: { 'x-api-auth-header': 'Bearer secret-token' },
    });
    expect(proxy.audit).toEqual([
      expect.objectContaining({
        event: 'meta-proxy',
        caller: 'u-alice',
        method: 'POST',
        host: `127.0.0.1:${plain.port}`,
        status: 200,
        signer: null,
        credentialId: null,
        requestBytes: 5,
      }),
    ]);
    expect(proxy.audit[0]!.responseBytes).toBeGreaterThan(0);
    expect(JSON.stringify(proxy.audit)).not.toMatch(/secret/);
  });
});
