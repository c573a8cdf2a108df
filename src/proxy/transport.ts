import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { Cancellation, onCancel, type CancelSignal } from './cancellation.js';
import { pinnedConnector, type ConnectorOptions } from './connector.js';
import type { HeaderMap } from './headers.js';
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

interface UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Streams as the upstream sends; never buffered here. Ends or errors exactly once. */
  readonly body: Readable;
  /** Cancels the total-timeout timer; call when the body is done with. */
  readonly done: () => void;
}

export interface Transport {
  readonly timeouts: Timeouts;
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

/**
 * Keep-alive connection pools, one per (origin, checked address): a pool only ever
 * dials the address it was made for, so reuse can never reach an unchecked one.
 * Redirects are not followed (undici's `request` never does).
 */
export function createTransport(options: TransportOptions = {}): Transport {
  const timeouts: Timeouts = { ...defaultTimeouts, ...options.timeouts };
  const maxPools = options.maxPools ?? 256;
  const pools = new Map<string, Pool>();

  function poolFor(target: ProxyTarget, address: string): Pool {
    const key = `${target.origin}|${address}`;
    const existing = pools.get(key);
    if (existing) {
      // Map order is insertion order: re-inserting marks the pool as recently used.
      pools.delete(key);
      pools.set(key, existing);
      return existing;
    }
    const pool = new Pool(target.origin, {
      connect: pinnedConnector(
        { protocol: target.protocol, hostname: target.hostname, address, port: target.port },
        { connectTimeoutMs: timeouts.connectMs, tlsTimeoutMs: timeouts.tlsMs, ca: options.ca },
      ),
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyIdleMs,
    });
    pools.set(key, pool);
    if (pools.size > maxPools) {
      const [oldestKey, oldest] = pools.entries().next().value!;
      pools.delete(oldestKey);
      void oldest.close();
    }
    return pool;
  }

  return {
    timeouts,
    async send(request) {
      // One cancellation per call ends the exchange on the total deadline or when the
      // caller goes away (src/proxy/cancellation.ts says why not an AbortController).
      const deadline = new Cancellation();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        deadline.abort(new UpstreamFailure('total-timeout', 'ETIMEDOUT'));
      }, request.totalMs ?? timeouts.totalMs);
      const stopFollowingCaller = followCaller(request.signal, deadline);
      const done = () => {
        clearTimeout(timer);
        stopFollowingCaller();
      };
      try {
        const response = await poolFor(request.target, request.address).request({
          path: request.target.path,
          method: request.method,
          headers: { ...request.headers, host: request.headers.host ?? request.target.host },
          body: toUndiciBody(request.body),
          signal: deadline,
        });
        response.body.once('close', done);
        return { status: response.statusCode, headers: response.headers, body: response.body, done };
      } catch (error) {
        done();
        throw toUpstreamApiError(timedOut ? deadline.reason : error);
      }
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
    },
  };
}

/** Cancels `deadline` when the caller's signal aborts (at once if it already has); returns how to stop. */
function followCaller(signal: CancelSignal | undefined, deadline: Cancellation): () => void {
  if (!signal) return () => undefined;
  const callerGone = () => deadline.abort(signal.reason);
  if (!signal.aborted) return onCancel(signal, callerGone);
  callerGone();
  return () => undefined;
}

/** undici streams any async iterable, but its types only name Readable. */
function toUndiciBody(body: UpstreamRequest['body']): Buffer | Readable | null {
  if (body === undefined) return null;
  return Buffer.isBuffer(body) ? body : Readable.from(body, { objectMode: false });
}
