import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal.js';

/**
 * Who a request came from, as the router (or the WebSocket upgrade) authenticated it,
 * kept on the request itself: every face's context and the request log read it there.
 * A property, not a WeakMap entry: one of those per request cost ≈ 1 % of the cheapest
 * route (BENCHMARKS.md, auth).
 */
const callerKey = Symbol('caller');

type IdentifiedRequest = IncomingMessage & { [callerKey]?: Principal | null };

/** Records the caller (null: anonymous) once authentication has decided. */
export function rememberCaller(request: IncomingMessage, principal: Principal | null): void {
  (request as IdentifiedRequest)[callerKey] = principal;
}

/** The caller recorded for the request; null when anonymous or not (yet) authenticated. */
export function callerOf(request: IncomingMessage): Principal | null {
  return (request as IdentifiedRequest)[callerKey] ?? null;
}
