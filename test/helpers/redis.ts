import { Redis } from 'ioredis';

/**
 * The Redis the scale-out suites share limits through (TEST_REDIS_URL, default the
 * local one). Off CI an unreachable Redis skips those suites with a warning; on CI it fails the run.
 */
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const redisReachable = await (async () => {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  const reachable = await probe.connect().then(
    () => true,
    () => false,
  );
  probe.disconnect();
  if (!reachable) {
    const message = `Redis at ${redisUrl} is not reachable`;
    if (process.env.CI) throw new Error(`${message}; CI must test the limits shared between instances`);
    console.warn(`WARNING: ${message}; skipping the suites of limits shared through Redis`);
  }
  return reachable;
})();
