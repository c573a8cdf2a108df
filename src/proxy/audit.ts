import { ApiError } from '../errors.js';
import type { ProxyCaller } from './types.js';
import type { HeaderMap, IncomingHeaders } from './headers.js';
import type { AnswerFlow, AnswerSink } from './transport.js';

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
   * Wraps the sink the answer goes to: counts the body as it passes and writes the
   * record when the exchange ends, however it ends. `headers` turns the upstream's
   * headers into the client's.
   */
  follow(sink: AnswerSink<HeaderMap>, headers: (upstream: IncomingHeaders) => HeaderMap): AnswerSink {
    return new AuditedSink(sink, headers, this);
  }

  fail(error: unknown): void {
    this.record(error instanceof ApiError ? error.status : 500, 0, error);
  }

  /** Writes the record, once. */
  record(status: number, responseBytes: number, error: unknown): void {
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

/** A class rather than four closures: one object per proxied call on the hot path. */
class AuditedSink implements AnswerSink {
  private status = 0;
  private bytes = 0;

  constructor(
    private readonly sink: AnswerSink<HeaderMap>,
    private readonly headers: (upstream: IncomingHeaders) => HeaderMap,
    private readonly trail: AuditTrail,
  ) {}

  start(status: number, headers: IncomingHeaders, flow: AnswerFlow): void {
    this.sink.start(status, this.headers(headers), flow);
    this.status = status;
  }

  data(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    return this.sink.data(chunk);
  }

  end(): void {
    this.sink.end();
    this.trail.record(this.status, this.bytes, undefined);
  }

  fail(error: ApiError): void {
    this.sink.fail(error);
    this.trail.record(this.status, this.bytes, error);
  }
}
