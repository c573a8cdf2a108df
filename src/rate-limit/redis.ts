import { Redis } from 'ioredis';

/**
 * The one Redis connection an instance keeps for the limits it shares with the others
 * (REDIS_URL), or none in the embedded single-instance mode. Commands wait for the
 * connection at start-up; once Redis is lost, each fails after one retry and the
 * limiters' in-memory fallbacks answer instead of failing requests.
 */
export function connectRedis(url: string | undefined): Redis | undefined {
  if (!url) return undefined;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  // Failures surface on the commands; the event would otherwise crash the process.
  redis.on('error', () => undefined);
  return redis;
}

export async function closeRedis(redis: Redis | undefined): Promise<void> {
  await redis?.quit().catch(() => redis.disconnect());
}
