/**
 * Which paths the REST faces own, for the router and the upgrade handler. Kept apart
 * from the faces themselves (index.ts, subscribe.ts) so that routing a request needs
 * none of them: they are built on first use (src/faces.ts).
 */

/** The /v1 prefix, which the router admits like /v3. */
export const isV1Path = (pathname: string): boolean => pathname === '/v1' || pathname.startsWith('/v1/');

/** Rancher's subscribe sockets: `/v3/subscribe` and `/v3/project/<id>/subscribe`. */
export const isNormanSubscribePath = (pathname: string): boolean => /^\/v3\/(project\/[^/]+\/)?subscribe$/.test(pathname);
