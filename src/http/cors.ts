import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidInput } from '../errors.js';

/**
 * CORS for browser apps on other origins. Nothing is allowed by default: an origin
 * gets CORS headers only when it is on the allow list, the union of the configuration
 * (`CATTLE_CORS_ORIGINS`, fixed at start) and the `cors-allowed-origins` setting (read
 * per request through the settings cache, so it changes without a restart). A listed
 * origin may send credentials (cookies, Authorization); an unlisted one gets no CORS
 * header at all, so the browser keeps its answers from the page.
 */
export interface CorsOptions {
  /** Origins from the configuration. */
  configured: readonly string[];
  /** The current value of the `cors-allowed-origins` setting (comma-separated origins). */
  fromSetting: () => Promise<string>;
}

/** What a cross-origin caller may send: the methods of the faces and the headers our clients use. */
const allowedMethods = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const allowedHeaders = 'accept, authorization, content-type, x-api-csrf, x-api-cattleauth-header';
const exposedHeaders = 'ratelimit, ratelimit-policy, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset';

/**
 * Returns the router's CORS step: it adds the headers for a listed origin and answers
 * preflight requests itself (true: nothing more to do), before any face sees them.
 */
export function createCors(options: CorsOptions) {
  return async function cors(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const origin = request.headers.origin;
    const isPreflight = request.method === 'OPTIONS' && origin !== undefined && request.headers['access-control-request-method'] !== undefined;
    if (origin === undefined) return false;
    // Caches must not hand one origin's answer to another.
    response.setHeader('vary', 'Origin');
    const allowed = await isAllowed(origin, options);
    if (allowed) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('access-control-allow-credentials', 'true');
      response.setHeader('access-control-expose-headers', exposedHeaders);
    }
    if (!isPreflight) return false;
    if (allowed) {
      response.setHeader('access-control-allow-methods', allowedMethods);
      response.setHeader('access-control-allow-headers', allowedHeaders);
      response.setHeader('access-control-max-age', '600');
    }
    response.writeHead(allowed ? 204 : 403).end();
    return true;
  };
}

/** Whether a foreign origin is on the allow list: what CORS answers it, and whether its pages may open a WebSocket (src/http/upgrade.ts). */
export async function isAllowed(origin: string, options: CorsOptions): Promise<boolean> {
  if (options.configured.includes(origin)) return true;
  return originList(await options.fromSetting()).includes(origin);
}

/** Splits a comma-separated list of origins, normalised as browsers send them. */
export function originList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => (URL.canParse(entry) ? new URL(entry).origin : entry));
}

/** An allow-list entry must be exactly an origin: `http(s)://host[:port]`, no path, no wildcard. */
export function validateOrigin(entry: string, fieldName: string): void {
  const parsed = URL.canParse(entry) ? new URL(entry) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== entry.replace(/\/$/, '') || entry.includes('*')) {
    throw invalidInput(fieldName, `${JSON.stringify(entry)} is not an origin like https://app.example.com:8443 (scheme, host and port only, no wildcards)`);
  }
}
