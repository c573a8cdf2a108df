import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { pathOf } from '../http/shown-path.js';
import type { AuditEntry, AuditFace, AuditLevel, AuditUser } from './entry.js';
import { redactHeaders } from './redaction.js';

/** What one GraphQL field (or the login route) did, as the GraphQL plugin records it. */
export interface FieldRecord {
  operation: string;
  field: string;
  resourceType: string | null;
  resourceId: string | null;
  verb: string;
  outcome: 'success' | 'failure';
  code: string;
  userLoginName?: string;
  requestBody?: unknown;
  responseBody?: unknown;
}

/**
 * The audit of one HTTP request while it runs. The router opens it with what HTTP
 * knows (face, method, path, address, user agent), authentication adds the caller,
 * the GraphQL plugin adds one record per field; when the response is done it becomes
 * entries: one per field record, or one for the request when no field ran (a
 * refusal before GraphQL, a document that did not validate, a proxied call).
 */
export class RequestAudit {
  readonly auditID = randomUUID();
  private readonly time = new Date().toISOString();
  private readonly started = performance.now();
  private user: AuditUser | null = null;
  private readonly fields: FieldRecord[] = [];
  private failureCode: string | undefined;
  private proxyFacts: Record<string, unknown> | undefined;

  constructor(
    readonly level: AuditLevel,
    private readonly request: IncomingMessage,
    private readonly face: AuditFace,
    private readonly emit: (entry: AuditEntry) => void,
  ) {}

  identify(principal: Principal | null): void {
    this.user = principal ? { id: principal.userId, name: principal.username, tokenId: principal.tokenId } : null;
  }

  record(field: FieldRecord): void {
    this.fields.push(field);
  }

  /** The request failed before any field ran (a GraphQL document that does not parse or validate). */
  fail(code: string): void {
    this.failureCode ??= code;
  }

  /** The meta proxy's record of a proxied call. */
  proxied(facts: Record<string, unknown>): void {
    this.proxyFacts = facts;
  }

  /** Called once the response has been sent (or the connection went away). */
  finish(response: ServerResponse): void {
    const status = response.statusCode;
    const common = {
      time: this.time,
      auditID: this.auditID,
      face: this.face,
      method: this.request.method ?? 'GET',
      requestURI: pathOf(this.request.url),
      user: this.user,
      sourceIPs: [this.request.socket.remoteAddress ?? 'unknown'],
      userAgent: String(this.request.headers['user-agent'] ?? ''),
      responseCode: status,
      durationMs: Math.round(performance.now() - this.started),
      ...(this.level >= 2 ? { requestHeader: redactHeaders(this.request.headers) } : {}),
      ...(this.level >= 3 ? { responseHeader: redactHeaders(response.getHeaders()) } : {}),
    };
    if (this.fields.length === 0) {
      const failed = this.failureCode !== undefined || status >= 400 || !response.writableFinished;
      this.emit({
        ...common,
        resourceType: null,
        resourceId: null,
        verb: this.request.method?.toLowerCase() ?? 'get',
        outcome: failed ? 'failure' : 'success',
        code: this.failureCode ?? (failed ? `HTTP_${status}` : 'OK'),
        ...(this.proxyFacts ? { proxy: this.proxyFacts } : {}),
      });
      return;
    }
    // A REST face may fail after its fields ran: a lookup answers null, /v3 answers 404.
    const faceFailed = status >= 400;
    for (const field of this.fields)
      this.emit({
        ...common,
        ...field,
        ...(faceFailed && field.outcome === 'success' ? { outcome: 'failure' as const, code: this.failureCode ?? `HTTP_${status}` } : {}),
      });
  }
}
