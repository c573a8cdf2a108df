import { randomUUID } from 'node:crypto';
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

/**
 * The key prefix of this suite (each test file loads its own copy of this module):
 * suites running at the same time on the shared Redis never count into each other's
 * limits. Instances of one suite share it, as instances of one deployment would.
 */
export const suiteKeyPrefix = `test-${randomUUID()}:`;

/**
 * For suites that prove a shared count exact under a burst of hundreds of commands: on a
 * loaded CI machine a reply can take longer than the production 500 ms, and a command
 * timed out is counted in memory (the outage fallback, tested in redis-outage.test.ts),
 * which would let the burst past the limit and fail the suite for the machine's load.
 */
export const patientCommandTimeoutMs = 10_000;

/** Every key under `prefix`, read with a connection that adds no prefix of its own. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const raw = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  } finally {
    raw.disconnect();
  }
}
