import type { IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import { fromApiError } from '../../rest-compat/errors.js';
import { ApiError } from '../errors.js';
import { sendJson } from '../http/respond.js';
import { Cancellation } from './cancellation.js';
import { proxyRequest } from './core.js';
import type { HeaderMap } from './headers.js';
import type { AnswerFlow } from './transport.js';
import type { ProxyCaller, ProxyDependencies, ProxySink } from './types.js';
import { UpstreamFailure } from './upstream-errors.js';

export const metaProxyPrefix = '/meta/proxy/';

/**
 * `/meta/proxy/<target>` over node:http, for the caller the router authenticated
 * (undefined → 401): hand the raw request to the core, write the answer into the
 * response as it arrives. Errors before the answer starts
 * become Norman error bodies; after it starts, the connection is cut (the status line
 * is already gone).
 */
export async function handleMetaProxy(
  request: IncomingMessage,
  response: ServerResponse,
  caller: ProxyCaller | undefined,
  deps: ProxyDependencies,
): Promise<void> {
  const callerGone = new Cancellation();
  // A caller who leaves early ends the exchange: before the answer, or while it streams.
  response.once('close', () => {
    if (!response.writableFinished) callerGone.abort(new UpstreamFailure('aborted', 'CALLER_GONE'));
  });
  try {
    if (!caller) throw new ApiError('UNAUTHORIZED', 'must authenticate');
    const { target, query } = splitProxyUrl(request.url ?? '');
    await proxyRequest(
      {
        caller,
        method: request.method ?? 'GET',
        target,
        query,
        headers: request.headers,
        // Node's rule: a request has a body exactly when it declares a length or chunking.
        body: request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined ? request : null,
        secure: request.socket instanceof TLSSocket,
        signal: callerGone,
      },
      deps,
      new ResponseSink(response),
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (response.headersSent) return void response.destroy();
    // An unread request body would be taken for the next request on a kept-alive connection.
    if (!request.complete) response.shouldKeepAlive = false;
    const norman = fromApiError(error);
    sendJson(response, norman.status, norman.toJSON(), norman.headers);
  }
}

/** The client's response as the answer's sink: the upstream's pace follows the client's. */
class ResponseSink implements ProxySink {
  constructor(private readonly response: ServerResponse) {}

  start(status: number, headers: HeaderMap, flow: AnswerFlow): void {
    this.response.writeHead(status, headers);
    this.response.on('drain', () => flow.resume());
  }

  data(chunk: Buffer): boolean {
    return this.response.write(chunk);
  }

  end(): void {
    this.response.end();
  }

  fail(): void {
    // The status line is gone already: cutting the connection is how the client learns.
    this.response.destroy();
  }
}

/** The raw target (after the prefix) and query of a request URL; nothing decoded. */
function splitProxyUrl(url: string): { target: string; query: string } {
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const at = path.indexOf(metaProxyPrefix);
  return { target: at === -1 ? '' : path.slice(at + metaProxyPrefix.length), query };
}
