import type { Redis } from 'ioredis';
import type { RedisConnectionOptions } from './redis-connection.js';

/**
 * The one Redis connection an instance keeps for the limits it shares with the others
 * (REDIS_URL), or none in the embedded single-instance mode. ioredis is loaded only when
 * there is a Redis to connect to (./redis-connection.ts says how it connects).
 */
export async function connectRedis(url: string | undefined, options: RedisConnectionOptions): Promise<Redis | undefined> {
  if (!url) return undefined;
  const { openRedisConnection } = await import('./redis-connection.js');
  return openRedisConnection(url, options);
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` at the latest: an
 * instance that starts counting before its first connection would count in memory
 * (the fallback) and let a start-up burst past the shared limit.
 */
export function whenRedisReady(redis: Redis | undefined, timeoutMs = 2_000): Promise<void> {
  if (!redis || redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

/** Whether limits are being shared through Redis right now: for /healthz, which reports it without failing. */
export function redisStatus(redis: Redis | undefined): 'ok' | 'unreachable' | 'not configured' {
  if (!redis) return 'not configured';
  return redis.status === 'ready' ? 'ok' : 'unreachable';
}

export async function closeRedis(redis: Redis | undefined): Promise<void> {
  if (!redis) return;
  if (redis.status !== 'ready') return redis.disconnect();
  await redis.quit().catch(() => redis.disconnect());
}
