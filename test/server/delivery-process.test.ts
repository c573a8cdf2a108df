import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { getPriority } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryProcess, type HandedOffConnection } from '../../src/http/delivery-process.js';
import { createLogger } from '../../src/logger.js';
import { atServerPriority, fromTheDeliveryProcess } from '../helpers/delivery-process.js';

/**
 * The delivery process (src/http/delivery-process.ts) against real connections: a plain
 * node:http server whose responses are handed over once their headers are out, and
 * clients that read them through Node's own HTTP parser (chunked) or a raw socket
 * (HTTP/1.0, where the body ends with the connection).
 */
describe('the delivery process', () => {
  let server: Server;
  let url: string;
  let delivery: DeliveryProcess;
  /** The process the server hands its responses to (the last test brings its own). */
  let handingTo: DeliveryProcess;
  /** Each request's response, handed over, in the order they arrived. */
  let handedOff: Array<HandedOffConnection | undefined> = [];
  let arrived: Array<(connection: HandedOffConnection | undefined) => void> = [];

  beforeAll(async () => {
    delivery = new DeliveryProcess(createLogger('silent'), atServerPriority);
    handingTo = delivery;
    server = createServer((_request: IncomingMessage, response: ServerResponse) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('headers and the first bytes are the server’s\n');
      // Once the server's own bytes are out: the socket then holds nothing of it.
      setImmediate(() => {
        const connection = handingTo.handOff(response.socket, response.chunkedEncoding);
        handedOff.push(connection);
        arrived.shift()?.(connection);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    handedOff = [];
    arrived = [];
  });
  afterAll(async () => {
    await delivery.close();
    server.closeAllConnections();
    server.close();
  });

  /** Opens a request and resolves once its response was handed over, with the body as it will have been read. */
  const open = async () => {
    const connection = new Promise<HandedOffConnection | undefined>((resolve) => arrived.push(resolve));
    // A fresh connection each: the server closes every handed-over one when its response ends.
    const response = await new Promise<IncomingMessage>((resolve) => get(url, { agent: false }, resolve));
    let body = '';
    response.setEncoding('utf8').on('data', (text: string) => (body += text));
    const ended = new Promise<string>((resolve) => {
      response.once('end', () => resolve(body));
      response.once('aborted', () => resolve(`${body}<aborted>`));
      response.once('error', () => resolve(`${body}<error>`));
    });
    return { connection: (await connection)!, ended, response };
  };

  it('writes every connection its bytes in the order it was sent them, shared bytes and all, and ends each with the terminal chunk', async () => {
    const [one, two] = [await open(), await open()];
    expect(one.connection).toBeDefined();
    const shared = new TextEncoder().encode('shared\n');
    const own = new TextEncoder().encode('own\n');
    // One connection takes the shared bytes first, the other last: each keeps its own order.
    one.connection.write(shared);
    two.connection.write(own);
    one.connection.write(own);
    two.connection.write(shared);
    one.connection.end(new TextEncoder().encode('bye\n'));
    two.connection.end();
    const first = 'headers and the first bytes are the server’s\n';
    expect(await one.ended).toBe(`${first}shared\nown\nbye\n`);
    expect(await two.ended).toBe(`${first}own\nshared\n`);
    expect(delivery.stats()).toMatchObject({ connections: 0, handedOver: 2 });
  });

  it('speaks to an HTTP/1.0 client without chunks, the body ending with the connection', async () => {
    const connection = new Promise<HandedOffConnection | undefined>((resolve) => arrived.push(resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.write('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n');
    let received = '';
    socket.setEncoding('utf8').on('data', (text: string) => (received += text));
    const handed = (await connection)!;
    handed.write(new TextEncoder().encode('raw\n'));
    handed.end(new TextEncoder().encode('end\n'));
    await once(socket, 'close');
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received.endsWith('\r\n\r\nheaders and the first bytes are the server’s\nraw\nend\n')).toBe(true);
  });

  it('says a connection is full while its client does not read, and calls onDrain once it took what waited', async () => {
    const { connection, response } = await open();
    try {
      response.pause();
      const drained = new Promise<void>((resolve) => (connection.onDrain = resolve));
      const block = new Uint8Array(256 * 1024).fill(0x61);
      // The kernel's buffers take the first few blocks; then the child holds them and says so
      // (16 MB is more than loopback's buffers hold).
      for (let sent = 0; sent < 64 && !connection.full; sent += 1) {
        connection.write(block);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await expect.poll(() => connection.full, fromTheDeliveryProcess).toBe(true);
      // Refused, but queued behind the rest: a slow child may read it only after it told
      // `drained` for what it held, and then be full again for a moment.
      expect(connection.write(block)).toBe(false);
      response.resume();
      await drained;
      await expect.poll(() => connection.full, fromTheDeliveryProcess).toBe(false);
    } finally {
      connection.drop();
    }
  });

  it('counts every connection full while more than a megabyte sent to the process is not written yet, and calls onDrain once it caught up', async () => {
    const { connection, ended } = await open();
    const { pid } = delivery.stats();
    const drained = new Promise<void>((resolve) => (connection.onDrain = resolve));
    const block = new Uint8Array(512 * 1024).fill(0x62);
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    // Nothing of the test before still on its way (a busy machine's child can be behind by it).
    await expect.poll(() => delivery.stats().unwrittenBytes, fromTheDeliveryProcess).toBe(0);
    let endedHere = false;
    try {
      // A process that falls behind (here: stopped) has said nothing of the client, which reads.
      process.kill(pid!, 'SIGSTOP');
      try {
        expect(connection.write(block)).toBe(true);
        await nextTurn();
        expect(connection.write(block)).toBe(true);
        await nextTurn();
        // 1 MiB on its way: the bound, not past it.
        expect(delivery.stats().unwrittenBytes).toBe(2 * block.byteLength);
        expect(connection.full).toBe(false);
        expect(connection.write(block)).toBe(true);
        await nextTurn();
        expect(connection.full).toBe(true);
        expect(connection.write(block)).toBe(false);
      } finally {
        process.kill(pid!, 'SIGCONT');
      }
      await drained;
      await expect.poll(() => connection.full, fromTheDeliveryProcess).toBe(false);
      connection.end(new TextEncoder().encode('\nend\n'));
      endedHere = true;
      // Every byte it was sent arrives, the refused write's too (queued behind the rest), in order.
      expect(await ended).toBe(`headers and the first bytes are the server’s\n${'b'.repeat(4 * 512 * 1024)}\nend\n`);
      await expect.poll(() => delivery.stats().unwrittenBytes, fromTheDeliveryProcess).toBe(0);
    } finally {
      // A failure above leaves no connection open for the tests after it.
      if (!endedHere) connection.drop();
    }
  });

  it('closes a connection at once when dropped, and forgets one whose client left', async () => {
    const dropped = await open();
    dropped.connection.write(new TextEncoder().encode('before\n'));
    dropped.connection.drop();
    expect(await dropped.ended).toMatch(/<aborted>$|<error>$/);
    const left = await open();
    left.response.destroy();
    await expect.poll(() => delivery.stats().connections, fromTheDeliveryProcess).toBe(0);
  });

  it('closes the connections of a process that died, and starts another for the next one', async () => {
    const { ended } = await open();
    const { pid } = delivery.stats();
    process.kill(pid!, 'SIGKILL');
    expect(await ended).toMatch(/<aborted>$|<error>$/);
    const next = await open();
    expect(delivery.stats().pid).not.toBe(pid);
    next.connection.end(new TextEncoder().encode('again\n'));
    expect(await next.ended).toMatch(/again\n$/);
  });

  it('keeps anything but a plain TCP socket in the server', () => {
    expect(delivery.handOff({ not: 'a socket' }, true)).toBeUndefined();
  });

  it('exits when it has had nothing to write for a while (its streams ended, or their clients left), and the next connection starts another', async () => {
    const idle = new DeliveryProcess(createLogger('silent'), { ...atServerPriority, idleExitMs: 200 });
    handingTo = idle;
    const first = await open();
    const { pid } = idle.stats();
    first.connection.end();
    await first.ended;
    await expect.poll(() => isRunning(pid!), fromTheDeliveryProcess).toBe(false);
    expect(idle.stats().pid).toBeUndefined();
    // The same when the last connection goes because its client left.
    const second = await open();
    const secondPid = idle.stats().pid;
    expect(secondPid).not.toBe(pid);
    second.response.destroy();
    await expect.poll(() => isRunning(secondPid!), fromTheDeliveryProcess).toBe(false);
    const third = await open();
    third.connection.end(new TextEncoder().encode('from the next one\n'));
    expect(await third.ended).toMatch(/from the next one\n$/);
    handingTo = delivery;
    await idle.close();
  }, 90_000);

  it('runs below the server, at nice 10 unless told otherwise', async () => {
    for (const [options, niceness] of [
      [{}, 10],
      [{ niceness: 15 }, 15],
      [atServerPriority, getPriority()],
    ] as const) {
      const below = new DeliveryProcess(createLogger('silent'), options);
      handingTo = below;
      const { connection } = await open();
      try {
        expect(getPriority(below.stats().pid!)).toBe(niceness);
      } finally {
        connection.drop();
        handingTo = delivery;
        await below.close();
      }
    }
  });

  it('ends what is open and exits when closed', async () => {
    const other = new DeliveryProcess(createLogger('silent'), atServerPriority);
    handingTo = other;
    const { connection, ended } = await open();
    connection.write(new TextEncoder().encode('last words\n'));
    const { pid } = other.stats();
    await other.close();
    handingTo = delivery;
    expect(await ended).toMatch(/last words\n$/);
    expect(isRunning(pid!)).toBe(false);
    expect(other.handOff(connection, true)).toBeUndefined();
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
