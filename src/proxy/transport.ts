import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import type { ApiError } from '../errors.js';
import { onCancel, type CancelSignal } from './cancellation.js';
import type { ConnectorOptions, pinnedPool } from './connector.js';
import type { HeaderMap, IncomingHeaders } from './headers.js';
import type { ProxyTarget } from './target.js';
import { toUpstreamApiError, UpstreamFailure } from './upstream-errors.js';

export interface Timeouts {
  /** TCP connect. */
  readonly connectMs: number;
  /** TLS handshake, after connect. */
  readonly tlsMs: number;
  /** From sending the request to the end of the response headers. */
  readonly headersMs: number;
  /** Longest silence while the response body streams. */
  readonly bodyIdleMs: number;
  /** The whole exchange, body included. */
  readonly totalMs: number;
  /** The digest signer's unauthenticated preflight, whole exchange. */
  readonly preflightMs: number;
}

const defaultTimeouts: Timeouts = {
  connectMs: 30_000,
  tlsMs: 10_000,
  headersMs: 30_000,
  bodyIdleMs: 60_000,
  totalMs: 300_000,
  preflightMs: 5_000,
};

export interface TransportOptions {
  readonly timeouts?: Partial<Timeouts>;
  /** Extra trusted CAs for upstream TLS (tests, private PKI). */
  readonly ca?: ConnectorOptions['ca'];
  /** How many pinned pools stay open before the least recently used is closed. */
  readonly maxPools?: number;
}

interface UpstreamRequest {
  readonly target: ProxyTarget;
  /** The checked address to connect to. */
  readonly address: string;
  readonly method: string;
  readonly headers: HeaderMap;
  readonly body?: Buffer | AsyncIterable<Uint8Array> | undefined;
  /** Overrides the total timeout (the digest preflight's is shorter). */
  readonly totalMs?: number;
  /** Aborts the exchange, e.g. when the caller goes away. */
  readonly signal?: CancelSignal | undefined;
}

/**
 * Where an upstream's answer goes as it arrives: the client's response, a buffer, or
 * nowhere. The transport writes into it straight from undici's parser (no Readable and
 * no pipe between them: a stream and its pipe per call were a fifth of a proxied call's
 * CPU).
 */
export interface AnswerSink<Headers = IncomingHeaders> {
  /** The final status and headers (1xx answers are skipped). Throwing refuses the answer. */
  start(status: number, headers: Headers, flow: AnswerFlow): void;
  /** A body chunk. Returning false pauses the upstream until `flow.resume()`. */
  data(chunk: Buffer): boolean;
  /** The body ended. */
  end(): void;
  /** The exchange broke after `start`: the upstream failed, a timeout, the caller left, or `flow.abort()`. */
  fail(error: ApiError): void;
}

/** A started answer's controls, handed to `AnswerSink.start`. */
export interface AnswerFlow {
  resume(): void;
  /** Stops the transfer; the sink's `fail` follows. */
  abort(): void;
}

export interface Transport {
  readonly timeouts: Timeouts;
  /** Resolves once the answer has started (`sink.start` ran); rejects with an ApiError if it never does. */
  send(request: UpstreamRequest, sink: AnswerSink): Promise<void>;
  close(): Promise<void>;
}

/**
 * Takes an answer's status and headers and stops the transfer there: only they matter
 * (the digest signer's challenge), and the connection is not worth keeping for a body.
 */
export class HeadOnly implements AnswerSink {
  answer = { status: 0, headers: {} as IncomingHeaders };

  start(status: number, headers: IncomingHeaders, flow: AnswerFlow): void {
    this.answer = { status, headers };
    flow.abort();
  }

  data(): boolean {
    return true;
  }

  end(): void {}

  fail(): void {}
}

type PoolMaker = typeof pinnedPool;

/**
 * Keep-alive connection pools, one per (origin, checked address): a pool only ever
 * dials the address it was made for, so reuse can never reach an unchecked one.
 * Redirects are not followed (undici's dispatch never does).
 */
export function createTransport(options: TransportOptions = {}): Transport {
  // undici (through ./connector.js) is loaded with the first call: ≈ 40 ms to load, which
  // a start that proxies nothing never pays.
  let makePool: PoolMaker | undefined;
  const timeouts: Timeouts = { ...defaultTimeouts, ...options.timeouts };
  const maxPools = options.maxPools ?? 256;
  // Each pool with the count of the call that last used it: the least recently used is
  // found when one must go (rare), rather than reordering the Map on every call.
  const pools = new Map<string, { pool: Pool; lastUse: number }>();
  let uses = 0;

  function poolFor(pinnedPool: PoolMaker, target: ProxyTarget, address: string): Pool {
    const key = `${target.origin}|${address}`;
    const existing = pools.get(key);
    if (existing) {
      existing.lastUse = ++uses;
      return existing.pool;
    }
    const pool = pinnedPool(target.origin, { protocol: target.protocol, hostname: target.hostname, address, port: target.port }, timeouts, options.ca);
    pools.set(key, { pool, lastUse: ++uses });
    if (pools.size > maxPools) closeLeastRecentlyUsed();
    return pool;
  }

  function closeLeastRecentlyUsed(): void {
    let oldest: [string, { pool: Pool; lastUse: number }] | undefined;
    for (const entry of pools) if (!oldest || entry[1].lastUse < oldest[1].lastUse) oldest = entry;
    if (!oldest) return;
    pools.delete(oldest[0]);
    void oldest[1].pool.close();
  }

  function dispatch(pinnedPool: PoolMaker, request: UpstreamRequest, sink: AnswerSink): Promise<void> {
    return new Promise<void>((started, refused) => {
      const exchange = new Exchange(sink, started, refused, request.totalMs ?? timeouts.totalMs, request.signal);
      try {
        poolFor(pinnedPool, request.target, request.address).dispatch(
          {
            origin: request.target.origin,
            path: request.target.path,
            method: request.method,
            headers: { ...request.headers, host: request.headers.host ?? request.target.host },
            body: toUndiciBody(request.body),
          },
          exchange,
        );
      } catch (error) {
        // undici reports its own failures to the handler; this is a pool that could not be made.
        exchange.onResponseError(undefined, asError(error));
      }
    });
  }

  return {
    timeouts,
    send(request, sink) {
      if (makePool) return dispatch(makePool, request, sink);
      return import('./connector.js').then(({ pinnedPool }) => {
        makePool = pinnedPool;
        return dispatch(pinnedPool, request, sink);
      });
    },
    async close() {
      await Promise.all([...pools.values()].map(({ pool }) => pool.close()));
      pools.clear();
    },
  };
}

/**
 * One upstream exchange as undici's dispatch handler: it hands the answer to the sink,
 * pauses the upstream while the sink is full, and ends the exchange on the total
 * deadline (a timer) or when the caller's signal aborts (src/proxy/cancellation.ts
 * says why that is not an AbortController).
 */
class Exchange implements Dispatcher.DispatchHandler, AnswerFlow {
  private controller: Dispatcher.DispatchController | undefined;
  /** An abort asked for before undici handed over the controller (the request still queued). */
  private pendingAbort: Error | undefined;
  private answered = false;
  private settled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly stopFollowingCaller: () => void;

  constructor(
    private readonly sink: AnswerSink,
    private readonly started: () => void,
    private readonly refused: (error: ApiError) => void,
    totalMs: number,
    callerSignal: CancelSignal | undefined,
  ) {
    this.timer = setTimeout(() => this.cut(new UpstreamFailure('total-timeout', 'ETIMEDOUT')), totalMs);
    this.stopFollowingCaller = followCaller(callerSignal, (reason) => this.cut(reason));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Called again if undici retries the request on a fresh connection: the newest counts.
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return;
    // Answered before the sink runs: a sink may abort at once (HeadOnly), and that is a failure after the start.
    this.answered = true;
    try {
      this.sink.start(statusCode, headers, this);
    } catch (error) {
      this.answered = false;
      controller.abort(asError(error));
      return;
    }
    this.started();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.sink.data(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (!this.settle()) return;
    this.sink.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.settle()) return;
    const failure = toUpstreamApiError(error);
    if (this.answered) this.sink.fail(failure);
    else this.refused(failure);
  }

  resume(): void {
    this.controller?.resume();
  }

  abort(): void {
    this.cut(new UpstreamFailure('aborted', 'ABORTED'));
  }

  private cut(reason: unknown): void {
    if (this.settled) return;
    const error = reason instanceof Error ? reason : new UpstreamFailure('aborted', 'ABORTED');
    if (this.controller) this.controller.abort(error);
    else this.pendingAbort = error;
  }

  /** True the first time the exchange ends, however it ends. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.stopFollowingCaller();
    return true;
  }
}

/** Calls `cancel` with the caller's reason when its signal aborts (at once if it already has); returns how to stop. */
function followCaller(signal: CancelSignal | undefined, cancel: (reason: unknown) => void): () => void {
  if (!signal) return () => undefined;
  const callerGone = () => cancel(signal.reason);
  if (!signal.aborted) return onCancel(signal, callerGone);
  callerGone();
  return () => undefined;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** undici streams any async iterable, but its types only name Readable. */
function toUndiciBody(body: UpstreamRequest['body']): Buffer | Readable | null {
  if (body === undefined) return null;
  return Buffer.isBuffer(body) ? body : Readable.from(body, { objectMode: false });
}
