import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A GraphQL request the gate holds: it reaches the server only once released. */
export interface HeldRequest {
  /** The request body, as the client sent it. */
  body: string;
  /** Settles when the client closes the connection before any answer: it gave up on it. */
  abandoned: Promise<void>;
  /** Forwards the request to the server and its answer back. */
  release(): void;
}

export interface HoldingGate {
  /** The gate's origin: `/graphql` goes to the server, `/` is the page given. */
  url: string;
  /** While true, each `/graphql` request is held (see `nextHeld`) instead of forwarded. */
  holding: boolean;
  /** The next request held, in arrival order. */
  nextHeld(): Promise<HeldRequest>;
  close(): Promise<void>;
}

/**
 * A real HTTP server in front of the test server: it forwards `/graphql` there, or holds a
 * request until released, which is how a test sees, on the server side of a real
 * connection, whether a client aborts a request it no longer needs. A slow server is
 * what it stands for; the client under test cannot tell the two apart. It also serves a
 * page (`/` and `/app.js`) so that a browser's requests are same-origin.
 */
export async function startHoldingGate(serverUrl: string, page: { html: string; script: string } = { html: '', script: '' }): Promise<HoldingGate> {
  const held: HeldRequest[] = [];
  const waiting: Array<(request: HeldRequest) => void> = [];
  const state = { holding: false };
  const gate = createServer((request, response) => {
    if (request.url === '/app.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(page.script);
    if (request.url !== '/graphql') return void response.writeHead(200, { 'content-type': 'text/html' }).end(page.html);
    // Listening from the start: a client may give up while its body is still being read.
    const abandoned = new Promise<void>((resolve) => {
      response.on('close', () => {
        if (!response.writableFinished) resolve();
      });
    });
    void readBody(request).then((body) => {
      // A request the server never answered (the suite is ending) just closes.
      const forward = () => void forwardTo(`${serverUrl}/graphql`, request, body, response).catch(() => response.destroy());
      if (!state.holding) return forward();
      const heldRequest = { body, abandoned, release: forward };
      const waiter = waiting.shift();
      if (waiter) waiter(heldRequest);
      else held.push(heldRequest);
    });
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(gate.address() as AddressInfo).port}`,
    nextHeld: () => {
      const first = held.shift();
      return first ? Promise.resolve(first) : new Promise<HeldRequest>((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        gate.closeAllConnections();
        gate.close(() => resolve());
      }),
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Headers the client's request carries to the server: what GraphQL and authentication read. */
const forwarded = ['content-type', 'accept', 'authorization', 'cookie', 'x-api-csrf'];

async function forwardTo(url: string, request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
  if (response.destroyed) return;
  const headers = Object.fromEntries(forwarded.flatMap((name) => (request.headers[name] ? [[name, String(request.headers[name])]] : [])));
  const answer = await fetch(url, { method: request.method ?? 'POST', headers, body });
  const bytes = Buffer.from(await answer.arrayBuffer());
  const answerHeaders = Object.fromEntries(
    [...answer.headers].filter(([name]) => !['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'content-encoding'].includes(name)),
  );
  response.writeHead(answer.status, { ...answerHeaders, 'content-length': bytes.length }).end(bytes);
}
