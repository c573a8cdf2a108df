/**
 * How long each in-process cache trusts what it read without hearing of a change.
 * Every cache is also emptied as soon as the change feed announces a write that
 * concerns it (on any instance, within milliseconds: src/auth/revocation.ts), so these
 * are backstops for a lost notification, not how fast changes spread. Injectable
 * (`startApp`'s options) so tests never wait for one to run out.
 */
export interface CacheLifetimes {
  /** Setting values (src/services/settings.ts). */
  readonly settings: number;
  /** Keys and their users' state, checked on every request (src/services/tokens.ts). */
  readonly tokens: number;
  /** The meta proxy's allow list from active node drivers (src/services/node-drivers.ts). */
  readonly nodeDrivers: number;
  /** Totals of large lists (src/services/count-cache.ts). */
  readonly counts: number;
}

export const defaultCacheLifetimes: CacheLifetimes = { settings: 2_000, tokens: 10_000, nodeDrivers: 2_000, counts: 60_000 };
