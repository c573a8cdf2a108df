import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

/**
 * HTTP caching for GraphQL queries sent with GET: the answer gets an `ETag` (a hash of
 * the body itself) and `Cache-Control: private, no-cache`, and a request whose
 * `If-None-Match` names the current ETag gets 304 with no body.
 *
 * Why it cannot leak: `private` keeps shared caches (proxies, CDNs) out, `no-cache`
 * makes the browser ask every time, and since the ETag is computed from the very
 * bytes this caller would have received, a 304 only ever confirms what the caller
 * may read anyway. POST (and so every mutation: Yoga refuses mutations over GET) is
 * never touched, nor any answer other than 200.
 */
export function useHttpCaching(): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || response.status !== 200 || !isGraphQLResult(response)) return;
      const body = await response.text();
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('etag', etag);
      headers.set('cache-control', 'private, no-cache');
      // The same URL answers differently per credential.
      headers.set('vary', 'Accept, Authorization, Cookie');
      if (matches(request.headers.get('if-none-match'), etag)) {
        headers.delete('content-type');
        headers.delete('content-length');
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      setResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}

function isGraphQLResult(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.startsWith('application/json') || type.startsWith('application/graphql-response+json');
}

/** RFC 9110 weak comparison, as If-None-Match asks: `W/` is ignored, `*` matches any. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
