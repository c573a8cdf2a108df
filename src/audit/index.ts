import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { pathOf } from '../http/request-log.js';
import type { Logger } from '../logger.js';
import type { AuditEntry, AuditFace, AuditLevel } from './entry.js';
import { AuditQueue, type AuditQueueStats, type AuditSink } from './queue.js';
import { RequestAudit } from './request-audit.js';

export type { AuditEntry, AuditFace, AuditLevel } from './entry.js';
export type { AuditQueueStats } from './queue.js';

/**
 * The API audit log (AUDIT_LEVEL 1–3): the router opens a {@link RequestAudit} for
 * every request to an API face, the GraphQL plugin and the proxy hook fill it in,
 * and the finished entries go through one bounded queue to the sinks.
 */
export interface AuditLog {
  readonly level: AuditLevel;
  /** Opens the audit of a request to `face`; its entries are written when the response is done. */
  begin(request: IncomingMessage, response: ServerResponse, face: AuditFace): void;
  /** The audit of a request being answered, if it is audited. */
  of(request: IncomingMessage | undefined): RequestAudit | undefined;
  /**
   * The hook for long-lived streams (WebSocket, SSE): one entry when a stream opens
   * and one when it closes (with why), sharing an audit id. `request` is the
   * upgrade or the SSE request; `principal` whoever it authenticated as.
   */
  stream(request: IncomingMessage, event: StreamEvent): void;
  stats(): AuditQueueStats;
  /** Writes what is queued and closes the sinks (shutdown). */
  close(): Promise<void>;
}

export interface StreamEvent {
  verb: 'open' | 'close';
  principal: Principal | null;
  /** What the stream watches, in the audit log's words (`cluster`, an id). */
  resourceType?: string | null;
  resourceId?: string | null;
  /** Why it closed: `client`, `shutdown`, `unauthorized`, an error code… */
  reason?: string;
  /** The HTTP status the stream was opened with (101 for a WebSocket). */
  responseCode?: number;
}

export function createAuditLog(level: AuditLevel, sinks: readonly AuditSink[], logger: Logger, capacity?: number): AuditLog {
  if (level === 0) return disabledAuditLog;
  const queue = new AuditQueue(sinks, logger, capacity);
  const audits = new WeakMap<IncomingMessage, RequestAudit>();
  const push = (entry: AuditEntry) => queue.push(entry);
  // One audit id per stream, from its open to its close.
  const streams = new WeakMap<IncomingMessage, { auditID: string; started: number }>();
  return {
    level,
    begin(request, response, face) {
      const audit = new RequestAudit(level, request, face, push);
      audits.set(request, audit);
      response.once('close', () => audit.finish(response));
    },
    of: (request) => (request ? audits.get(request) : undefined),
    stream(request, event) {
      const opened = streams.get(request) ?? { auditID: crypto.randomUUID(), started: performance.now() };
      streams.set(request, opened);
      const { principal } = event;
      push({
        time: new Date().toISOString(),
        auditID: opened.auditID,
        face: 'stream',
        method: request.method ?? 'GET',
        requestURI: pathOf(request.url),
        user: principal ? { id: principal.userId, name: principal.username, tokenId: principal.tokenId } : null,
        sourceIPs: [request.socket.remoteAddress ?? 'unknown'],
        userAgent: String(request.headers['user-agent'] ?? ''),
        resourceType: event.resourceType ?? null,
        resourceId: event.resourceId ?? null,
        verb: event.verb,
        outcome: event.verb === 'close' && event.reason && !['client', 'shutdown', 'done'].includes(event.reason) ? 'failure' : 'success',
        code: event.reason ?? 'OK',
        responseCode: event.responseCode ?? 200,
        durationMs: event.verb === 'close' ? Math.round(performance.now() - opened.started) : 0,
        ...(event.reason ? { reason: event.reason } : {}),
      });
    },
    stats: () => queue.stats(),
    close: () => queue.close(),
  };
}

const disabledAuditLog: AuditLog = {
  level: 0,
  begin: () => undefined,
  of: () => undefined,
  stream: () => undefined,
  stats: () => ({ queued: 0, written: 0, dropped: 0, failed: 0 }),
  close: async () => undefined,
};

/** Which face a path belongs to; undefined for what is not audited (/ping, /healthz, static assets). */
export function auditFaceOf(pathname: string): AuditFace | undefined {
  if (pathname === '/graphql') return 'graphql';
  if (pathname.startsWith('/v3-public/')) return 'v3-public';
  if (pathname === '/v3' || pathname.startsWith('/v3/')) return 'v3';
  if (pathname === '/v1' || pathname.startsWith('/v1/')) return 'v1';
  if (pathname.startsWith('/meta/proxy/')) return 'meta-proxy';
  return undefined;
}
