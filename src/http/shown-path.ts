/**
 * A request's path as the request log and the audit trail show it: never the query string,
 * which may carry tokens, nor a proxied request's upstream path, which belongs to a
 * third-party API and may carry its secrets (the target host is shown, the rest elided),
 * nor what follows Rancher's `/v3/import/`, whose file name is a cluster registration token
 * (`kubectl apply -f <manifestUrl>`); cut at 512 characters.
 */
export function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  const path = url === undefined ? '/' : query === -1 ? url : url.slice(0, query);
  for (const elided of elidedPaths) {
    const kept = elided.exec(path);
    if (kept) return `${kept[1]}/…`;
  }
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}

/** Paths shown only up to their first group: the proxy's target host, the manifest's directory. */
const elidedPaths = [/^(\/meta\/proxy\/(?:https?:\/{1,2})?[^/]*)\/./i, /^(\/v3\/import)\/./i];
