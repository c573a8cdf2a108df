/**
 * The messages between the server and its delivery process (./delivery-process.ts,
 * ./delivery-process-child.ts). Connections are numbered by the server; bytes travel
 * once per message however many connections take them.
 */
export type ToDeliveryProcess =
  /** Sent with the connection's socket as the message's handle: from now on its writes are the child's. */
  | { kind: 'adopt'; id: number; chunked: boolean }
  /**
   * Each group's bytes go to each of its connections, in order: a connection's groups are
   * in the order it wrote them. The ids travel as a typed array, which the channel's
   * serialiser copies in one piece (a plain array is serialised number by number).
   */
  | { kind: 'write'; groups: WriteGroup[]; message: number }
  /** The last bytes (if any), then the connection closes once they are written. */
  | { kind: 'end'; id: number; bytes?: Uint8Array }
  /** Closes the connection at once (the stream failed, or the client went away). */
  | { kind: 'drop'; id: number }
  /** The server is stopping: finish what was sent, close what is left, and exit. */
  | { kind: 'close' };

export type FromDeliveryProcess =
  /** The connection's client stopped reading: more than the bound waits to be written. */
  | { kind: 'full'; id: number }
  /** What waited for it was written. */
  | { kind: 'drained'; id: number }
  /** The connection is gone (closed by either side, or failed). */
  | { kind: 'closed'; id: number }
  /** Every `write` message up to the one numbered `through` has been written (to the sockets, or their buffers). */
  | { kind: 'written'; through: number };

/** Bytes, and the connections that take them. */
export type WriteGroup = [bytes: Uint8Array, ids: Uint32Array];
