import type { AllowListSource } from './allow-list.js';
import type { Resolver } from './address-guard.js';
import type { CancelSignal } from './cancellation.js';
import type { RequestBody } from '../http/limited-body.js';
import type { AuditLogger } from './audit.js';
import type { HeaderMap, IncomingHeaders } from './headers.js';
import type { AnswerSink, Transport } from './transport.js';

/** Who is calling, as authentication established it. */
export interface ProxyCaller {
  /** The user id; audit records name it. */
  readonly id: string;
  /**
   * Set when the caller's key is limited to one cluster or project (its id). The proxy
   * reaches outside every cluster, so such keys are refused (403).
   */
  readonly scope?: string | null;
  /** Admins may use any user's cloud credential; the CredentialResolver reads this. */
  readonly isAdmin?: boolean;
}

interface ResolvedCredential {
  /** Fields by short name (`accessKey`, `secretKey`, `accessToken`, …). */
  readonly fields: Readonly<Record<string, string>>;
  /** Host patterns (allow-list syntax) the credential may be sent to. */
  readonly allowedHosts: readonly string[];
}

/**
 * Looks a cloud credential up for a caller. Must throw ApiError PERMISSION_DENIED both
 * when the credential is someone else's and when it does not exist, so ids cannot be
 * probed.
 */
export type CredentialResolver = (credentialId: string, caller: ProxyCaller) => Promise<ResolvedCredential>;

export interface ProxyDependencies {
  readonly allowList: AllowListSource;
  readonly credentials: CredentialResolver;
  readonly audit: AuditLogger;
  readonly transport: Transport;
  /** DNS; the system resolver by default. */
  readonly resolve?: Resolver;
  /** The `public-api-body-limit` setting in bytes; 1 MiB by default. */
  readonly requestBodyLimit?: number | (() => number | Promise<number>);
}

/** One proxied request, whichever face it came through. */
export interface ProxyInput {
  readonly caller: ProxyCaller;
  readonly method: string;
  /** What follows `/meta/proxy/`, raw (still percent-encoded), without the query. */
  readonly target: string;
  /** The raw query string, without `?`; forwarded unchanged. */
  readonly query: string;
  readonly headers: IncomingHeaders;
  readonly body: RequestBody;
  /** Whether the caller reached us over TLS (adds X-Forwarded-Proto: https). */
  readonly secure: boolean;
  /** Aborts the upstream exchange, e.g. when the caller disconnects. */
  readonly signal?: CancelSignal;
}

/** Where a proxied answer goes, with the headers the client may see. */
export type ProxySink = AnswerSink<HeaderMap>;
