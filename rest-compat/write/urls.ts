import type { IncomingMessage } from 'node:http';

/**
 * Absolute URLs for links, built from how the client reached us: behind a proxy,
 * `X-Forwarded-Proto` / `X-Forwarded-Host` (first value) win over the socket and
 * `Host`. Values that are not a plain scheme or host are ignored, so a header can
 * never inject into links.
 *
 * `request` is what was requested, and the only URL anything routes, filters or acts
 * on. `self` is how links name this request: the same, unless a proxy that mounts the
 * API under a prefix says so in `X-API-Request-Url` (Norman's header). That header is
 * trusted for the prefix only: its path must end with the requested path, the scheme
 * and host stay ours and the query stays the request's, so a client can neither make
 * the server act on another path nor make it link to another host or resource.
 */
export interface RequestUrls {
  /** `https://rancher.example.com` */
  base: string;
  /** The absolute URL of this request, as requested: what the faces route on. */
  request: URL;
  /** The URL links and the API UI show for this request (a proxy's prefix in front). */
  self: URL;
}

export function requestUrls(request: IncomingMessage): RequestUrls {
  const forwardedProto = firstValue(request, 'x-forwarded-proto')?.toLowerCase();
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : encrypted ? 'https' : 'http';
  const host = plainHost(firstValue(request, 'x-forwarded-host')) ?? plainHost(firstValue(request, 'host')) ?? 'localhost';
  const base = `${proto}://${host}`;
  // Appended to the base, never resolved against it: `//other.host/v3` in the request
  // line stays a path of ours instead of naming another host.
  const requested = new URL(`${base}/${(request.url ?? '/').replace(/^\/+/, '')}`);
  return { base, request: requested, self: prefixedSelf(firstValue(request, 'x-api-request-url'), requested, base) };
}

/** A header's first value (of a repeated header, or of a comma-separated list). */
function firstValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
}

function plainHost(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9.\-:[\]]+$/.test(value) ? value : undefined;
}

/** The request as a proxy that mounts the API under a prefix names it; the request itself otherwise. */
function prefixedSelf(declared: string | undefined, requested: URL, base: string): URL {
  if (!declared?.startsWith('/') || !URL.canParse(`${base}${declared}`)) return requested;
  const { origin, pathname } = new URL(`${base}${declared}`);
  // `//host/…` (or `/\host/…`) would read as another host wherever the link is resolved.
  if (origin !== requested.origin || pathname.startsWith('//') || !pathname.endsWith(requested.pathname)) return requested;
  return new URL(`${base}${pathname}${requested.search}`);
}

/** A Rancher id in a path: percent-encoded except for `:`, which Rancher ids carry and clients send raw. */
export function idSegment(id: string): string {
  // Most ids (`c-x7k2p`, `c-x:p-y`) need no escaping: skip the encoder for them.
  return plainId.test(id) ? id : encodeURIComponent(id).replace(/%3A/gi, ':');
}
const plainId = /^[\w.~:-]*$/;

/** The same URL with some query parameters replaced (undefined removes one). */
export function withQuery(url: URL, changes: Record<string, string | undefined>): string {
  const next = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) next.searchParams.delete(name);
    else next.searchParams.set(name, value);
  }
  return next.toString();
}
