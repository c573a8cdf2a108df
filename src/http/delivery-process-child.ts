// The delivery process (./delivery-process.ts): writes the bytes of live-change streams
// to connections the server handed over. It reads nothing and decides nothing: what to
// write, to whom and when comes from the server, which keeps the rights, the streams and
// the HTTP exchange; this process only spends the system calls, one per connection and
// batch, off the server's thread. Imports nothing but Node's own modules, so it starts
// in a few milliseconds and holds little memory.
import type { Socket } from 'node:net';
import type { FromDeliveryProcess, ToDeliveryProcess, WriteGroup } from './delivery-protocol.js';

/** More than this waiting for a client means it stopped reading: the server is told, and stops handing it events. */
const fullAtBytes = 64 * 1024;
/** How long a stopping server's connections get to take their last bytes. */
const closeGraceMs = 2_000;
/** How long an ended connection's client gets to read its last bytes before it is closed anyway. */
const endGraceMs = 30_000;

interface Connection {
  socket: Socket;
  chunked: boolean;
  full: boolean;
}

const connections = new Map<number, Connection>();
const terminalChunk = Buffer.from('0\r\n\r\n');

const tell = (message: FromDeliveryProcess) => {
  if (process.connected) process.send!(message);
};

/** `bytes` as one chunk of chunked transfer coding: the length in hex, the bytes, CRLF. */
const chunkOf = (bytes: Uint8Array): Buffer => Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);

function adopt(id: number, socket: Socket, chunked: boolean): void {
  // The server's copy of the socket reads the connection (and sees it end); this one only writes.
  socket.pause();
  const connection: Connection = { socket, chunked, full: false };
  connections.set(id, connection);
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    connections.delete(id);
    tell({ kind: 'closed', id });
    exitWhenDone();
  });
  socket.on('drain', () =>
    // Behind a flush of writes that arrived meanwhile (queued before this), which may fill it again.
    setImmediate(() => {
      if (!connection.full || socket.writableLength > fullAtBytes) return;
      connection.full = false;
      tell({ kind: 'drained', id });
    }),
  );
}

/** Groups sent but not written yet: the messages that arrived in this turn of the loop. */
let waiting: WriteGroup[] = [];
/** The number of the last `write` message that arrived: each flush tells the server it wrote up to it. */
let lastMessage = 0;

/**
 * Writes wait for the end of the turn, so that messages that queued while this process
 * was busy (behind the server on a loaded machine) go out together: each connection takes
 * one system call for all of them, and its client one read, however many hand-outs
 * they were. A process that keeps up writes each message as it comes.
 */
function write(groups: WriteGroup[], message: number): void {
  if (waiting.length === 0) setImmediate(flush);
  waiting.push(...groups);
  lastMessage = message;
}

function flush(): void {
  const groups = waiting;
  if (groups.length === 0) return;
  waiting = [];
  // A connection with several groups (events rendered for it alone, or several messages'
  // worth) takes them in one system call: corked until all are written.
  const corked = new Set<Socket>();
  for (const [bytes, ids] of groups) {
    // Framed once for every chunked connection of the group.
    let chunk: Buffer | undefined;
    for (const id of ids) {
      const connection = connections.get(id);
      if (!connection || connection.socket.destroyed) continue;
      if (connection.chunked) chunk ??= chunkOf(bytes);
      if (groups.length > 1 && !corked.has(connection.socket)) {
        connection.socket.cork();
        corked.add(connection.socket);
      }
      connection.socket.write(connection.chunked ? chunk! : bytes);
      if (!connection.full && connection.socket.writableLength > fullAtBytes) {
        connection.full = true;
        tell({ kind: 'full', id });
      }
    }
  }
  for (const socket of corked) socket.uncork();
  // After any `full` it found: the server then knows the client's state before it hears this.
  tell({ kind: 'written', through: lastMessage });
}

function end(id: number, bytes: Uint8Array | undefined): void {
  flush();
  const connection = connections.get(id);
  if (!connection) return;
  const last = connection.chunked ? Buffer.concat([bytes ? chunkOf(bytes) : Buffer.alloc(0), terminalChunk]) : (bytes ?? Buffer.alloc(0));
  connection.socket.end(last, () => connection.socket.destroy());
  // A client that stopped reading would hold it open for ever.
  setTimeout(() => connection.socket.destroy(), endGraceMs).unref();
}

/** Set once the server is stopping: the process exits when its last connection has closed. */
let closing = false;

function closeAll(): void {
  closing = true;
  for (const id of connections.keys()) end(id, undefined);
  exitWhenDone();
  setTimeout(() => process.exit(0), closeGraceMs).unref();
}

function exitWhenDone(): void {
  if (closing && connections.size === 0) process.exit(0);
}

process.on('message', (message: ToDeliveryProcess, handle?: Socket) => {
  switch (message.kind) {
    case 'adopt':
      if (handle) adopt(message.id, handle, message.chunked);
      else tell({ kind: 'closed', id: message.id });
      return;
    case 'write':
      return write(message.groups, message.message);
    case 'end':
      return end(message.id, message.bytes);
    case 'drop':
      connections.get(message.id)?.socket.destroy();
      return;
    case 'close':
      return closeAll();
  }
});
// The server is gone: nobody is left to say what to write.
process.on('disconnect', () => process.exit(0));
