import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { suiteKeyPrefix } from '../helpers/redis.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * A Redis of this suite's own (never the shared one), stopped and started again while
 * a server uses it for its limits: every request still answers, the limits still hold
 * (per instance, in memory), the loss and the return are logged once each, /healthz
 * reports it without failing, and all returns to Redis by itself.
 */
class OwnRedis {
  private process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const answered = await probe.connect().then(
        () => true,
        () => false,
      );
      probe.disconnect();
      if (answered) return;
      await sleep(100);
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process?.once('exit', resolve));
    this.process?.kill('SIGKILL');
    await exited;
  }

  keys(pattern: string): Promise<string[]> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 0 });
    return client.keys(pattern).finally(() => client.disconnect());
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('limits through Redis while Redis goes away and comes back', () => {
  let redis: OwnRedis;
  let server: TestApp;
  const logLines: string[] = [];
  const logTo = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    server = await startTestApp(databaseTargets.at(-1)!, { redisUrl: redis.url }, { logTo });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  const health = async () => (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; redis: { status: string } };
  const untilRedis = async (status: string) => {
    for (let attempt = 0; attempt < 300 && (await health()).redis.status !== status; attempt += 1) await sleep(100);
    expect((await health()).redis.status).toBe(status);
  };
  const mentions = (text: string) => logLines.filter((line) => line.includes(text)).length;
  const login = (password: string) => v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', { username: 'admin', password });

  it('shares the count through Redis while it is up', async () => {
    expect((await health()).redis.status).toBe('ok');
    expect((await v3(server, 'GET', '/v3/clusters')).status).toBe(200);
    expect((await redis.keys(`${suiteKeyPrefix}api-rate*`)).length).toBeGreaterThan(0);
  });

  it('keeps answering, and limiting per instance, while Redis is down; logs the loss once; /healthz stays 200', async () => {
    await redis.stop();
    await untilRedis('unreachable');
    const healthy = await fetch(`${server.url}/healthz`);
    expect(healthy.status).toBe(200);

    const reads = [];
    for (let index = 0; index < 5; index += 1) reads.push(await v3(server, 'GET', '/v3/clusters'));
    expect(reads.map((read) => read.status)).toEqual([200, 200, 200, 200, 200]);
    // Counted in memory: the remaining allowance still goes down request by request.
    const remaining = reads.map((read) => Number(read.headers.get('x-ratelimit-remaining')));
    expect(remaining).toEqual([...remaining].sort((a, b) => b - a));
    expect(new Set(remaining).size).toBe(5);

    expect((await server.graphql(`{ clusters { totalCount } }`)).errors).toBeUndefined();
    expect((await v3(server, 'POST', '/v3/clusters', { name: 'while-redis-is-down' })).status).toBe(201);

    // The login limit (10 a minute per address and username) still holds.
    const tries = [];
    for (let index = 0; index < 10; index += 1) tries.push((await login(`wrong-${index}`)).status);
    expect(tries).toEqual(Array(10).fill(401));
    expect((await login(server.adminPassword)).status).toBe(429);

    expect(mentions('Redis is unreachable')).toBe(1);
    expect(mentions('Redis is back')).toBe(0);
  });

  it('returns to Redis by itself once it is back, and logs that once', async () => {
    await redis.start();
    await untilRedis('ok');
    expect((await v3(server, 'GET', '/v3/users')).status).toBe(200);
    expect((await redis.keys(`${suiteKeyPrefix}api-rate*`)).length).toBeGreaterThan(0);
    expect(mentions('Redis is unreachable')).toBe(1);
    expect(mentions('Redis is back')).toBe(1);
  });
});
