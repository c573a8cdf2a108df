import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { pathOf } from '../http/shown-path.js';
import type { Logger } from '../logger.js';
import type { AuditEntry, AuditFace, AuditLevel } from './entry.js';
import { AuditQueue, type AuditQueueStats, type AuditSink } from './queue.js';
import { RequestAudit } from './request-audit.js';

export type { AuditEntry, AuditFace, AuditLevel } from './entry.js';

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
   * The hook for long-lived streams (GraphQL subscriptions over SSE or graphql-ws,
   * /v3/subscribe): writes one entry as a stream opens and returns what writes the
   * one as it closes (with why), the two sharing an audit id. `request` is the SSE
   * request or the WebSocket's upgrade (several subscriptions on one socket are
   * several streams, each with its own id).
   */
  openStream(request: IncomingMessage, opened: StreamOpened): (reason: StreamCloseReason) => void;
  stats(): AuditQueueStats;
  /** Writes what is queued and closes the sinks (shutdown). */
  close(): Promise<void>;
}

export interface StreamOpened {
  principal: Principal | null;
  /** What the stream watches, in the audit log's words (`cluster`, an id). */
  resourceType?: string | null;
  resourceId?: string | null;
}

/**
 * Why a stream closed: `client` (it hung up), `shutdown`, or what ended it — `revoked`
 * (its credential), `slow` (it did not read), `expired` (its resume point), or the
 * error code that refused it at the start (`RATE_LIMITED`, `UNAUTHORIZED`).
 */
type StreamCloseReason = string;

/** The close reasons that are no failure of the stream. */
const orderlyCloses = new Set(['client', 'shutdown']);

export function createAuditLog(level: AuditLevel, sinks: readonly AuditSink[], logger: Logger, capacity?: number): AuditLog {
  if (level === 0) return disabledAuditLog;
  const queue = new AuditQueue(sinks, logger, capacity);
  const audits = new WeakMap<IncomingMessage, RequestAudit>();
  const push = (entry: AuditEntry) => queue.push(entry);
  return {
    level,
    begin(request, response, face) {
      const audit = new RequestAudit(level, request, face, push);
      audits.set(request, audit);
      response.once('close', () => audit.finish(response));
    },
    of: (request) => (request ? audits.get(request) : undefined),
    openStream(request, opened) {
      const auditID = crypto.randomUUID();
      const started = performance.now();
      const { principal } = opened;
      const entry = (verb: 'open' | 'close', reason?: string): AuditEntry => ({
        time: new Date().toISOString(),
        auditID,
        face: 'stream',
        method: request.method ?? 'GET',
        requestURI: pathOf(request.url),
        user: principal ? { id: principal.userId, name: principal.username, tokenId: principal.tokenId } : null,
        sourceIPs: [request.socket.remoteAddress ?? 'unknown'],
        userAgent: String(request.headers['user-agent'] ?? ''),
        resourceType: opened.resourceType ?? null,
        resourceId: opened.resourceId ?? null,
        verb,
        outcome: reason === undefined || orderlyCloses.has(reason) ? 'success' : 'failure',
        code: reason === undefined || orderlyCloses.has(reason) ? 'OK' : reason,
        // A WebSocket was answered 101 (Switching Protocols), an SSE stream 200.
        responseCode: request.headers.upgrade ? 101 : 200,
        durationMs: verb === 'close' ? Math.round(performance.now() - started) : 0,
        ...(reason === undefined ? {} : { reason }),
      });
      push(entry('open'));
      let closed = false;
      return (reason) => {
        if (closed) return;
        closed = true;
        push(entry('close', reason));
      };
    },
    stats: () => queue.stats(),
    close: () => queue.close(),
  };
}

const disabledAuditLog: AuditLog = {
  level: 0,
  begin: () => undefined,
  of: () => undefined,
  openStream: () => () => undefined,
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
