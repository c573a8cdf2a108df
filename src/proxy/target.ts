import { ApiError } from '../errors.js';
import { canonicalHostname } from './hostnames.js';

/** Where a proxied request goes. `hostname` is canonical (see hostnames.ts). */
export interface ProxyTarget {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** `scheme://host[:port]`, the key connections are pooled by. */
  readonly origin: string;
  /** What the Host header says: the hostname, plus the port when it is not the scheme's default. */
  readonly host: string;
  /** Path and query exactly as they go on the request line. */
  readonly path: string;
}

const defaultPorts = { 'http:': 80, 'https:': 443 } as const;

/**
 * Reads the part of a `/meta/proxy/<target>` URL after the prefix. `https` and 443 are
 * the defaults; `http:/host` and `https:/host` (one slash: routers collapse `//`) choose
 * the scheme, and so do the usual two slashes. The path keeps its percent-encoding and
 * the query is forwarded byte for byte; dot segments are resolved inside the path only,
 * so nothing in the path can change the host.
 */
export function parseProxyTarget(path: string, query = ''): ProxyTarget {
  const { protocol, rest } = splitScheme(path);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const rawPath = slash === -1 ? '/' : rest.slice(slash);

  const { hostname, port } = parseAuthority(authority, protocol);
  const pathname = normalisedPath(rawPath, protocol);
  const requestPath = query === '' ? pathname : `${pathname}?${query}`;
  if (!/^[\x21-\x7e]*$/.test(requestPath)) throw badTarget('the query contains characters that cannot be sent');

  const bracketed = hostname.includes(':') ? `[${hostname}]` : hostname;
  const host = port === defaultPorts[protocol] ? bracketed : `${bracketed}:${port}`;
  return { protocol, hostname, port, origin: `${protocol}//${bracketed}:${port}`, host, path: requestPath };
}

/**
 * A path with no dot segment, no percent-escape and only characters URLs carry as they
 * are: what URL's pathname setter would give back unchanged. Most proxied paths are such,
 * and a URL object per call was a good part of what reading the target cost.
 */
const plainPath = /^(?:\/(?!\.\.?(?:\/|$))[\w\-.~!$&'()*+,;=:@]*)+$/;

/** The path as URL's pathname setter resolves it: dot segments removed, what needs escaping escaped. */
function normalisedPath(rawPath: string, protocol: 'http:' | 'https:'): string {
  if (plainPath.test(rawPath)) return rawPath;
  const base = new URL(`${protocol}//placeholder`);
  // The pathname setter never reinterprets `//x` as an authority, unlike new URL(path, base).
  base.pathname = rawPath;
  return base.pathname;
}

function splitScheme(target: string): { protocol: 'http:' | 'https:'; rest: string } {
  const match = /^(https?):\/\/?(?!\/)/i.exec(target);
  if (!match) return { protocol: 'https:', rest: target };
  return { protocol: `${match[1]!.toLowerCase()}:` as 'http:' | 'https:', rest: target.slice(match[0].length) };
}

function parseAuthority(authority: string, protocol: 'http:' | 'https:'): { hostname: string; port: number } {
  // Userinfo would make the host check read one thing and the connection another.
  if (authority.includes('@')) throw badTarget('credentials in the target URL are not supported');
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(authority);
  const hostname = match?.[1] ? canonicalHostname(match[1]) : undefined;
  if (match?.[1] === '') throw badTarget('no target host given');
  if (!match || !hostname) throw badTarget('the target host cannot be parsed');
  const port = match[2] === undefined ? defaultPorts[protocol] : Number(match[2]);
  if (port < 1 || port > 65535) throw badTarget('the target port is out of range');
  return { hostname, port };
}

const badTarget = (message: string) => new ApiError('BAD_REQUEST', message);
