/**
 * The console's session: the local provider's login with `responseType: "cookie"` sets
 * `R_SESS` (HttpOnly) and `CSRF`; every unsafe request echoes the CSRF cookie in
 * `X-API-CSRF` (README, "Logging in"), as Rancher's own UI does.
 */
export function csrfHeader(): Record<string, string> {
  const csrf = /(?:^|;\s*)CSRF=([^;]*)/.exec(document.cookie)?.[1];
  return csrf ? { 'x-api-csrf': csrf } : {};
}

export async function logIn(username: string, password: string): Promise<string | undefined> {
  const response = await fetch('/v3-public/localProviders/local?action=login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, responseType: 'cookie', description: 'web console session' }),
  });
  if (response.ok) return undefined;
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return body.message ?? `login failed (HTTP ${response.status})`;
}
