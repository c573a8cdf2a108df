import { fork, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { setPriority } from 'node:os';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import type { FromDeliveryProcess, ToDeliveryProcess, WriteGroup } from './delivery-protocol.js';

/** A connection whose bytes the delivery process writes from now on. */
export interface HandedOffConnection {
  /** Queues `bytes` behind everything written before; false when the client stopped reading (wait for `onDrain`). */
  write(bytes: Uint8Array): boolean;
  /** Writes the last bytes and closes the connection once they are out. */
  end(bytes?: Uint8Array): void;
  /** Closes the connection at once. */
  drop(): void;
  /** True while the client is not reading what it was sent. */
  readonly full: boolean;
  /** Called when a full connection took what waited for it. */
  onDrain: (() => void) | undefined;
}

/**
 * The delivery process's nice value unless told otherwise (STREAM_DELIVERY_NICENESS): a
 * lower priority than the server's, so that on a machine whose cores are all busy the
 * requests (the writes among them) go first and the deliveries take what is left.
 */
export const defaultDeliveryNiceness = 10;

/**
 * How many bytes may be on their way to the delivery process, sent but not yet written by
 * it, before every handed-over connection counts as full. A connection's own `full` comes
 * from the child, which can only tell once it has read and written what it was sent: a
 * process slower than the server (niced, on a machine whose cores are busy) fell whole
 * hand-outs behind, and a client that stopped reading was sent megabytes before the
 * server heard — bytes held by the process, where no stream's bound counts them. Past this,
 * the streams keep their changes (and meet their bounds) until the process catches up.
 */
const maxUnwrittenBytes = 1024 * 1024;

export type DeliveryProcessOptions = {
  /** A process with no connection for this long exits (≈ 45 MB of memory back); the next stream starts another. */
  idleExitMs?: number;
  /** Its nice value, {@link defaultDeliveryNiceness} by default; 0 leaves it at the server's. */
  niceness?: number;
};

/**
 * The live-change streams' socket writes, made by a process of their own. A change
 * reaches every subscriber at once, and on plain sockets each subscriber costs one
 * system call per batch whatever the bytes (on loopback in this VM ≈ 30 µs: the
 * sender's call runs the receiver's TCP too) — for 1,000 subscribers ≈ 30 ms of the
 * serving thread per batch, taken from the requests beside them (BENCHMARKS.md,
 * subscribers). Here the server hands a stream's connection over once its response
 * headers are out (the socket travels to the child, which holds its own descriptor),
 * and then sends each batch's bytes once with the list of connections that take them.
 * The server keeps everything else: the HTTP exchange (its copy of the socket still
 * reads, so it sees the client leave), the rights, the streams and their order.
 *
 * Started at the first hand-over (and again after a failure, or after it exited for
 * having nothing to write); plain TCP connections only (a TLS connection's keys stay in
 * the server).
 */
export class DeliveryProcess {
  private child: ChildProcess | undefined;
  private readonly connections = new Map<number, Connection>();
  private nextId = 1;
  private closed = false;
  /** The writes queued this turn, grouped by their bytes (one message per turn). */
  private groups: Array<[Uint8Array, number[]]> = [];
  private readonly groupOfBytes = new Map<Uint8Array, number>();
  /** Counts the turns' messages: a connection's last group index counts only within the message it was noted in. */
  private message = 0;
  private flushQueued = false;
  private handedOver = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** The `write` messages sent to the current child that it has not said it wrote: their number and size. */
  private unwritten: Array<{ message: number; bytes: number }> = [];
  private unwrittenBytes = 0;
  /** Children told to exit because they had nothing to write: their exit is no failure. */
  private readonly retired = new WeakSet<ChildProcess>();

  private readonly idleExitMs: number;
  private readonly niceness: number;

  constructor(
    private readonly logger: Logger,
    { idleExitMs = 60_000, niceness = defaultDeliveryNiceness }: DeliveryProcessOptions = {},
  ) {
    this.idleExitMs = idleExitMs;
    this.niceness = niceness;
  }

  /**
   * The process (while it runs), the connections it writes now, how many were handed over
   * since start, and how far it is behind: the bytes sent to it that it has not said it wrote.
   */
  stats(): { pid: number | undefined; connections: number; handedOver: number; unwrittenBytes: number } {
    return { pid: this.child?.pid, connections: this.connections.size, handedOver: this.handedOver, unwrittenBytes: this.unwrittenBytes };
  }

  /**
   * Hands `socket` over, or returns undefined when it cannot be (a TLS connection, bytes
   * of the server's still waiting on it, a server that is stopping): the caller keeps writing.
   */
  handOff(socket: unknown, chunked: boolean): HandedOffConnection | undefined {
    if (this.closed || !(socket instanceof Socket) || socket instanceof TLSSocket || socket.destroyed || socket.writableLength > 0) return undefined;
    const child = this.started();
    clearTimeout(this.idleTimer);
    const connection = new Connection(this, this.nextId++, socket);
    this.connections.set(connection.id, connection);
    this.handedOver += 1;
    // Ordered with what follows: Node queues messages behind a handle until the child has it.
    child.send({ kind: 'adopt', id: connection.id, chunked } satisfies ToDeliveryProcess, socket, { keepOpen: true }, (error) => {
      if (error) connection.lost();
      else connection.handedOver();
    });
    // The client left (the server's copy sees it): the child lets go of its copy too.
    socket.once('close', () => {
      if (!this.connections.has(connection.id)) return;
      this.forget(connection.id);
      this.post({ kind: 'drop', id: connection.id });
    });
    return connection;
  }

  /** Finishes what was sent and stops the process (after the streams ended: their last bytes go first). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const child = this.child;
    if (!child) return;
    this.post({ kind: 'close' });
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => child.kill(), 5_000);
      child.once('exit', () => {
        clearTimeout(deadline);
        resolve();
      });
    });
  }

  /**
   * Queues `bytes` for `connection`, behind its earlier writes; sent with the turn's others.
   * Where the connection's last write of this turn went is kept on the connection itself:
   * a thousand subscribers take a batch in one pass, and a map of them, filled and
   * cleared every turn, cost more than the rest of the pass (BENCHMARKS.md, subscribers).
   */
  queue(connection: Connection, bytes: Uint8Array): void {
    let index = this.groupOfBytes.get(bytes);
    // A group made before this connection's last write would put these bytes ahead of it.
    const last = connection.lastMessage === this.message ? connection.lastGroup : -1;
    if (index === undefined || index < last) {
      index = this.groups.push([bytes, []]) - 1;
      this.groupOfBytes.set(bytes, index);
    }
    this.groups[index]![1].push(connection.id);
    connection.lastMessage = this.message;
    connection.lastGroup = index;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Whether more was sent to the process than it has written so far allows: every connection counts as full. */
  get backedUp(): boolean {
    return this.unwrittenBytes > maxUnwrittenBytes;
  }

  /** Sends `message` behind every write queued before it. */
  post(message: ToDeliveryProcess): void {
    this.flush();
    if (this.child?.connected) this.child.send(message);
  }

  /** Stops counting connection `id`; the last one gone starts the idle countdown. */
  forget(id: number): void {
    if (!this.connections.delete(id) || this.connections.size > 0 || !this.child) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const child = this.child;
      if (this.connections.size > 0 || !child || this.closed) return;
      this.child = undefined;
      this.retired.add(child);
      if (child.connected) child.send({ kind: 'close' } satisfies ToDeliveryProcess);
    }, this.idleExitMs).unref();
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.groups.length === 0) return;
    const groups = this.groups.map(([bytes, ids]): WriteGroup => [bytes, Uint32Array.from(ids)]);
    this.groups = [];
    this.groupOfBytes.clear();
    this.message += 1;
    if (!this.child?.connected) return;
    this.child.send({ kind: 'write', groups, message: this.message } satisfies ToDeliveryProcess);
    let bytes = 0;
    for (const [group] of groups) bytes += group.byteLength;
    this.unwritten.push({ message: this.message, bytes });
    this.unwrittenBytes += bytes;
  }

  /** The child wrote every message up to `through`: once no longer backed up, connections it had not found full may take bytes again. */
  private written(through: number): void {
    const wasBackedUp = this.backedUp;
    while (this.unwritten.length > 0 && this.unwritten[0]!.message <= through) this.unwrittenBytes -= this.unwritten.shift()!.bytes;
    if (wasBackedUp && !this.backedUp) for (const connection of this.connections.values()) connection.caughtUp();
  }

  private started(): ChildProcess {
    if (this.child) return this.child;
    // Nothing is on its way to a new child (what was sent to the one before went with it).
    this.unwritten = [];
    this.unwrittenBytes = 0;
    const { entry, fromSource } = childEntry();
    // The server's own flags (a profiler, an inspector) are not the child's; from source it needs tsx's loader.
    const child = fork(entry, [], {
      serialization: 'advanced',
      execArgv: fromSource ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    try {
      if (child.pid !== undefined && this.niceness !== 0) setPriority(child.pid, this.niceness);
    } catch {
      // Not allowed here (a container without CAP_SYS_NICE may refuse): it runs at the server's priority.
    }
    child.on('message', (message: FromDeliveryProcess) => {
      if (message.kind === 'written') {
        if (this.child === child) this.written(message.through);
      } else this.connections.get(message.id)?.heard(message);
    });
    child.on('error', (error) => this.logger.warn({ err: error }, 'delivery process failed'));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.closed || this.retired.has(child)) return;
      this.logger.warn({ code, signal }, 'delivery process exited; its streams were closed');
      // Their bytes went with it: the clients reconnect and resume from the revision they saw.
      for (const connection of [...this.connections.values()]) connection.lost();
    });
    // Neither the process nor its channel keeps the server's event loop alive.
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    return child;
  }
}

/**
 * Where the child's module is. In the built program each chunk's `__filename` is the
 * chunk's own file (scripts/build.mjs gives every chunk one, while `import.meta.url`
 * names the source file), and the child is an entry beside it; from the sources (tsx,
 * vitest) it is the `.ts` file next to this one, run with tsx's loader.
 */
function childEntry(): { entry: string; fromSource: boolean } {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  return { entry: path.join(path.dirname(here), `delivery-process-child.${fromSource ? 'ts' : 'js'}`), fromSource };
}

class Connection implements HandedOffConnection {
  /** What the child said of the client: it stopped reading. */
  private clientFull = false;
  onDrain: (() => void) | undefined;
  /** Which of the server's messages this connection's last write went to, and the group in it (DeliveryProcess.queue). */
  lastMessage = -1;
  lastGroup = -1;
  private ended = false;
  /** Whether the child holds its descriptor yet: until then the server's copy must stay open, or the hand-over fails. */
  private inChild = false;
  /** Whether the server is done with its copy (closed as soon as the child holds its own). */
  private released = false;

  constructor(
    private readonly owner: DeliveryProcess,
    readonly id: number,
    private readonly socket: Socket,
  ) {}

  get full(): boolean {
    return this.clientFull || this.owner.backedUp;
  }

  write(bytes: Uint8Array): boolean {
    if (!this.ended) this.owner.queue(this, bytes);
    return !this.full;
  }

  end(bytes?: Uint8Array): void {
    if (this.ended) return;
    this.ended = true;
    this.owner.post({ kind: 'end', id: this.id, ...(bytes ? { bytes } : {}) });
    this.releaseServerCopy();
  }

  drop(): void {
    if (this.ended) return;
    this.ended = true;
    this.owner.post({ kind: 'drop', id: this.id });
    this.releaseServerCopy();
  }

  heard(message: Exclude<FromDeliveryProcess, { kind: 'written' }>): void {
    if (message.kind === 'full') this.clientFull = true;
    else if (message.kind === 'drained') {
      this.clientFull = false;
      if (!this.owner.backedUp) this.onDrain?.();
    } else this.lost();
  }

  /** The process caught up with what it was sent: unless its client is full, this connection takes bytes again. */
  caughtUp(): void {
    if (!this.clientFull && !this.ended) this.onDrain?.();
  }

  handedOver(): void {
    this.inChild = true;
    if (this.released) this.socket.destroy();
  }

  /** The child lost the connection (the client left, a write failed, the process died), or never got it: the server's copy goes too. */
  lost(): void {
    this.ended = true;
    this.owner.forget(this.id);
    this.socket.destroy();
  }

  /**
   * Closes the server's descriptor once the child holds its own (which keeps the
   * connection until it has written its last bytes): the HTTP exchange is over for the
   * server, and the response's close ends the stream's chain.
   */
  private releaseServerCopy(): void {
    this.owner.forget(this.id);
    this.released = true;
    if (this.inChild) this.socket.destroy();
  }
}
