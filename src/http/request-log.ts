import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import { callerOf } from './caller.js';
import { levelGate, requestLineWriter } from './request-line-writer.js';

const startedKey = Symbol('started');

type TimedResponse = ServerResponse & { [startedKey]?: number };

/**
 * One log line per request: method, path (never the query string, which may carry
 * tokens, nor a proxied request's upstream path: src/http/shown-path.ts), status,
 * duration and principal. Headers and bodies are not logged.
 *
 * Written by hand rather than with pino-http because that built a child logger per
 * request and added `principal` both when the request arrived and when it ended
 * (two keys of one name on one line). Here each request costs one timestamp and one
 * listener, and the listener is the same function for every request (no closure).
 *
 * The lines skip the logger's redaction, which cost more than the rest of the line
 * together (≈ 6.5 of 10 µs, issue 12's log budget): a line is built here from the method,
 * the path without its query (and a proxied path cut at its host), the status, the time
 * and the principal's name, so it has nothing to redact. It is then written by a serialiser
 * for its one shape (request-line-writer.ts).
 */
export function requestLogger(root: Logger): (request: IncomingMessage, response: ServerResponse) => void {
  const logger = root.child({}, { redact: [] });
  // One level gate for the logger: whether to time a request, and the writer's whether to write it.
  const enabled = levelGate(logger);
  const write = requestLineWriter(logger, enabled);
  /**
   * On `close`, which follows `finish` for a complete answer and also fires when the
   * client went away first: one listener covers both.
   */
  function logOnClose(this: TimedResponse): void {
    const started = this[startedKey];
    // One line per response, should `close` ever come twice.
    if (started === undefined) return;
    this[startedKey] = undefined;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const request = this.req;
    const status = this.statusCode;
    const end = !this.writableFinished ? 'aborted' : status >= 500 ? 'failed' : 'answered';
    write(end, request.method ?? '', request.url, status, ms, callerOf(request)?.username ?? 'anonymous');
  }

  return (_request, response) => {
    // At a level that drops even failures nothing is timed or listened for.
    if (!enabled('error')) return;
    (response as TimedResponse)[startedKey] = performance.now();
    // `on`, not `once`, which wraps the listener anew for every request; the listener
    // itself writes one line per response.
    response.on('close', logOnClose);
  };
}
