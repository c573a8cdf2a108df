import type { TestApp } from '../helpers/app.js';

export interface V3Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A /v3 call as a script would make it: JSON in, JSON out. */
export async function v3<T = any>(server: TestApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<V3Response<T>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
