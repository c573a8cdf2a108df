import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Principal } from '../auth/principal.js';
import { ApiError, toApiError } from '../errors.js';
import { isGraphQLSocketPath } from '../graphql/endpoint.js';
import type { Logger } from '../logger.js';

/** A WebSocket endpoint: takes over an upgrade that was already admitted. */
export interface SocketRoute {
  matches(pathname: string): boolean;
  /**
   * `principal` is who the upgrade's credential (header or cookie) named; null only on
   * graphql-ws's path, for an upgrade that carried none: that socket authenticates from its
   * ConnectionInit ({@link credentialCheckOf}) before anything runs on it.
   */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal | null): void;
}

/** Authenticates an `Authorization` header value a socket presents after it opened: the principal, or UNAUTHORIZED / RATE_LIMITED. */
export type CredentialCheck = (authorization: string) => Promise<Principal>;

const credentialCheckKey = Symbol('credential check');
type CheckedRequest = IncomingMessage & { [credentialCheckKey]?: CredentialCheck };

/**
 * The authentication step HTTP requests go through, for a credential an admitted socket's
 * client sends in-band (graphql-ws's `connectionParams`): the same key cache, the same
 * count of failed authentications against the caller's address, the same lockout.
 */
export function credentialCheckOf(request: IncomingMessage): CredentialCheck | undefined {
  return (request as CheckedRequest)[credentialCheckKey];
}

export interface UpgradeDependencies {
  logger: Logger;
  /** The same authentication step as every request (src/auth/authenticate.ts), recording who asked. */
  identify: (request: IncomingMessage) => Promise<Principal | null>;
  routes: readonly SocketRoute[];
  /** Whether a foreign origin's pages may call the API (the CORS allow list): they may open sockets too. */
  originAllowed: (origin: string) => Promise<boolean>;
  /** Counts an upgrade without a credential against its address, as an anonymous request is counted; the refusal, if over the limit. */
  countAnonymous: (request: IncomingMessage) => Promise<ApiError | undefined>;
}

/**
 * The HTTP server's `upgrade` event: WebSockets for live changes (graphql-ws on
 * /graphql, Norman's /v3/subscribe). Before a socket exists the caller must
 *  - come from this server's own origin, or one on the CORS allow list, when a browser
 *    sends an Origin (any other page must not open a socket riding the user's cookie:
 *    403), and, with a cookie
 *    session, send an Origin at all — the WebSocket form of the CSRF rule, as a
 *    browser always sends it and cross-site pages cannot forge it;
 *  - present a valid credential (401), if it presents one at all; only graphql-ws may
 *    open without: a browser cannot set a header on a WebSocket, so a page of another
 *    origin holding an API key sends it in the ConnectionInit, and the socket stays
 *    unauthenticated (nothing runs on it) until then.
 */
export function createUpgradeHandler(dependencies: UpgradeDependencies) {
  return async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const pathname = (request.url ?? '/').split('?')[0]!.replace(/\/{2,}/g, '/');
    const route = dependencies.routes.find((candidate) => candidate.matches(pathname));
    if (!route) return refuse(socket, 404, 'NotFound', `no WebSocket at ${pathname}`);
    try {
      const origin = request.headers.origin;
      if (origin !== undefined && !sameOrigin(origin, request) && !(await dependencies.originAllowed(origin)))
        return refuse(socket, 403, 'Forbidden', 'WebSocket from a foreign origin (not on the CORS allow list)');
      const principal = await dependencies.identify(request);
      if (!principal && !isGraphQLSocketPath(pathname))
        return refuse(socket, 401, 'Unauthorized', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie');
      // Anyone may open one without a credential: each counts against its address, so one
      // address cannot fill the instance's stream cap with sockets that never authenticate.
      const overLimit = principal ? undefined : await dependencies.countAnonymous(request);
      if (overLimit) return refuseWith(socket, overLimit);
      if (principal?.via === 'cookie' && origin === undefined)
        return refuse(socket, 403, 'Forbidden', 'a cookie-authenticated WebSocket must come from this server’s pages (Origin)');
      (request as CheckedRequest)[credentialCheckKey] = (authorization) => identifyBy(dependencies, request, authorization);
      route.accept(request, socket, head, principal);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError instanceof ApiError) return refuseWith(socket, apiError);
      dependencies.logger.error({ err: error, path: pathname }, 'unhandled error in WebSocket upgrade');
      refuse(socket, 500, 'ServerError', 'internal server error');
    }
  };
}

/** An Origin naming the host the request was sent to (behind a proxy, the forwarded host). */
function sameOrigin(origin: string, request: IncomingMessage): boolean {
  if (!URL.canParse(origin)) return false;
  const host = String(request.headers['x-forwarded-host'] ?? request.headers.host ?? '')
    .split(',')[0]!
    .trim()
    .toLowerCase();
  return new URL(origin).host.toLowerCase() === host;
}

/**
 * `identify` with `authorization` as the request's only credential: a view of the upgrade
 * request (its socket, hence its address, and everything else) with that header alone. A
 * credential sent in-band is never a cookie, so the cookie rules do not arise. No credential
 * at all cannot happen here (`authorization` is not empty), but would be UNAUTHORIZED too.
 */
async function identifyBy(dependencies: UpgradeDependencies, request: IncomingMessage, authorization: string): Promise<Principal> {
  const withHeader: IncomingMessage = Object.create(request, { headers: { value: { authorization }, enumerable: true } });
  const principal = await dependencies.identify(withHeader);
  if (!principal) throw new ApiError('UNAUTHORIZED', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie');
  return principal;
}

/** Answers the upgrade with `error` as a plain HTTP error, its headers (Retry-After) included. */
export function refuseWith(socket: Duplex, error: ApiError): void {
  refuse(socket, error.status, error.code, error.message, error.details.headers);
}

/** Answers the upgrade with a plain HTTP error (the socket never becomes a WebSocket). */
function refuse(socket: Duplex, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ type: 'error', status, code, message });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra.join('')}connection: close\r\n\r\n${body}`,
  );
}
