import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one spelling of a hostname that every check compares: lowercase, punycode, no
 * trailing dot, no IPv6 brackets, and IPv4 addresses in dotted-quad form whatever way
 * they were written (`2130706433`, `0x7f.1`, `0177.0.0.1` and `::ffff:127.0.0.1` all
 * become `127.0.0.1`). Uses the WHATWG URL host parser, which is what decides which
 * address such a string denotes. Returns undefined for anything that is not a host.
 */
export function canonicalHostname(host: string): string | undefined {
  if (canonicalSpellings.has(host)) return canonicalSpellings.get(host);
  const canonical = canonicalize(host);
  if (canonicalSpellings.size >= 4_096) canonicalSpellings.clear();
  // A DNS name is at most 253 characters: longer spellings are not kept, so callers
  // cannot park large strings here.
  if (host.length <= 253) canonicalSpellings.set(host, canonical);
  return canonical;
}

// Every proxied request asks, mostly for the same few hosts; the URL parser is not free.
const canonicalSpellings = new Map<string, string | undefined>();

function canonicalize(host: string): string | undefined {
  if (host === '' || /[%@/\\?#\s]/.test(host)) return undefined;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let hostname: string;
  try {
    hostname = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return undefined;
  }
  hostname = hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (hostname === '') return undefined;
  return ipaddr.isValid(hostname) && hostname.includes(':') ? ipaddr.process(hostname).toString() : hostname;
}

/** True when the (canonical) hostname is an IP literal rather than a DNS name. */
export function isIpLiteral(hostname: string): boolean {
  return isIP(hostname) !== 0;
}
