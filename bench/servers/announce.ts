import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Tells bench/run.ts where the server listens (one line on stdout). */
export function announce(server: Server): void {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
}
