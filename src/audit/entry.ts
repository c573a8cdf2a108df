/**
 * One audit entry: who did what to which resource through which face, and how it
 * ended. Field names follow Rancher's API audit log (`auditID`, `requestURI`,
 * `sourceIPs`, `user`, `userLoginName`, `responseCode`, `requestHeader`,
 * `requestBody`, `responseHeader`, `responseBody`) where Rancher has one.
 */
export interface AuditEntry {
  /** When the request arrived (ISO 8601). */
  time: string;
  /** Shared by every entry one request produced (three mutation fields: three entries, one id). */
  auditID: string;
  face: AuditFace;
  method: string;
  /** The path only: query strings may carry tokens; of a proxied request only its target host. */
  requestURI: string;
  /** The caller; null when anonymous (a login, a refusal before authentication). */
  user: AuditUser | null;
  /** The username a login named, successful or not (never the password). */
  userLoginName?: string;
  sourceIPs: string[];
  userAgent: string;
  /** GraphQL operation type and name, and the top-level field this entry is about. */
  operation?: string;
  field?: string;
  /** Rancher's schema id (`cluster`, `token`, …) and the resource's id, when there is one. */
  resourceType: string | null;
  resourceId: string | null;
  /** get, list, create, update, delete, an action name (`generateKubeconfig`), login, open, close… */
  verb: string;
  outcome: 'success' | 'failure';
  /** `OK`, or the error code (`NOT_FOUND`, `PERMISSION_DENIED`, …) that ended it. */
  code: string;
  /** The HTTP status the request was answered with. */
  responseCode: number;
  durationMs: number;
  /** What the meta proxy did (the former `meta-proxy` audit line). */
  proxy?: Record<string, unknown>;
  /** Why a stream closed. */
  reason?: string;
  /** Level 2 and up, redacted. */
  requestHeader?: Record<string, string>;
  requestBody?: unknown;
  /** Level 3, redacted. */
  responseHeader?: Record<string, string>;
  responseBody?: unknown;
}

export interface AuditUser {
  id: string;
  name: string;
  /** The API key or session that made the request. */
  tokenId: string;
}

export type AuditFace = 'graphql' | 'v3' | 'v3-public' | 'v1' | 'meta-proxy' | 'stream';

/** Rancher's levels: 0 off, 1 metadata, 2 + request body, 3 + response body. */
export type AuditLevel = 0 | 1 | 2 | 3;
