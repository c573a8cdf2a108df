import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyBuffered } from '../../src/proxy/index.js';
import { alice, startProxy, startUpstream, type ProxyHarness, type Upstream } from './helpers.js';

let proxy: ProxyHarness;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream((seen, response) => {
    if (seen.url === '/binary') return void response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0xff, 0x00, 0xfe]));
    if (seen.url === '/large') return void response.writeHead(200).end('x'.repeat(10_000));
    if (seen.url === '/broken') {
      // Promises 10 kB, sends a little and hangs up: the answer breaks after it started.
      response.writeHead(200, { 'content-length': '10000' }).write('partial', () => response.socket?.destroy());
      return;
    }
    response
      .writeHead(201, { 'content-type': 'application/json', 'set-cookie': 'sid=9' })
      .end(JSON.stringify({ url: seen.url, body: seen.body.toString('base64'), auth: seen.headers.authorization ?? null }));
  });
  proxy = await startProxy({ allow: ['127.0.0.1'] });
  proxy.credentials.set('cc-1', { owner: 'u-alice', fields: { token: 't0k' }, allowedHosts: ['127.0.0.1'] });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

describe('proxyBuffered (the GraphQL mutation)', () => {
  it('sends through the same core and returns status, rewritten headers and a utf8 body', async () => {
    const result = await proxyBuffered(
      {
        caller: alice,
        url: `http:/127.0.0.1:${upstream.port}/items?a=%20b`,
        method: 'post',
        body: 'AAEC',
        bodyEncoding: 'base64',
        cattleAuth: 'bearer credID=cc-1 passwordField=token',
      },
      proxy.deps,
    );
    expect(result).toMatchObject({ status: 201, bodyEncoding: 'utf8', truncated: false });
    expect(JSON.parse(result.body)).toEqual({ url: '/items?a=%20b', body: 'AAEC', auth: 'Bearer t0k' });
    expect(result.headers).toMatchObject({ 'x-api-set-cookie-header': 'sid=9', 'x-content-type-options': 'nosniff' });
    expect(result.headers['set-cookie']).toBeUndefined();
    expect(proxy.audit.at(-1)).toMatchObject({ method: 'POST', signer: 'bearer', credentialId: 'cc-1', status: 201 });
  });

  it('returns non-UTF-8 bodies as base64', async () => {
    const result = await proxyBuffered({ caller: alice, url: `http://127.0.0.1:${upstream.port}/binary` }, proxy.deps);
    expect(result).toMatchObject({ body: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'), bodyEncoding: 'base64' });
  });

  it('truncates a body over the cap and says so', async () => {
    const result = await proxyBuffered({ caller: alice, url: `http://127.0.0.1:${upstream.port}/large` }, proxy.deps, 1000);
    expect(result).toMatchObject({ body: 'x'.repeat(1000), truncated: true });
  });

  it('fails with the upstream error when the answer breaks after it started, and records it', async () => {
    await expect(proxyBuffered({ caller: alice, url: `http://127.0.0.1:${upstream.port}/broken` }, proxy.deps)).rejects.toMatchObject({
      code: 'BAD_GATEWAY',
    });
    expect(proxy.audit.at(-1)).toMatchObject({ status: 200, responseBytes: 7, error: 'BAD_GATEWAY' });
  });

  it('applies the same allow list and errors', async () => {
    await expect(proxyBuffered({ caller: alice, url: `http://127.0.0.9:${upstream.port}/` }, proxy.deps)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    await expect(proxyBuffered({ caller: alice, url: 'https://' }, proxy.deps)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
