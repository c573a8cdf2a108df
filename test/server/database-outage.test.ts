import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets, postgresUrl } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * A loopback TCP forwarder in front of the shared PostgreSQL: closing it takes the
 * database away from this one server (new connections refused, open ones cut)
 * without touching PostgreSQL itself; opening it again on the same port brings it back.
 */
class Forwarder {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server?.listening) return;
    this.server = createServer((client) => {
      const upstream = connect(this.upstream.port, this.upstream.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          for (const one of [client, upstream]) one.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

describe.skipIf(!postgresReachable)('a database outage answers 503 with Retry-After on every face, and recovers by itself', () => {
  const upstream = new URL(postgresUrl);
  const forwarder = new Forwarder({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  let server: TestApp;

  beforeAll(async () => {
    await forwarder.open();
    const through = new URL(postgresUrl);
    through.port = String(forwarder.port);
    server = await startTestApp({ name: 'postgres', url: through.toString() });
  });
  afterAll(async () => {
    await forwarder.open();
    await server?.close();
    await forwarder.close();
  });

  const graphql = () =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ clusters { totalCount } }' }),
    });

  it('answers 503 while the database is away, then 200 again once it is back', async () => {
    expect((await v3(server, 'GET', '/v3/clusters')).status).toBe(200);
    await forwarder.close();

    const norman = await v3(server, 'GET', '/v3/clusters');
    expect(norman.status, JSON.stringify(norman.body)).toBe(503);
    expect(norman.body).toMatchObject({ type: 'error', status: 503, code: 'ServiceUnavailable' });
    expect(Number(norman.headers.get('retry-after'))).toBeGreaterThan(0);

    const created = await v3(server, 'POST', '/v3/clusters', { name: 'during-outage' });
    expect(created.status).toBe(503);

    const login = await v3({ url: server.url }, 'POST', '/v3-public/localProviders/local?action=login', { username: 'admin', password: server.adminPassword });
    expect(login.status, JSON.stringify(login.body)).toBe(503);
    expect(login.body).toMatchObject({ code: 'ServiceUnavailable' });

    const viaGraphQL = await graphql();
    expect(viaGraphQL.status).toBe(503);
    expect(Number(viaGraphQL.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await viaGraphQL.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAVAILABLE');

    const kubernetes = await v3(server, 'GET', '/v1/provisioning.cattle.io.clusters');
    expect(kubernetes.status).toBe(503);
    expect(kubernetes.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect(Number(kubernetes.headers.get('retry-after'))).toBeGreaterThan(0);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);

    await forwarder.open();
    expect((await v3(server, 'GET', '/v3/clusters')).status).toBe(200);
    expect((await graphql()).status).toBe(200);
    expect((await v3(server, 'GET', '/v1/provisioning.cattle.io.clusters')).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
