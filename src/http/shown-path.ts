/**
 * A request's path as the request log and the audit trail show it: never the query string,
 * which may carry tokens, nor a proxied request's upstream path, which belongs to a
 * third-party API and may carry its secrets (the target host is shown, the rest elided);
 * cut at 512 characters.
 */
export function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  const path = url === undefined ? '/' : query === -1 ? url : url.slice(0, query);
  const proxied = proxiedPath.exec(path);
  if (proxied) return `${proxied[1]}/…`;
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}

const proxiedPath = /^(\/meta\/proxy\/(?:https?:\/{1,2})?[^/]*)\/./i;
