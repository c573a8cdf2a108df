import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseProxyTarget, proxyBuffered, type BufferedProxyInput, type Resolver } from '../../src/proxy/index.js';
import { HeadOnly } from '../../src/proxy/transport.js';
import { alice, startProxy, startUpstream, type ProxyHarness, type Upstream } from './helpers.js';

let upstream: Upstream;
let proxy: ProxyHarness;
let lookups: string[];
let answers: Record<string, string[]>;

// A DNS server the attacker controls: answers are whatever the test says, per lookup.
const resolve: Resolver = async (host) => {
  lookups.push(host);
  const next = answers[host]?.shift();
  return next ? next.split(',').map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) : [];
};

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await startProxy({ allow: ['*.example.com', 'ec2.%.amazonaws.com', 'localhost.example.org'], resolve });
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});
beforeEach(() => {
  lookups = [];
  answers = {};
  upstream.seen.length = 0;
});

describe('internal addresses', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.8',
    '172.16.3.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '64:ff9b::7f00:1',
  ])('a wildcard entry never admits a name resolving to %s', async (address) => {
    answers['api.example.com'] = [address];
    const answer = await proxy.send(`http:/api.example.com:${upstream.port}/`);
    expect(answer.status).toBe(503);
    expect(answer.text).not.toContain(address);
    expect(upstream.seen).toHaveLength(0);
  });

  it('refuses a name when any one of its addresses is internal', async () => {
    answers['api.example.com'] = ['93.184.216.34,127.0.0.1'];
    expect((await proxy.send(`http:/api.example.com:${upstream.port}/`)).status).toBe(503);
  });

  it.each(['127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1', '127.1', '[::ffff:127.0.0.1]', '[::1]', '169.254.169.254', '0251.0376.0251.0376'])(
    'refuses the IP literal %s, however spelled, when not itself listed',
    async (spelling) => {
      const answer = await proxy.send(`http:/${spelling}:${upstream.port}/`);
      expect(answer.status).toBe(503);
      expect(upstream.seen).toHaveLength(0);
    },
  );

  it('admits an internal address only when that exact host or IP is listed', async () => {
    answers['localhost.example.org'] = ['127.0.0.1'];
    expect((await proxy.send(`http:/localhost.example.org:${upstream.port}/`)).status).toBe(200);
    proxy.allow.push('127.0.0.1');
    try {
      expect((await proxy.send(`http:/2130706433:${upstream.port}/`)).status).toBe(200);
    } finally {
      proxy.allow.pop();
    }
  });
});

describe('DNS rebinding', () => {
  it('resolves once and connects to the checked address, so a second answer cannot redirect the request', async () => {
    // Listed exactly, so loopback is admitted; the second answer is what a rebinding
    // server would give a proxy that looked the name up again to connect.
    answers['pinned.example.com'] = ['127.0.0.1', '127.0.0.2'];
    proxy.allow.push('pinned.example.com');
    try {
      const answer = await proxy.send(`http:/pinned.example.com:${upstream.port}/`);
      expect(answer.status).toBe(200);
      expect(upstream.seen).toHaveLength(1);
      expect(lookups).toEqual(['pinned.example.com']);
    } finally {
      proxy.allow.pop();
    }
  });

  it('never looks a name up in the transport: it dials the address it is handed', async () => {
    const target = parseProxyTarget(`http:/name-that-does-not-resolve.invalid:${upstream.port}/x`);
    const head = new HeadOnly();
    await proxy.deps.transport.send({ target, address: '127.0.0.1', method: 'GET', headers: {} }, head);
    expect(head.answer.status).toBe(200);
    expect(upstream.seen[0]).toMatchObject({ url: '/x', headers: { host: `name-that-does-not-resolve.invalid:${upstream.port}` } });
  });

  it('refuses when the internal answer comes first', async () => {
    answers['ec2.us-east-1.amazonaws.com'] = ['127.0.0.1', '93.184.216.34'];
    expect((await proxy.send(`http:/ec2.us-east-1.amazonaws.com:${upstream.port}/`)).status).toBe(503);
    expect(upstream.seen).toHaveLength(0);
  });
});

describe('smuggling', () => {
  it('refuses CR/LF in a header value and in arbitrary signer values (400, nothing sent)', async () => {
    proxy.allow.push('127.0.0.1');
    try {
      const inputs: Array<Pick<BufferedProxyInput, 'headers' | 'cattleAuth'>> = [
        { headers: { 'x-evil': 'a\r\nHost: internal' } },
        { cattleAuth: 'arbitrary headers=X-A=1\r\nX-Injected:1' },
        { headers: { 'x-api-auth-header': 'Bearer x\nX-Injected: 1' } },
      ];
      for (const input of inputs) {
        await expect(proxyBuffered({ caller: alice, url: `http://127.0.0.1:${upstream.port}/`, ...input }, proxy.deps)).rejects.toMatchObject({ status: 400 });
      }
      expect(upstream.seen).toHaveLength(0);
    } finally {
      proxy.allow.pop();
    }
  });

  it('refuses CONNECT and TRACE', async () => {
    proxy.allow.push('127.0.0.1');
    try {
      await expect(proxyBuffered({ caller: alice, url: `http://127.0.0.1:${upstream.port}/`, method: 'TRACE' }, proxy.deps)).rejects.toMatchObject({
        status: 400,
      });
      await expect(proxyBuffered({ caller: alice, url: `http://127.0.0.1:${upstream.port}/`, method: 'GET /x HTTP/1.1' }, proxy.deps)).rejects.toMatchObject({
        status: 400,
      });
    } finally {
      proxy.allow.pop();
    }
  });
});
