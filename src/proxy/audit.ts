import { finished, type Readable } from 'node:stream';
import { ApiError } from '../errors.js';
import type { ProxyCaller } from './types.js';
import { toUpstreamApiError } from './upstream-errors.js';

/** What every proxied call leaves behind. Names and sizes only, never a header value. */
export interface AuditRecord {
  readonly event: 'meta-proxy';
  readonly caller: string;
  readonly method: string;
  /** `host[:port]`, no path: paths and queries can carry secrets. */
  readonly host: string | null;
  readonly status: number;
  readonly signer: string | null;
  readonly credentialId: string | null;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly ms: number;
  /** The error code when the call failed, before or while streaming. */
  readonly error?: string;
}

/** A pino logger fits. */
export interface AuditLogger {
  info(record: AuditRecord, message: string): void;
}

/** Collects one call's facts as they become known, and writes the record once. */
export class AuditTrail {
  host: string | null = null;
  signer: string | null = null;
  credentialId: string | null = null;
  readonly request = { bytes: 0 };
  private readonly started = performance.now();
  private written = false;

  constructor(
    private readonly logger: AuditLogger,
    private readonly caller: ProxyCaller,
    private readonly method: string,
  ) {}

  /**
   * Counts the response body as it flows and writes the record when it ends; returns
   * the body itself. A `data` listener rather than a counting Transform: one stream
   * fewer per call (its buffering and events were ~5 % of a proxied call's CPU). The
   * body is paused first so the listener does not start the flow before the consumer
   * is attached: `pipe` and async iteration resume it, and both emit `data`.
   */
  follow(status: number, body: Readable, onDone: () => void): Readable {
    let bytes = 0;
    body.pause();
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    // finished rather than stream.pipeline, which makes and aborts an AbortController
    // (with a DOMException) on every call. Settles once, also when the consumer goes
    // away early and destroys the body.
    finished(body, (error) => {
      onDone();
      this.write(status, bytes, error ? toUpstreamApiError(body.errored ?? error) : undefined);
    });
    return body;
  }

  fail(error: unknown): void {
    this.write(error instanceof ApiError ? error.status : 500, 0, error);
  }

  private write(status: number, responseBytes: number, error: unknown): void {
    if (this.written) return;
    this.written = true;
    this.logger.info(
      {
        event: 'meta-proxy',
        caller: this.caller.id,
        method: this.method,
        host: this.host,
        status,
        signer: this.signer,
        credentialId: this.credentialId,
        requestBytes: this.request.bytes,
        responseBytes,
        ms: Math.round(performance.now() - this.started),
        ...(error === undefined ? {} : { error: error instanceof ApiError ? error.code : 'INTERNAL' }),
      },
      'meta proxy call',
    );
  }
}
