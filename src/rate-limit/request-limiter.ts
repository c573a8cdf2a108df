import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';

/**
 * The per-caller request limit (Rancher's "100 requests per minute per user").
 *
 * Counting is atomic (rate-limiter-flexible: INCR + PEXPIRE in one Lua script on
 * Redis, a Map in memory), so a burst of concurrent requests can never slip past the
 * limit the way read-then-write limiters do. With REDIS_URL every instance shares
 * one count per caller; without it each process counts alone, which is right for
 * the embedded single-instance mode. If Redis becomes unreachable, counting falls
 * back to memory at once (no waiting on a dead connection: see redis.ts) instead of
 * failing every request.
 *
 * The limit is read per request (it is a setting that can change at run time);
 * counts are kept per window of one minute and survive a change of the limit.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends and the count starts again. */
  resetSeconds: number;
}

export interface RequestLimiter {
  consume(key: string, limitPerMinute: number): Promise<RateLimitDecision>;
}

const windowSeconds = 60;
const keyPrefix = 'api-rate';

/** `redis` (see redis.ts) is the caller's to close; without it, counts stay in this process. */
export function createRequestLimiter(redis?: Redis): RequestLimiter {
  const limiters = new Map<number, RateLimiterAbstract>();

  const limiterFor = (points: number): RateLimiterAbstract => {
    let limiter = limiters.get(points);
    if (!limiter) {
      const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix });
      limiter = redis
        ? new RateLimiterRedis({ storeClient: redis, points, duration: windowSeconds, keyPrefix, insuranceLimiter: memory, rejectIfRedisNotReady: true })
        : memory;
      limiters.set(points, limiter);
    }
    return limiter;
  };

  return {
    async consume(key, limitPerMinute) {
      const limit = Math.max(1, Math.floor(limitPerMinute));
      try {
        return decision(true, limit, await limiterFor(limit).consume(key));
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return decision(false, limit, rejection);
        throw rejection;
      }
    },
  };
}

function decision(allowed: boolean, limit: number, result: RateLimiterRes): RateLimitDecision {
  return {
    allowed,
    limit,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
  };
}

/** The count a signed-in caller's requests go to: per user, whichever key they use. */
export const userCountKey = (principal: Pick<Principal, 'userId'>): string => `user:${principal.userId}`;

/**
 * RATE_LIMITED for a refused decision: the same words wherever a request or operation is
 * counted, with the decision's headers (Retry-After) for answers that have not set them.
 */
export function overLimit(decision: RateLimitDecision): ApiError {
  return new ApiError('RATE_LIMITED', `more than ${decision.limit} requests per minute; retry in ${decision.resetSeconds} s`, {
    headers: rateLimitHeaders(decision),
  });
}

/**
 * Response headers for a decision, in the three forms clients read: the IETF
 * draft's structured `RateLimit-Policy` / `RateLimit`, GitHub-style `X-RateLimit-*`
 * (Reset in seconds from now, like the draft's `t`), and `Retry-After` on refusal.
 */
export function rateLimitHeaders(result: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Policy': `"default";q=${result.limit};w=${windowSeconds}`,
    RateLimit: `"default";r=${result.remaining};t=${result.resetSeconds}`,
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
    'X-RateLimit-Reset': String(result.resetSeconds),
  };
  // Added, not spread in: every admitted request builds these.
  if (!result.allowed) headers['Retry-After'] = String(result.resetSeconds);
  return headers;
}
