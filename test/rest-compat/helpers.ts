import type { TestApp } from '../helpers/app.js';
import type { Json } from '../helpers/json.js';

export interface V3Response<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

/** A /v3 call as a script would make it: JSON in, JSON out, with the admin's key unless `headers` say otherwise. */
export async function v3<T = Json>(
  server: Pick<TestApp, 'url'> & { token?: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<V3Response<T>> {
  const credential: Record<string, string> = server.token ? { authorization: `Bearer ${server.token}` } : {};
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { accept: 'application/json', ...credential, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
