import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { login } from '../helpers/app.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('request logging', () => {
  const lines: Array<Record<string, unknown>> = [];
  let raw = '';
  let app: App;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-log-'));
    const sink = new Writable({
      write(chunk, _encoding, done) {
        raw += chunk;
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    app = await startApp({ ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, bootstrapPassword: 'log-test-password' }, createLogger('info', sink));
  });
  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes one line per request with method, path, status, duration and principal, and no secrets', async () => {
    const token = await login(app.url, 'admin', 'log-test-password');
    lines.length = 0;
    await fetch(`${app.url}/ping?token=query-secret`, { headers: { authorization: 'Bearer token-abcde:header-secret', cookie: 'R_SESS=cookie-secret' } });
    await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation { createCluster(input: { name: "logged", description: "body-secret" }) { id } }' }),
    });
    await fetch(`${app.url}/no/such/route`);

    const requests = lines.filter((line) => line.req);
    expect(requests).toHaveLength(3);
    expect(requests.map((line) => [line.req, line.res])).toEqual([
      [{ method: 'GET', path: '/ping' }, { status: 200 }],
      [{ method: 'POST', path: '/graphql' }, { status: 200 }],
      [{ method: 'GET', path: '/no/such/route' }, { status: 404 }],
    ]);
    for (const line of requests) expect(typeof line.ms).toBe('number');
    expect(requests.map((line) => line.principal)).toEqual(['anonymous', 'admin', 'anonymous']);
    expect(raw).not.toMatch(/query-secret|header-secret|cookie-secret|body-secret|log-test-password/);
    expect(raw).not.toContain(token.split(':')[1]);
  });
});
