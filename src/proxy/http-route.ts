import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { errors as undiciErrors } from 'undici';
import { fromApiError } from '../../rest-compat/errors.js';
import { ApiError } from '../errors.js';
import { sendJson } from '../http/respond.js';
import { Cancellation } from './cancellation.js';
import { proxyRequest } from './core.js';
import type { ProxyCaller, ProxyDependencies } from './types.js';

export const metaProxyPrefix = '/meta/proxy/';

export interface MetaProxyRouteDependencies extends ProxyDependencies {
  /** The caller behind the request's API key or session, or undefined (→ 401). */
  authenticate(request: IncomingMessage): Promise<ProxyCaller | undefined>;
}

/**
 * `/meta/proxy/<target>` over node:http: authenticate, hand the raw request to the core,
 * stream the answer back. Errors before the answer starts become Norman error bodies;
 * after it starts, the connection is cut (the status line is already gone).
 */
export async function handleMetaProxy(request: IncomingMessage, response: ServerResponse, deps: MetaProxyRouteDependencies): Promise<void> {
  const callerGone = new Cancellation();
  let answerBody: Readable | undefined;
  // One listener for a caller who leaves early: before the answer it aborts the
  // upstream exchange, while the answer streams it stops the upstream body.
  response.once('close', () => {
    if (response.writableFinished) return;
    if (answerBody) answerBody.destroy();
    else callerGone.abort(new undiciErrors.RequestAbortedError());
  });
  try {
    const caller = await deps.authenticate(request);
    if (!caller) throw new ApiError('UNAUTHORIZED', 'must authenticate');
    const { target, query } = splitProxyUrl(request.url ?? '');
    const answer = await proxyRequest(
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
    );
    response.writeHead(answer.status, answer.headers);
    // pipe rather than stream.pipeline (an AbortController and a DOMException per call);
    // a failing upstream body cuts the connection, the status line being gone already.
    answerBody = answer.body;
    answer.body.once('error', () => response.destroy());
    answer.body.pipe(response);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (response.headersSent) return void response.destroy();
    // An unread request body would be taken for the next request on a kept-alive connection.
    if (!request.complete) response.shouldKeepAlive = false;
    const norman = fromApiError(error);
    sendJson(response, norman.status, norman.toJSON(), norman.headers);
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
