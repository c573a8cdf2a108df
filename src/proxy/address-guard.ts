import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { ApiError } from '../errors.js';
import type { AllowListMatch } from './allow-list.js';
import { isIpLiteral } from './hostnames.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Name resolution, injectable so tests can play a rebinding DNS server. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/**
 * The addresses a request may connect to. The name is resolved exactly once here and
 * the transport connects to what this returns, so a DNS answer that changes between
 * check and connect (rebinding) cannot move the request. Every address must be public
 * unicast; loopback, private, link-local (cloud metadata), unique-local, CGNAT,
 * multicast, NAT64 and the like are refused unless the allow list names this exact
 * host or IP — a wildcard entry never vouches for an internal address.
 */
export async function admitAddresses(hostname: string, match: AllowListMatch, resolve: Resolver): Promise<ResolvedAddress[]> {
  const resolved = isIpLiteral(hostname) ? [hostname] : (await resolveOrFail(hostname, resolve)).map(({ address }) => address);
  const addresses = resolved.map(checkAddress);
  if (match !== 'exact' && addresses.some((address) => !address.isPublic)) {
    // Said without the address: the caller must not learn what the name points at inside.
    throw new ApiError('SERVICE_UNAVAILABLE', `host ${hostname} is not allowed: it resolves to a non-public address`);
  }
  return addresses.map(({ address, family }) => ({ address, family }));
}

async function resolveOrFail(hostname: string, resolve: Resolver): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname).catch(() => []);
  if (addresses.length === 0) throw new ApiError('BAD_GATEWAY', `could not resolve the upstream host ${hostname}`);
  return addresses;
}

interface CheckedAddress extends ResolvedAddress {
  readonly isPublic: boolean;
}

// A proxy talks to a few upstreams over and over: each address is parsed and classified once.
const checkedAddresses = new Map<string, CheckedAddress>();

/** The address in its one spelling (IPv4-mapped IPv6 becomes the IPv4 it carries), its family, and whether it is public unicast. */
function checkAddress(raw: string): CheckedAddress {
  let checked = checkedAddresses.get(raw);
  if (!checked) {
    if (!ipaddr.isValid(raw)) throw new ApiError('BAD_GATEWAY', 'the upstream host resolved to an invalid address');
    const address = ipaddr.process(raw);
    checked = { address: address.toString(), family: address.kind() === 'ipv6' ? 6 : 4, isPublic: address.range() === 'unicast' };
    if (checkedAddresses.size >= 4_096) checkedAddresses.clear();
    checkedAddresses.set(raw, checked);
  }
  return checked;
}
