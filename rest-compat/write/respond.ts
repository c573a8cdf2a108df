import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as stringifyYaml } from 'yaml';
import { apiUiHeaders, renderApiUiPage } from '../ui/page.js';
import { EncodedDocument } from './fixed-documents.js';
import type { RequestUrls } from './urls.js';

/**
 * Writes a /v3 answer as JSON; for a browser (`_format=html`, or a Mozilla User-Agent
 * accepting HTML), as the API UI page with the same body inside; as YAML for
 * `_format=yaml` or an `Accept` naming `application/yaml` (Norman's order of the three).
 * A body already encoded (fixed-documents.ts) is sent as its bytes.
 * Every answer carries `X-Api-Schemas` and is never cached.
 */
export function sendNorman(
  request: IncomingMessage,
  response: ServerResponse,
  urls: RequestUrls,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  // The anonymous /v3-public face points clients at its own schemas.
  const schemasUrl = `${urls.base}${urls.request.pathname.startsWith('/v3-public') ? '/v3-public' : '/v3'}/schemas`;
  const common = { 'x-api-schemas': schemasUrl, expires: 'Thu, 01 Jan 1970 00:00:00 GMT', 'cache-control': 'no-store', ...extraHeaders };
  const encoded = body instanceof EncodedDocument ? body : undefined;
  const format = formatOf(request, urls.request);
  if (format === 'yaml') {
    const text = body === undefined ? '' : stringifyYaml(encoded ? encoded.value() : body);
    response.writeHead(status, { ...common, 'content-type': 'application/yaml', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  if (format === 'html') {
    const page = renderApiUiPage({ data: encoded ? encoded.value() : body, schemasUrl, requestUrl: urls.self.toString() });
    response.writeHead(status, { ...common, ...apiUiHeaders, ...csrfCookie(request, response), 'content-length': Buffer.byteLength(page) });
    response.end(page);
    return;
  }
  // Encoded once here: the length is the bytes' own, and the socket is handed bytes
  // (a string would be measured by Buffer.byteLength and then encoded again to be sent).
  const bytes = encoded?.bytes ?? Buffer.from(body === undefined ? '' : JSON.stringify(body));
  response.writeHead(status, { ...common, 'content-type': 'application/json', 'content-length': bytes.length });
  response.end(bytes);
}

/** Norman's reading of the format asked for: `_format` first, then a browser's HTML, then an `Accept` of YAML. */
function formatOf(request: IncomingMessage, url: URL): 'json' | 'yaml' | 'html' {
  const format = url.searchParams.get('_format')?.trim().toLowerCase();
  if (format === 'json' || format === 'yaml' || format === 'html') return format;
  const accept = String(request.headers.accept ?? '');
  const browser =
    /Mozilla/.test(String(request.headers['user-agent'] ?? '')) &&
    (accept.includes('text/html') || accept.includes('*/*')) &&
    !accept.startsWith('application/json');
  if (browser) return 'html';
  return accept.includes('application/yaml') ? 'yaml' : 'json';
}

/**
 * A browser without a CSRF cookie gets one (readable by the UI's script, echoed in
 * X-API-CSRF) — unless the answer sets cookies of its own (a cookie login sets the
 * session and its CSRF cookie): headers given to writeHead replace those set before.
 */
function csrfCookie(request: IncomingMessage, response: ServerResponse): Record<string, string> {
  if (response.hasHeader('set-cookie') || /(?:^|;\s*)CSRF=/.test(String(request.headers.cookie ?? ''))) return {};
  return { 'set-cookie': `CSRF=${randomBytes(16).toString('hex')}; Path=/; SameSite=Lax` };
}
