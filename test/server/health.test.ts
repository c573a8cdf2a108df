import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createScratchSchema, databaseTargets, postgresUrl } from '../helpers/targets.js';

/**
 * A TCP relay between the server and PostgreSQL that the test can cut and restore,
 * to see /healthz follow the database's reachability.
 */
class Relay {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe.skipIf(!databaseTargets.some((target) => target.name === 'postgres'))('/healthz follows the database', () => {
  let relay: Relay;
  let server: TestApp;
  let dropSchema: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchSchema(postgresUrl);
    dropSchema = scratch.drop;
    const direct = new URL(scratch.url);
    relay = new Relay({ host: direct.hostname, port: Number(direct.port || 5432) });
    await relay.open();
    const relayed = new URL(scratch.url);
    relayed.host = `127.0.0.1:${relay.port}`;
    server = await startTestApp({ name: 'postgres', url: postgresUrl }, { databaseUrl: relayed.toString() });
  });
  afterAll(async () => {
    await server?.close();
    await dropSchema?.();
  });

  it('answers 200 while the database answers, 503 while it does not, and recovers', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await relay.cut();
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', database: { status: 'unreachable' } });
    // The process itself is still alive.
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe('pong');

    await relay.open(relay.port);
    await expect.poll(async () => (await fetch(`${server.url}/healthz`)).status, { timeout: 15_000, interval: 250 }).toBe(200);
  });
});
