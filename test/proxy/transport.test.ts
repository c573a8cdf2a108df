import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyTarget } from '../../src/proxy/index.js';
import { createTransport, type AnswerSink, type Transport } from '../../src/proxy/transport.js';
import { closeServer, listen, localhostCertificate, sha256, startProxy, startUpstream, type ProxyHarness, type Upstream } from './helpers.js';

let proxy: ProxyHarness;

beforeAll(async () => {
  proxy = await startProxy({ allow: ['127.0.0.1', 'localhost'], timeouts: { headersMs: 300, tlsMs: 300, totalMs: 2_000 }, requestBodyLimit: 64 * 1024 });
});
afterAll(() => proxy.close());

async function withUpstream<T>(upstream: Upstream, run: (upstream: Upstream) => Promise<T>): Promise<T> {
  try {
    return await run(upstream);
  } finally {
    await upstream.close();
  }
}

describe('upstream failures', () => {
  it('answers 502 when nothing listens, naming the cause but no address', async () => {
    const closed = await startUpstream();
    await closed.close();
    const answer = await proxy.send(`http:/127.0.0.1:${closed.port}/`);
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ code: 'BadGateway', message: expect.stringContaining('ECONNREFUSED') });
    expect(answer.text).not.toContain('127.0.0.1');
  });

  it('answers 502 when the TLS certificate is not trusted', async () => {
    await withUpstream(await startUpstream(undefined, await localhostCertificate()), async (upstream) => {
      const answer = await proxy.send(`localhost:${upstream.port}/`);
      expect(answer.status).toBe(502);
      expect(answer.json<{ message: string }>().message).toMatch(/TLS handshake .*failed/);
      expect(upstream.seen).toHaveLength(0);
    });
  });

  it('answers 504 when the TLS handshake stalls', async () => {
    const silent: TcpServer = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const answer = await proxy.send(`127.0.0.1:${port}/`);
      expect(answer.status).toBe(504);
      expect(answer.json<{ message: string }>().message).toContain('TLS handshake');
    } finally {
      silent.close();
    }
  });

  it('answers 504 when the response headers do not come in time', async () => {
    await withUpstream(await startUpstream(() => undefined), async (upstream) => {
      const answer = await proxy.send(`http:/127.0.0.1:${upstream.port}/slow`);
      expect(answer.status).toBe(504);
      expect(answer.json()).toMatchObject({ code: 'GatewayTimeout' });
    });
  });

  it('answers 502 when the upstream resets the connection', async () => {
    await withUpstream(await startUpstream((_seen, response) => void response.socket?.destroy()), async (upstream) => {
      const answer = await proxy.send(`http:/127.0.0.1:${upstream.port}/reset`);
      expect(answer.status).toBe(502);
      expect(answer.json()).toMatchObject({ message: 'the upstream closed the connection' });
    });
  });

  it('cuts a response that outlives the total timeout, and records the failure', async () => {
    await withUpstream(
      await startUpstream((_seen, response) => {
        response.writeHead(200);
        response.write('partial');
      }),
      async (upstream) => {
        proxy.audit.length = 0;
        await expect(proxy.send(`http:/127.0.0.1:${upstream.port}/drip`)).rejects.toThrow();
        await expect.poll(() => proxy.audit[0]).toMatchObject({ status: 200, error: 'GATEWAY_TIMEOUT' });
      },
    );
  });
});

describe('request bodies', () => {
  it('refuses a declared length over the limit with 413 before connecting', async () => {
    await withUpstream(await startUpstream(), async (upstream) => {
      const answer = await proxy.send(`http:/127.0.0.1:${upstream.port}/`, { method: 'POST', body: Buffer.alloc(64 * 1024 + 1) });
      expect(answer.status).toBe(413);
      expect(answer.json()).toMatchObject({ code: 'RequestEntityTooLarge' });
      expect(upstream.seen).toHaveLength(0);
    });
  });

  it('refuses a chunked body with 413 as soon as it passes the limit', async () => {
    await withUpstream(await startUpstream(), async (upstream) => {
      const answer = await new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest(
          { host: '127.0.0.1', port: proxy.port, method: 'POST', path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/` },
          (response) => {
            response.resume();
            resolve(response.statusCode!);
          },
        );
        outgoing.once('error', reject);
        for (let i = 0; i < 10; i++) outgoing.write(Buffer.alloc(16 * 1024));
        outgoing.end();
      });
      expect(answer).toBe(413);
    });
  });

  it('streams a body within the limit unchanged', async () => {
    await withUpstream(await startUpstream(), async (upstream) => {
      const body = Buffer.alloc(60 * 1024, 7);
      const answer = await proxy.send(`http:/127.0.0.1:${upstream.port}/`, { method: 'POST', body });
      expect(answer.json()).toMatchObject({ bodyLength: body.length, bodySha256: sha256(body) });
    });
  });
});

describe('streaming responses', () => {
  it('streams a 20 MiB response without holding it: the first MiB arrives before the upstream sends the rest', async () => {
    let releaseRest!: () => void;
    const firstMiBArrived = new Promise<void>((resolve) => (releaseRest = resolve));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const upstream = await startUpstream(async (_seen, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(20 * chunk.length) });
      response.write(chunk);
      // A buffering proxy would deadlock here: the client never sees the first MiB.
      await firstMiBArrived;
      for (let i = 1; i < 20; i++) if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      response.end();
    });
    try {
      const received = await new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest({ host: '127.0.0.1', port: proxy.port, path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/big` }, (response) => {
          expect(response.headers['content-length']).toBe(String(20 * chunk.length));
          let total = 0;
          response.on('data', (data: Buffer) => {
            total += data.length;
            if (total >= chunk.length) releaseRest();
          });
          response.once('end', () => resolve(total));
          response.once('error', reject);
        });
        outgoing.once('error', reject);
        outgoing.end();
      });
      expect(received).toBe(20 * chunk.length);
      await expect.poll(() => proxy.audit.at(-1)).toMatchObject({ responseBytes: 20 * chunk.length });
    } finally {
      await upstream.close();
    }
  });

  it('paces the upstream to the client: a client that stops reading stops the upstream, and nothing piles up in between', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'b');
    const total = 64;
    let written = 0;
    const upstream = await startUpstream(async (_seen, response) => {
      response.writeHead(200, { 'content-length': String(total * chunk.length) });
      for (let i = 0; i < total; i++) {
        written += chunk.length;
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
    });
    // Its own proxy: the shared one's total timeout (2 s) would cut the exchange while the client waits.
    const patient = await startProxy({ allow: ['127.0.0.1'], timeouts: { totalMs: 30_000 } });
    try {
      let client!: IncomingMessage;
      await new Promise<void>((resolve, reject) => {
        const outgoing = httpRequest({ host: '127.0.0.1', port: patient.port, path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/paced` }, (response) => {
          client = response.pause();
          resolve();
        });
        outgoing.once('error', reject);
        outgoing.end();
      });
      // Wait until the upstream's writing stalls (it must: the client reads nothing).
      let before = -1;
      for (let polls = 0; polls < 50 && written !== before; polls++) {
        before = written;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(written).toBe(before);
      // What is held between the two is the sockets' buffers, not the answer.
      expect(written).toBeLessThan((total / 2) * chunk.length);
      let received = 0;
      client
        .on('data', (data: Buffer) => {
          received += data.length;
        })
        .resume();
      await new Promise((resolve, reject) => client.once('end', resolve).once('error', reject));
      expect(received).toBe(total * chunk.length);
    } finally {
      await upstream.close();
      await patient.close();
    }
  });

  it('cancels the upstream exchange when the caller goes away before the answer, and records it', async () => {
    // Its own proxy with generous timeouts: only the caller's leaving can end this exchange.
    const patient = await startProxy({ allow: ['127.0.0.1'], timeouts: { headersMs: 15_000, totalMs: 15_000 } });
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    let outgoing!: ReturnType<typeof httpRequest>;
    // The upstream never answers; the caller leaves as soon as the request has reached it.
    const upstream = await startUpstream((_seen, response) => {
      response.once('close', () => upstreamClosed());
      outgoing.destroy();
    });
    try {
      outgoing = httpRequest({ host: '127.0.0.1', port: patient.port, path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/never` });
      outgoing.once('error', () => undefined);
      outgoing.end();
      await closed;
      await expect.poll(() => patient.audit[0]).toMatchObject({ status: 502, error: 'BAD_GATEWAY' });
    } finally {
      await upstream.close();
      await patient.close();
    }
  });

  it('stops the upstream transfer when the caller goes away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const upstream = await startUpstream((_seen, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024)), 5);
      response.once('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    try {
      const outgoing = httpRequest({ host: '127.0.0.1', port: proxy.port, path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/endless` }, (response) => {
        response.once('data', () => outgoing.destroy());
      });
      outgoing.once('error', () => undefined);
      outgoing.end();
      await closed;
    } finally {
      await upstream.close();
    }
  });
});

describe('connection pools', () => {
  /** An upstream that answers `ok` and counts its open connections. */
  async function countingUpstream() {
    const sockets = new Set<Socket>();
    const server = createHttpServer((_request, response) => response.end('ok'));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const port = await listen(server);
    return { port, open: () => sockets.size, close: () => closeServer(server) };
  }

  /** Reads a whole answer, so its connection goes back to the pool. */
  function readWhole(transport: Transport, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let status = 0;
      const sink: AnswerSink = {
        start: (answered) => {
          status = answered;
        },
        data: () => true,
        end: () => resolve(status),
        fail: reject,
      };
      transport.send({ target: parseProxyTarget(`http:/127.0.0.1:${port}/`), address: '127.0.0.1', method: 'GET', headers: {} }, sink).catch(reject);
    });
  }

  it('keeps the pools used most recently and closes the one used least recently', async () => {
    const [a, b, c] = await Promise.all([countingUpstream(), countingUpstream(), countingUpstream()]);
    const transport = createTransport({ maxPools: 2 });
    try {
      expect(await readWhole(transport, a.port)).toBe(200);
      expect(await readWhole(transport, b.port)).toBe(200);
      // a is used again, so b is now the least recently used of the two.
      expect(await readWhole(transport, a.port)).toBe(200);
      expect(await readWhole(transport, c.port)).toBe(200);
      await expect.poll(() => b.open()).toBe(0);
      expect(a.open()).toBe(1);
      expect(c.open()).toBe(1);
      // b's pool is gone; using it again opens a new one (and closes a, now the oldest).
      expect(await readWhole(transport, b.port)).toBe(200);
      await expect.poll(() => a.open()).toBe(0);
    } finally {
      await transport.close();
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
