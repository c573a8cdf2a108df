import type { IncomingMessage } from 'node:http';
import { requestUrls } from '../write/urls.js';

/** What a request will actually do: the method that runs and, for a POST, the `?action=` it runs. */
export interface EffectiveOperation {
  method: string;
  action: string | undefined;
}

/** The methods Norman's `_method` may name. */
const overridable = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one answer to "which method and action will run?", asked by the CSRF rule and
 * by the /v3 handler alike, so the two can never judge different things again.
 *
 * Norman lets an HTML form say `?_method=PUT|DELETE`; a form can only POST, so the
 * override is honoured on a real POST and nowhere else: a link or a top-level
 * navigation (GET, HEAD) — which a browser sends cross-site with a SameSite=Lax
 * cookie — can never become a write. Only /v3 and /v3-public read `_method` and
 * `?action=`; every other face runs the request's own method.
 */
export function effectiveOperation(request: IncomingMessage): EffectiveOperation {
  const real = (request.method ?? 'GET').toUpperCase();
  const url = requestUrls(request).request;
  if (!/^\/v3(-public)?(\/|$)/i.test(url.pathname.replace(/\/{2,}/g, '/'))) return { method: real, action: undefined };
  const override = url.searchParams.get('_method')?.toUpperCase();
  const method = real === 'POST' && override && overridable.has(override) ? override : real;
  // An action runs only on a POST; on anything else `?action=` is an ignored parameter.
  return { method, action: method === 'POST' ? (url.searchParams.get('action') ?? undefined) : undefined };
}

/** Safe: reads only, whatever the URL says — the real method and the effective one are both safe, and no action runs. */
export function isSafeOperation(request: IncomingMessage): boolean {
  const { method, action } = effectiveOperation(request);
  return safeMethods.has((request.method ?? 'GET').toUpperCase()) && safeMethods.has(method) && action === undefined;
}
