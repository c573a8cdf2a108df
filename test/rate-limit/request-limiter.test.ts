import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis, whenRedisReady } from '../../src/rate-limit/redis.js';
import { createRequestLimiter, rateLimitHeaders, type RequestLimiter } from '../../src/rate-limit/request-limiter.js';
import { keysUnder, patientCommandTimeoutMs, redisReachable, redisUrl, suiteKeyPrefix } from '../helpers/redis.js';

const uniqueKey = (name: string) => `test:${name}:${Date.now()}:${Math.random()}`;
const allowedCount = async (limiters: RequestLimiter[], key: string, attempts: number, limit: number) => {
  const decisions = await Promise.all(Array.from({ length: attempts }, (_, index) => limiters[index % limiters.length]!.consume(key, limit)));
  return decisions.filter((decision) => decision.allowed).length;
};

describe('request limiter in memory', () => {
  const limiter = createRequestLimiter();

  it('allows exactly the limit of a concurrent burst', async () => {
    expect(await allowedCount([limiter], uniqueKey('memory'), 300, 100)).toBe(100);
  });

  it('counts callers separately and reports what is left', async () => {
    const first = await limiter.consume(uniqueKey('a'), 5);
    expect(first).toMatchObject({ allowed: true, limit: 5, remaining: 4 });
    expect(first.resetSeconds).toBeGreaterThanOrEqual(1);
    expect(first.resetSeconds).toBeLessThanOrEqual(60);
  });

  it('follows a changed limit within the same window', async () => {
    const key = uniqueKey('changed');
    expect(await allowedCount([limiter], key, 5, 5)).toBe(5);
    expect((await limiter.consume(key, 5)).allowed).toBe(false);
    expect((await limiter.consume(key, 10)).allowed).toBe(true);
  });
});

// connectRedis loads ioredis when first asked, so the connections are made before the suites are declared.
const otherPrefix = `${suiteKeyPrefix}other-deployment:`;
const sharedConnections = redisReachable
  ? await Promise.all([
      connectRedis(redisUrl, { keyPrefix: suiteKeyPrefix, commandTimeoutMs: patientCommandTimeoutMs }),
      connectRedis(redisUrl, { keyPrefix: suiteKeyPrefix, commandTimeoutMs: patientCommandTimeoutMs }),
      connectRedis(redisUrl, { keyPrefix: otherPrefix, commandTimeoutMs: patientCommandTimeoutMs }),
    ])
  : [];
const unreachable = await connectRedis('redis://127.0.0.1:1', { keyPrefix: suiteKeyPrefix });

describe.skipIf(!redisReachable)('request limiter shared through Redis', () => {
  const connections = sharedConnections;
  beforeAll(() => Promise.all(connections.map((redis) => whenRedisReady(redis))));
  const [first, second, other] = connections.map((redis) => createRequestLimiter(redis));
  afterAll(() => Promise.all(connections.map(closeRedis)));

  it('two instances together allow exactly the limit of a concurrent burst', async () => {
    expect(await allowedCount([first!, second!], uniqueKey('redis'), 300, 100)).toBe(100);
  });

  it('writes its keys under the prefix only, so another deployment on the same Redis counts apart', async () => {
    const key = uniqueKey('prefixed');
    expect(await allowedCount([first!], key, 5, 5)).toBe(5);
    expect(await allowedCount([other!], key, 5, 5)).toBe(5);
    expect((await keysUnder(suiteKeyPrefix)).filter((name) => name.includes(key)).sort()).toEqual([
      `${suiteKeyPrefix}api-rate:${key}`,
      `${otherPrefix}api-rate:${key}`,
    ]);
    expect(await keysUnder(`api-rate:${key}`)).toEqual([]);
  });
});

describe('request limiter when Redis does not answer', () => {
  const limiter = createRequestLimiter(unreachable);
  afterAll(() => closeRedis(unreachable));

  it('keeps limiting in memory instead of failing requests', async () => {
    const key = uniqueKey('fallback');
    expect(await allowedCount([limiter], key, 4, 3)).toBe(3);
  });
});

describe('rate-limit headers', () => {
  it('speak the IETF draft, the X- convention and Retry-After when refused', () => {
    expect(rateLimitHeaders({ allowed: true, limit: 100, remaining: 42, resetSeconds: 18 })).toEqual({
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=42;t=18',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': '18',
    });
    expect(rateLimitHeaders({ allowed: false, limit: 100, remaining: 0, resetSeconds: 7 })['Retry-After']).toBe('7');
  });
});
