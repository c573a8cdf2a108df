import type { IncomingMessage } from 'node:http';

/**
 * Absolute URLs for links, built from how the client reached us: behind a proxy,
 * `X-Forwarded-Proto` / `X-Forwarded-Host` (first value) win over the socket and
 * `Host`, and `X-API-Request-Url` may carry the original request URL. Values that are
 * not a plain scheme or host are ignored, so a header can never inject into links.
 */
export interface RequestUrls {
  /** `https://rancher.example.com` */
  base: string;
  /** The absolute URL of this request. */
  request: URL;
}

export function requestUrls(request: IncomingMessage): RequestUrls {
  const header = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  };
  const forwardedProto = header('x-forwarded-proto')?.toLowerCase();
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : encrypted ? 'https' : 'http';
  const plainHost = (value: string | undefined) => (value && /^[A-Za-z0-9.\-:[\]]+$/.test(value) ? value : undefined);
  const host = plainHost(header('x-forwarded-host')) ?? plainHost(header('host')) ?? 'localhost';
  const base = `${proto}://${host}`;
  const original = header('x-api-request-url');
  const requestUrl = original && URL.canParse(original, base) ? new URL(original, base) : new URL(request.url ?? '/', base);
  return { base, request: requestUrl };
}

/** A Rancher id in a path: percent-encoded except for `:`, which Rancher ids carry and clients send raw. */
export function idSegment(id: string): string {
  return encodeURIComponent(id).replace(/%3A/gi, ':');
}

/** The same URL with some query parameters replaced (undefined removes one). */
export function withQuery(url: URL, changes: Record<string, string | undefined>): string {
  const next = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) next.searchParams.delete(name);
    else next.searchParams.set(name, value);
  }
  return next.toString();
}
