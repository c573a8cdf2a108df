import { ApiError } from '../errors.js';

/** Header names are lowercase; a name appears once, with all its values. */
export type HeaderMap = Record<string, string | string[]>;
export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ForwardedHeaders {
  /** What goes upstream, before any signer adds its header. */
  readonly headers: HeaderMap;
  /** `X-API-CattleAuth-Header`, when present and not overridden by `X-API-Auth-Header`. */
  readonly cattleAuth: string | undefined;
}

export const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * The caller's headers as the upstream sees them: the caller's own credentials,
 * framing, hop-by-hop, CDN, impersonation and forwarding headers are dropped;
 * `X-Api-Cookie-Header` and `X-API-Auth-Header` become `Cookie` and `Authorization`;
 * Rancher's UI prefix `rancher:` is cut from every value.
 */
export function forwardedRequestHeaders(incoming: IncomingHeaders, secure: boolean): ForwardedHeaders {
  const connectionNamed = namedByConnection(incoming);
  const headers: HeaderMap = {};
  let cookie: string | undefined;
  let authorization: string | undefined;
  let cattleAuth: string | undefined;
  // One pass: the headers that are renamed are picked out on the way.
  for (const rawName in incoming) {
    const rawValue = incoming[rawName];
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    if (name === 'x-api-cookie-header') cookie ??= firstOf(rawValue);
    else if (name === 'x-api-auth-header') authorization ??= firstOf(rawValue);
    else if (name === 'x-api-cattleauth-header') cattleAuth ??= firstOf(rawValue);
    if (isReservedRequestHeader(name) || connectionNamed?.has(name)) continue;
    headers[name] = mapValues(rawValue, stripUiPrefix);
  }
  if (cookie !== undefined) headers.cookie = stripUiPrefix(cookie);
  if (authorization !== undefined) headers.authorization = stripUiPrefix(authorization);
  // Our own X-Forwarded-Proto is the only forwarding header the upstream sees.
  if (secure) headers['x-forwarded-proto'] = 'https';
  assertSendable(headers);
  return { headers, cattleAuth: authorization === undefined ? cattleAuth : undefined };
}

/**
 * Headers no caller or signer may set on the upstream request. `Authorization` is
 * reserved only for the caller (it carries their credentials for this API); signers
 * and `X-API-Auth-Header` set it on purpose.
 */
export function isReservedRequestHeader(name: string): boolean {
  return reservedRequestHeaders.has(name) || reservedRequestPrefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * The upstream's headers as the caller sees them: cookies and auth prompts renamed so
 * the browser never applies them to this product's origin, and a sandboxing CSP so
 * proxied content never runs as ours.
 */
export function clientResponseHeaders(upstream: IncomingHeaders): HeaderMap {
  const connectionNamed = namedByConnection(upstream);
  const headers: HeaderMap = {};
  for (const rawName in upstream) {
    const value = upstream[rawName];
    const name = rawName.toLowerCase();
    if (value === undefined || hopByHop.has(name) || connectionNamed?.has(name) || name.startsWith('proxy-') || replacedResponseHeaders.has(name)) continue;
    headers[responseRenames[name] ?? name] = value;
  }
  headers['content-security-policy'] = contentSecurityPolicy;
  headers['x-content-type-options'] = 'nosniff';
  return headers;
}

/** Refuses names and values that could split or smuggle a request (400, never sent). */
export function assertSendable(headers: HeaderMap): void {
  for (const name in headers) {
    const value = headers[name]!;
    if (!headerName.test(name)) throw new ApiError('BAD_REQUEST', `invalid header name ${JSON.stringify(name)}`);
    if (typeof value === 'string' ? lineBreak.test(value) : value.some((one) => lineBreak.test(one))) {
      throw new ApiError('BAD_REQUEST', `header ${name} contains a line break`);
    }
  }
}

const headerName = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const lineBreak = /[\r\n\0]/;

const hopByHop = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings']);

const reservedRequestHeaders = new Set([
  ...hopByHop,
  'host',
  'content-length',
  'expect',
  'cookie',
  'authorization',
  'x-api-auth-header',
  'x-api-cattleauth-header',
  'x-api-cookie-header',
  'x-api-csrf',
  'forwarded',
  'x-real-ip',
  'via',
]);
const reservedRequestPrefixes = ['proxy-', 'cf-', 'impersonate-', 'x-forwarded-'];

const responseRenames: Record<string, string> = {
  'set-cookie': 'x-api-set-cookie-header',
  'www-authenticate': 'x-api-www-authenticate',
};
// Names we set ourselves: an upstream must not be able to pre-empt them.
const replacedResponseHeaders = new Set([...Object.values(responseRenames), 'content-security-policy', 'x-content-type-options']);

/** The header names a `Connection` header lists (hop-by-hop by declaration), or undefined when there is none. */
function namedByConnection(headers: IncomingHeaders): ReadonlySet<string> | undefined {
  const connection = headers.connection ?? headers.Connection;
  if (connection === undefined) return undefined;
  // Nearly every message says `keep-alive` or `close`: each spelling is parsed once.
  const spelling = typeof connection === 'string' ? connection : connection.join(',');
  let names = connectionNames.get(spelling);
  if (!names) {
    names = new Set(
      spelling
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    );
    if (connectionNames.size >= 256) connectionNames.clear();
    // Long spellings are rare and would make the cache a place to park memory.
    if (spelling.length <= 64) connectionNames.set(spelling, names);
  }
  return names;
}

const connectionNames = new Map<string, ReadonlySet<string>>();

function firstOf(value: string | string[]): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stripUiPrefix(value: string): string {
  return value.startsWith('rancher:') ? value.slice('rancher:'.length) : value;
}

function mapValues(value: string | string[], map: (one: string) => string): string | string[] {
  return Array.isArray(value) ? value.map(map) : map(value);
}
