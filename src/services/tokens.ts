import { defaultCacheLifetimes } from './cache-lifetimes.js';
import type { PresentedCredential } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { hashSecret, newSecret, secretMatches } from '../auth/secrets.js';
import { rememberNewest } from '../bounded-maps.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { Prisma, Token } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import type { SettingService } from './settings.js';

export interface TokenRequest extends MetadataInput {
  name?: string | null;
  description?: string | null;
  /** Milliseconds; 0 or absent: never expires (unless the max-TTL setting caps it). */
  ttl?: number | null;
  clusterId?: string | null;
  projectId?: string | null;
}

const maximumTtlMs = 100 * 365 * 24 * 60 * 60 * 1000;

/** How many unknown key ids {@link TokenService} remembers (a few hundred KB at most). */
const maximumUnknownIds = 10_000;

/** How many verified Authorization headers {@link TokenService} remembers, and how long one may be to be remembered (≈ 2.5 MB at most). */
const maximumVerifiedHeaders = 10_000;
/** The headers we issue are under 100 characters; padding one beyond this only costs its sender the hash. */
const longestRememberedHeader = 256;

/** What a key resolves to, cached briefly so a request never waits on the database for it. */
interface CachedKey {
  /** The stored SHA-256, decoded once per lookup rather than once per request. */
  secretDigest: Buffer;
  principal: Omit<Principal, 'via'>;
  /** The principal as each way of presenting the key shows it, made once and frozen: requests share it. */
  presented: Partial<Record<Principal['via'], Readonly<Principal>>>;
  enabled: boolean;
  expiresAt: Date | null;
  userEnabled: boolean;
  lastUsedAt: number;
  fetchedAt: number;
}

/** An Authorization header whose key was verified, and that key as it was cached then. */
interface VerifiedHeader {
  key: CachedKey;
  principal: Readonly<Principal>;
}

/**
 * API keys and login sessions. The secret is 256 random bits, returned once as
 * `token-xxxxx:<secret>` and stored only as a hash; checking a key is a lookup by id
 * (cached for `lifetimeMs`, forgotten at once when any instance announces a change to the
 * key or its user) and one SHA-256.
 */
export class TokenService extends ResourceStore<Token, Prisma.TokenWhereInput, Prisma.TokenOrderByWithRelationInput> {
  private readonly cache = new Map<string, CachedKey>();
  /**
   * Ids that named no key when asked, and when, for as long as a key is cached: a script
   * retrying a deleted key costs one statement, not one per request. Bounded: the
   * oldest are forgotten first. A key made with such an id (ids are random) is announced
   * like any change and forgotten here too.
   */
  private readonly unknown = new Map<string, number>();
  /**
   * Authorization headers already verified, exactly as sent: a script sends the same one
   * with every request, and while the key it was verified against is still the one cached,
   * the same text holds the same secret — answered without parsing or hashing it again
   * (admission fell from ≈ 9 % to ≈ 1–2 % of the cheapest request by profile: BENCHMARKS.md, auth). An entry counts only while its
   * key is the cached one: a key forgotten (revoked, disabled, its user changed) or read
   * again is verified again. Bounded like `unknown`. The headers stay in memory only while
   * their keys are cached, as the requests that sent them did; they are never written
   * anywhere. A lookup compares the text only once its (per-process seeded) hash matched,
   * so its timing tells a caller nothing about a secret.
   */
  private readonly verifiedHeaders = new Map<string, VerifiedHeader>();

  constructor(
    prisma: PrismaClient,
    private readonly settings: SettingService,
    private readonly lifetimeMs = defaultCacheLifetimes.tokens,
  ) {
    super(prisma, 'token', 'token');
  }

  /** Creates a key for `userId`; the returned `token` is the only time its secret exists outside the caller. */
  async issue(userId: string, request: TokenRequest, options: { isDerived: boolean }, query: PrismaQuery = {}) {
    const ttl = await this.cappedTtl(request.ttl ?? 0);
    const secret = newSecret();
    // One clock for both ends, so that `ttl` (expiresAt - createdAt) is exactly what was granted.
    const createdAt = new Date();
    const row = await withFreshId(
      () => newId('token'),
      (id) =>
        this.prisma.token.create({
          ...query,
          data: {
            id,
            secretHash: hashSecret(secret),
            userId,
            name: request.name ?? '',
            description: request.description ?? '',
            ...metadataColumns(request),
            createdAt,
            expiresAt: ttl > 0 ? new Date(createdAt.getTime() + ttl) : null,
            isDerived: options.isDerived,
            clusterId: request.clusterId ?? null,
            projectId: request.projectId ?? null,
          },
        }),
    );
    return Object.assign(row, { token: `${row.id}:${secret}` });
  }

  /**
   * The principal behind a presented key, or UNAUTHORIZED — the same answer for every way
   * a key can be wrong, unless the caller proved they hold it (the secret matches): then
   * the answer says why it no longer works (`reason`: `expired` or `disabled`), so an app
   * can tell "sign in again" from "this key was never right". `refusal`, when given, is
   * thrown instead of reading a key that is not in memory (the caller's address failed too
   * often: src/auth/failed-authentications.ts).
   */
  async authenticate(credential: PresentedCredential, refusal?: ApiError): Promise<Principal> {
    const key = await this.lookup(credential.tokenId, refusal);
    if (!key || !secretMatches(credential.secret, key.secretDigest)) throw invalidCredential();
    if (!usable(key)) throw unusableCredential(key);
    this.touch(credential.tokenId, key);
    const principal = key.presented[credential.via] ?? Object.freeze({ ...key.principal, via: credential.via });
    key.presented[credential.via] = principal;
    if (credential.header !== undefined && credential.header.length <= longestRememberedHeader)
      rememberNewest(this.verifiedHeaders, credential.header, { key, principal }, maximumVerifiedHeaders);
    return principal;
  }

  /** The principal behind an Authorization header verified before, while its key is still cached and usable. */
  recognise(authorization: string): Readonly<Principal> | undefined {
    const verified = this.verifiedHeaders.get(authorization);
    if (verified === undefined) return undefined;
    const { key, principal } = verified;
    if (this.cache.get(principal.tokenId) !== key || !this.fresh(key.fetchedAt) || !usable(key)) {
      this.verifiedHeaders.delete(authorization);
      return undefined;
    }
    this.touch(principal.tokenId, key);
    return principal;
  }

  /**
   * The principal behind a key already authenticated once (a long-lived stream asks
   * again when its key or user changes), or undefined once it no longer works.
   */
  async recheck(principal: Principal): Promise<Principal | undefined> {
    const key = await this.lookup(principal.tokenId);
    if (!key || !usable(key)) return undefined;
    return { ...key.principal, via: principal.via };
  }

  /** Only the name, the description and the metadata of a key can change: one statement, within `scope`. */
  update(id: string, changes: { name?: string | null; description?: string | null } & MetadataInput, query: PrismaQuery = {}, scope?: Prisma.TokenWhereInput) {
    return this.write(
      id,
      {
        ...(changes.name != null ? { name: changes.name } : {}),
        ...(changes.description != null ? { description: changes.description } : {}),
        ...metadataColumns(changes),
      },
      query,
      scope,
    );
  }

  async setEnabled(id: string, enabled: boolean, query: PrismaQuery = {}, scope?: Prisma.TokenWhereInput) {
    const token = await this.get(id, { select: { enabled: true } }, scope);
    if (token.enabled === enabled) throw new ApiError('INVALID_STATE', `the key is already ${enabled ? 'active' : 'inactive'}`);
    this.cache.delete(id);
    return this.write(id, { enabled }, query);
  }

  /** Deletes the key within `scope` in one statement, and forgets it at once. */
  override async delete(id: string, query: PrismaQuery = {}, scope?: Prisma.TokenWhereInput) {
    const removed = await super.delete(id, query, scope);
    this.cache.delete(id);
    return removed;
  }

  /** Forgets one key (it changed, here or on another instance). */
  forgetKey(id: string): void {
    this.cache.delete(id);
    this.unknown.delete(id);
  }

  /** Forgets every key (changes may have been missed). */
  forgetAll(): void {
    this.cache.clear();
    this.unknown.clear();
    this.verifiedHeaders.clear();
  }

  /** Forgets what the cache knows about a user's keys (their account changed). */
  forgetUser(userId: string): void {
    for (const [id, key] of this.cache) if (key.principal.userId === userId) this.cache.delete(id);
  }

  /** `auth-token-max-ttl-minutes`, when set, caps every key; a key asked to live forever gets the cap. */
  private async cappedTtl(requested: number): Promise<number> {
    // Whole milliseconds, as Rancher's ttl (an int64): 0.5 rounded down would be 0, "never expires", past the cap below.
    if (!Number.isInteger(requested) || requested < 0)
      throw new ApiError('INVALID_INPUT', 'ttl must be 0 or a positive whole number of milliseconds', { fieldName: 'ttl' });
    // Beyond this, expiry dates stop being dates (a 500 from the database); 0 is how to say "never".
    if (requested > maximumTtlMs)
      throw new ApiError('INVALID_INPUT', 'ttl is at most 100 years; 0 never expires', { fieldName: 'ttl', reason: 'MaxLimitExceeded' });
    const maximum = (await this.settings.numberValue('auth-token-max-ttl-minutes')) * 60_000;
    if (maximum > 0 && (requested === 0 || requested > maximum)) return maximum;
    return requested;
  }

  private async lookup(id: string, refusal?: ApiError): Promise<CachedKey | undefined> {
    const cached = this.cache.get(id);
    if (cached && this.fresh(cached.fetchedAt)) return cached;
    const missedAt = this.unknown.get(id);
    if (missedAt !== undefined && this.fresh(missedAt)) return undefined;
    if (refusal) throw refusal;
    // Only what a credential check needs: not the key's description, labels or annotations.
    const row = await this.prisma.token.findUnique({
      where: { id },
      select: {
        id: true,
        secretHash: true,
        userId: true,
        clusterId: true,
        projectId: true,
        enabled: true,
        expiresAt: true,
        lastUsedAt: true,
        user: { select: { username: true, enabled: true, globalBindings: { where: { globalRoleId: 'admin' }, select: { id: true } } } },
      },
    });
    if (!row) {
      this.cache.delete(id);
      rememberNewest(this.unknown, id, Date.now(), maximumUnknownIds);
      return undefined;
    }
    const key: CachedKey = {
      secretDigest: Buffer.from(row.secretHash, 'hex'),
      presented: {},
      principal: {
        userId: row.userId,
        username: row.user.username,
        isAdmin: row.user.globalBindings.length > 0,
        tokenId: row.id,
        clusterId: row.clusterId,
        projectId: row.projectId,
      },
      enabled: row.enabled,
      expiresAt: row.expiresAt,
      userEnabled: row.user.enabled,
      lastUsedAt: row.lastUsedAt?.getTime() ?? 0,
      fetchedAt: Date.now(),
    };
    this.cache.set(id, key);
    return key;
  }

  /** Whether something read at `at` may still be answered from memory. */
  private fresh(at: number): boolean {
    return Date.now() - at < this.lifetimeMs;
  }

  /** Records use at most once a minute per key, off the request's path. */
  private touch(id: string, key: CachedKey): void {
    const now = Date.now();
    if (now - key.lastUsedAt < 60_000) return;
    key.lastUsedAt = now;
    void this.prisma.token.update({ where: { id }, data: { lastUsedAt: new Date(now) } }).catch(() => undefined);
  }
}

/** Whether a key, as cached, still lets its holder in. */
function usable(key: CachedKey): boolean {
  return key.enabled && key.userEnabled && (key.expiresAt === null || key.expiresAt.getTime() > Date.now());
}

/** The same answer for every way a key can be wrong: which one is nobody's business. */
const invalidCredential = () => new ApiError('UNAUTHORIZED', 'the credential is not valid');

/** To the key's holder: why their key stopped working. Expiry first: a disabled key that also expired is over anyway. */
function unusableCredential(key: CachedKey): ApiError {
  return key.expiresAt !== null && key.expiresAt.getTime() <= Date.now()
    ? new ApiError('UNAUTHORIZED', 'the key has expired: sign in again, or create a new key', { reason: 'expired' })
    : new ApiError('UNAUTHORIZED', 'the key or its user is disabled', { reason: 'disabled' });
}

/** A key's lifetime in milliseconds as Rancher reports it: 0 for keys that never expire. */
export function ttlOf(token: { createdAt: Date; expiresAt: Date | null }): number {
  return token.expiresAt ? token.expiresAt.getTime() - token.createdAt.getTime() : 0;
}
