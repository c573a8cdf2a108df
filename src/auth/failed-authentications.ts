import type { IncomingMessage } from 'node:http';
import { rememberNewest } from '../bounded-maps.js';
import { ApiError } from '../errors.js';
import type { RateLimitDecision } from '../rate-limit/request-limiter.js';

/** Whom an anonymous request is counted against: its address. */
export function callerAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/** The request count of an address (anonymous requests and failed authentications share it). */
export function addressCountKey(address: string): string {
  return `address:${address}`;
}

/** How many refused addresses are remembered at once; past it the oldest are forgotten (they are counted again). */
const maximumRefusedAddresses = 10_000;

/**
 * Failed authentications, counted against the caller's address.
 *
 * A key id that names no key costs a database read, and ids are random, so made-up ones
 * are never in memory: unlimited, failing keys are a cheap way to keep the database busy
 * (≈ 1,400 a second on PGlite). Each failed authentication counts as an anonymous request
 * from its address — the count logins already go through, `api-rate-limit` a minute, one
 * count across instances with Redis. Once an address is over it, a key that would have to
 * be read from the database is refused (429, with Retry-After) until the window ends; keys
 * already in memory still work, so other callers behind the same address (a NAT, an
 * office's proxy) are not locked out by one of them.
 */
export class FailedAuthentications {
  /** Refused addresses and until when (epoch ms), oldest first. */
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly countAnonymous: (address: string) => Promise<RateLimitDecision>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answer for a key that would be read from the database for `address` now, if the address is over its count. */
  refusalFor(address: string): ApiError | undefined {
    // Most requests come from addresses never refused: one lookup in an empty map.
    const until = this.refusedUntil.get(address);
    if (until === undefined) return undefined;
    const seconds = Math.ceil((until - this.now()) / 1000);
    if (seconds <= 0) {
      this.refusedUntil.delete(address);
      return undefined;
    }
    return new ApiError('RATE_LIMITED', `too many failed authentications from this address; retry in ${seconds} s`, {
      headers: { 'retry-after': String(seconds) },
    });
  }

  /** Counts a failed authentication from `address`; past the limit, refuses its database reads until the window ends. */
  async record(address: string): Promise<void> {
    const decision = await this.countAnonymous(address);
    if (decision.allowed) return;
    rememberNewest(this.refusedUntil, address, this.now() + decision.resetSeconds * 1000, maximumRefusedAddresses);
  }
}
