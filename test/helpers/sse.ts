import type { Json } from './json.js';

/**
 * A GraphQL-over-SSE client just big enough for tests: POSTs the subscription with
 * Accept: text/event-stream and hands over each `next` payload as it arrives.
 */
export interface SseSubscription<T> {
  /** The HTTP status of the answer (200 when the stream opened). */
  status: number;
  /** The next payload, or undefined once the stream has ended. */
  next(): Promise<T | undefined>;
  close(): void;
}

export async function subscribeSse<T = Record<string, Json>>(
  url: string,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<SseSubscription<T>> {
  const controller = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (): Promise<T | undefined> => {
    for (;;) {
      const boundary = buffer.indexOf('\n\n');
      if (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'complete') return undefined;
        if (data) return JSON.parse(data) as T;
        continue;
      }
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return undefined;
      buffer += chunk.value;
    }
  };
  return { status: response.status, next, close: () => controller.abort() };
}
