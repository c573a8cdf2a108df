import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Principal } from '../auth/principal.js';
import { ApiError, toApiError } from '../errors.js';
import type { Logger } from '../logger.js';

/** A WebSocket endpoint: takes over an upgrade that was already admitted. */
export interface SocketRoute {
  matches(pathname: string): boolean;
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal): void;
}

export interface UpgradeDependencies {
  logger: Logger;
  /** The same authentication step as every request (src/auth/authenticate.ts), recording who asked. */
  identify: (request: IncomingMessage) => Promise<Principal | null>;
  routes: readonly SocketRoute[];
  /** Whether a foreign origin's pages may call the API (the CORS allow list): they may open sockets too. */
  originAllowed: (origin: string) => Promise<boolean>;
}

/**
 * The HTTP server's `upgrade` event: WebSockets for live changes (graphql-ws on
 * /graphql, Norman's /v3/subscribe). Before a socket exists the caller must
 *  - come from this server's own origin, or one on the CORS allow list, when a browser
 *    sends an Origin (any other page must not open a socket riding the user's cookie:
 *    403), and, with a cookie
 *    session, send an Origin at all — the WebSocket form of the CSRF rule, as a
 *    browser always sends it and cross-site pages cannot forge it;
 *  - present a valid credential (401).
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
      if (!principal) return refuse(socket, 401, 'Unauthorized', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie');
      if (principal.via === 'cookie' && origin === undefined)
        return refuse(socket, 403, 'Forbidden', 'a cookie-authenticated WebSocket must come from this server’s pages (Origin)');
      route.accept(request, socket, head, principal);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError instanceof ApiError) return refuse(socket, apiError.status, apiError.code, apiError.message);
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

/** Answers the upgrade with a plain HTTP error (the socket never becomes a WebSocket). */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ type: 'error', status, code, message });
  socket.end(`HTTP/1.1 ${status} ${code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
