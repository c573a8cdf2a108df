import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiUiHeaders, renderApiUiPage } from '../ui/page.js';
import { EncodedDocument } from './fixed-documents.js';
import type { RequestUrls } from './urls.js';

/**
 * Writes a /v3 answer as JSON, or, for a browser (`_format=html`, or a Mozilla
 * User-Agent accepting HTML), as the API UI page with the same body inside. A body
 * already encoded (fixed-documents.ts) is sent as its bytes.
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
  if (wantsHtml(request, urls.request)) {
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

function wantsHtml(request: IncomingMessage, url: URL): boolean {
  const format = url.searchParams.get('_format');
  if (format === 'json') return false;
  if (format === 'html') return true;
  const accept = String(request.headers.accept ?? '');
  return (
    /Mozilla/.test(String(request.headers['user-agent'] ?? '')) &&
    (accept.includes('text/html') || accept.includes('*/*')) &&
    !accept.startsWith('application/json')
  );
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
