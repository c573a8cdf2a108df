import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { login } from '../helpers/app.js';
import { startLoggedApp, type CapturedLog } from '../helpers/logged-app.js';

describe('request logging', () => {
  let app: App;
  let log: CapturedLog;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, log, close } = await startLoggedApp('info', 'log-test-password'));
  });
  afterAll(() => close?.());

  it('writes one line per request with method, path, status, duration and principal, and no secrets', async () => {
    const token = await login(app.url, 'admin', 'log-test-password');
    log.lines.length = 0;
    await fetch(`${app.url}/ping?token=query-secret`, { headers: { authorization: 'Bearer token-abcde:header-secret', cookie: 'R_SESS=cookie-secret' } });
    await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation { createCluster(input: { name: "logged", description: "body-secret" }) { id } }' }),
    });
    await fetch(`${app.url}/no/such/route`);

    const requests = log.lines.filter((line) => line.req);
    expect(requests).toHaveLength(3);
    expect(requests.map((line) => [line.req, line.res])).toEqual([
      [{ method: 'GET', path: '/ping' }, { status: 200 }],
      [{ method: 'POST', path: '/graphql' }, { status: 200 }],
      [{ method: 'GET', path: '/no/such/route' }, { status: 404 }],
    ]);
    for (const line of requests) expect(typeof line.ms).toBe('number');
    expect(requests.map((line) => line.principal)).toEqual(['anonymous', 'admin', 'anonymous']);
    expect(log.raw).not.toMatch(/query-secret|header-secret|cookie-secret|body-secret|log-test-password/);
    expect(log.raw).not.toContain(token.split(':')[1]);
  });
});
