import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { requestLogger } from '../../src/http/request-log.js';
import { createLogger } from '../../src/logger.js';
import { login } from '../helpers/app.js';
import { parseLogLine, startLoggedApp, type CapturedLog } from '../helpers/logged-app.js';

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

  it('writes each field once: every line passes a parser that refuses a repeated key', async () => {
    // The helper parses every line with it; here it is shown to refuse what it must.
    expect(() => parseLogLine('{"principal":"anonymous","principal":"admin"}')).toThrow(/unique/);
    const token = await login(app.url, 'admin', 'log-test-password');
    const before = log.raw.length;
    await fetch(`${app.url}/v3/clusters`, { headers: { authorization: `Bearer ${token}` } });
    const lines = log.raw.slice(before).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.match(/"principal":/g) ?? []).toHaveLength(line.includes('"req":') ? 1 : 0);
    expect(lines.map(parseLogLine).find((line) => line.req)?.principal).toBe('admin');
  });
});

describe('the request logger on its own', () => {
  it('writes one line per response, even if close were emitted twice', () => {
    const lines: string[] = [];
    const log = requestLogger(createLogger('info', { write: (line: string) => void lines.push(line) }));
    const request = new IncomingMessage(new Socket());
    request.method = 'GET';
    request.url = '/v3?secret=1';
    const response = new ServerResponse(request);
    log(request, response);
    response.emit('close');
    response.emit('close');
    expect(lines.map((line) => (JSON.parse(line) as { req: unknown }).req)).toEqual([{ method: 'GET', path: '/v3' }]);
  });
});
