import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normanErrorTable } from '../../rest-compat/errors.js';
import { errorCodes } from '../../src/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * One Norman error table (rest-compat/errors.ts) for every REST-ish face: the same
 * condition answers the same Norman code and status on /v3, /v3-public, /meta/proxy
 * and the router's own refusals.
 */
describe('the one Norman error table', () => {
  it('names every server error code, with Norman’s own names and the server’s statuses', () => {
    expect(Object.keys(normanErrorTable).sort()).toEqual(Object.keys(errorCodes).sort());
    for (const [code, row] of Object.entries(normanErrorTable)) expect(row.status, code).toBe(errorCodes[code as keyof typeof errorCodes]);
    expect(normanErrorTable).toMatchObject({
      BAD_REQUEST: { code: 'InvalidBodyContent' },
      METHOD_NOT_ALLOWED: { code: 'MethodNotAllow' },
      INTERNAL_SERVER_ERROR: { code: 'ServerError' },
      PAYLOAD_TOO_LARGE: { code: 'RequestEntityTooLarge' },
      RATE_LIMITED: { code: 'TooManyRequests' },
      UNAVAILABLE: { code: 'ServiceUnavailable' },
    });
  });

  describe('held by every face', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp(databaseTargets.at(-1)!);
    });
    afterAll(() => server?.close());

    const anonymous = () => ({ url: server.url });
    const expectCode = (response: { status: number; body: Record<string, unknown> }, status: number, code: string, where: string) => {
      expect(response.status, `${where}: ${JSON.stringify(response.body)}`).toBe(status);
      expect(response.body, where).toMatchObject({ type: 'error', baseType: 'error', status, code });
    };

    it('a body that is not JSON: 400 InvalidBodyContent on /v3, /v3-public; a bad proxy target the same', async () => {
      expectCode(await v3(server, 'POST', '/v3/clusters', '{not json'), 400, 'InvalidBodyContent', '/v3');
      expectCode(await v3(anonymous(), 'POST', '/v3-public/localProviders/local?action=login', '{not json'), 400, 'InvalidBodyContent', '/v3-public');
      expectCode(await v3(server, 'GET', '/meta/proxy/localhost:abc/'), 400, 'InvalidBodyContent', '/meta/proxy');
    });

    it('a method the route does not take: 405 MethodNotAllow on /v3 and /v3-public', async () => {
      expectCode(await v3(server, 'PATCH', '/v3/clusters'), 405, 'MethodNotAllow', '/v3');
      expectCode(await v3(anonymous(), 'GET', '/v3-public/localProviders/local?action=login'), 405, 'MethodNotAllow', '/v3-public');
    });

    it('no credential: 401 Unauthorized on /v3 and /meta/proxy', async () => {
      expectCode(await v3(anonymous(), 'GET', '/v3/clusters'), 401, 'Unauthorized', '/v3');
      expectCode(await v3(anonymous(), 'GET', '/meta/proxy/api.digitalocean.com/v2/droplets'), 401, 'Unauthorized', '/meta/proxy');
    });

    it('nothing there: 404 NotFound on /v3, /v3-public and the router', async () => {
      expectCode(await v3(server, 'GET', '/v3/nothing-here'), 404, 'NotFound', '/v3');
      expectCode(await v3(anonymous(), 'POST', '/v3-public/nothing-here'), 404, 'NotFound', '/v3-public');
      expectCode(await v3(server, 'GET', '/nothing-here'), 404, 'NotFound', 'router');
    });

    it('too large: 413 RequestEntityTooLarge on /v3 and /v3-public', async () => {
      const huge = JSON.stringify({ name: 'x', description: 'd'.repeat(1024 * 1024 + 10) });
      expectCode(await v3(server, 'POST', '/v3/clusters', huge), 413, 'RequestEntityTooLarge', '/v3');
      expectCode(await v3(anonymous(), 'POST', '/v3-public/localProviders/local?action=login', huge), 413, 'RequestEntityTooLarge', '/v3-public');
    });

    it('a host off the allow list: 503 ServiceUnavailable from the proxy, the name the database outage uses', async () => {
      expectCode(await v3(server, 'GET', '/meta/proxy/off-the-list.example/x'), 503, 'ServiceUnavailable', '/meta/proxy');
    });
  });
});
