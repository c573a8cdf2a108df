import { finished, Transform, type Readable } from 'node:stream';
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

  /** Passes the response body through, counting it; the record is written when it ends. */
  follow(status: number, body: Readable, onDone: () => void): Readable {
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    // pipe + finished rather than stream.pipeline, which makes and aborts an
    // AbortController (with a DOMException) on every call. Settles once, also when the
    // consumer goes away early: the upstream body is destroyed then.
    body.once('error', (error) => counter.destroy(error));
    body.pipe(counter);
    finished(counter, (error) => {
      if (error && !body.destroyed) body.destroy();
      onDone();
      this.write(status, bytes, error ? toUpstreamApiError(body.errored ?? error) : undefined);
    });
    return counter;
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
