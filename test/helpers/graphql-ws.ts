import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A graphql-ws client that sends `headers` with its upgrade (as a non-browser client does)
 * and `connectionParams` in its ConnectionInit (as a browser app must, having no headers).
 */
export function graphqlWsClient(url: string, headers: Record<string, string>, connectionParams?: Record<string, unknown>): Client {
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WithHeaders,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams ? { connectionParams } : {}),
  });
}

/** The HTTP status a WebSocket upgrade to `path` is refused with, or `open` when it is accepted. */
export function upgradeStatus(url: string, path: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`, 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve('open');
      socket.close();
    });
    socket.on('error', (error) => reject(error));
  });
}

/** How the server ended a graphql-ws socket: the close frame's code and reason. */
interface Closed {
  code: number;
  reason: string;
}

/**
 * What the server answers on a raw graphql-ws socket to /graphql: `acknowledged` (its
 * ConnectionAck), or how it closed the socket. It sends, in order, a Subscribe when
 * `subscribeFirst` (before any ConnectionInit), then a ConnectionInit carrying `init`
 * unless `init` is `'none'`.
 */
export function connectionAnswer(
  url: string,
  options: { headers?: Record<string, string>; init: Record<string, unknown> | undefined | 'none'; subscribeFirst?: boolean },
): Promise<'acknowledged' | Closed> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers: options.headers ?? {} });
    socket.on('open', () => {
      if (options.subscribeFirst) socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { resourceChanges { id } }' } }));
      if (options.init !== 'none') socket.send(JSON.stringify({ type: 'connection_init', ...(options.init ? { payload: options.init } : {}) }));
    });
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type?: string }).type !== 'connection_ack') return;
      resolve('acknowledged');
      socket.close();
    });
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    socket.on('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    socket.on('error', reject);
  });
}
