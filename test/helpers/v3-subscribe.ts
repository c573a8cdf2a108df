import WebSocket from 'ws';
import type { TestApp } from './app.js';
import type { Json } from './json.js';

export type Message = { name: string; data: Record<string, Json> };

/** A /v3/subscribe socket whose messages are read one at a time, in order. */
export async function subscribe(server: Pick<TestApp, 'url' | 'token'>, query: string): Promise<{ next(): Promise<Message>; close(): void }> {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v3/subscribe${query}`, { headers: { authorization: `Bearer ${server.token}` } });
  const queue: Message[] = [];
  const waiting: Array<(message: Message) => void> = [];
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as Message;
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else queue.push(message);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<Message>((resolve) => waiting.push(resolve)));
  // Norman's first ping proves the subscription is in place before the test writes.
  let first = await next();
  while (first.name !== 'ping') first = await next();
  return { next, close: () => socket.close() };
}
