import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

/**
 * One log line per request: method, path (never the query string, which may carry
 * tokens, nor a proxied request's upstream path), status, duration and principal.
 * Headers and bodies are not logged.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { responseTime: 'ms' },
    serializers: {
      req: (request: IncomingMessage & { raw?: IncomingMessage }) => ({
        method: request.method,
        path: pathOf(request.url),
      }),
      res: (response: ServerResponse) => ({ status: response.statusCode }),
    },
    customProps: (request) => ({ principal: principalOf(request) }),
    customSuccessMessage: (request, response, ms) => `${request.method} ${pathOf(request.url)} ${response.statusCode} ${Math.round(ms)}ms`,
    customErrorMessage: (request, response) => `${request.method} ${pathOf(request.url)} ${response.statusCode} failed`,
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
  });
}

/** Set by the authentication step once the caller is known. */
export const principalKey = Symbol('principal');

function principalOf(request: IncomingMessage): string {
  return (request as IncomingMessage & { [principalKey]?: string })[principalKey] ?? 'anonymous';
}

export function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!;
  // A proxied path belongs to a third-party API and may carry its secrets: the target host is logged, the rest elided.
  const proxied = /^(\/meta\/proxy\/(?:https?:\/{1,2})?[^/]*)\/./i.exec(path);
  if (proxied) return `${proxied[1]}/…`;
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}
