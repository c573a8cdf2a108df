import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** How long one command may take before the limiters stop waiting and count in memory. */
const defaultCommandTimeoutMs = 500;

export interface RedisConnectionOptions {
  keyPrefix: string;
  logger?: Logger;
  /**
   * How long a command may take before the limiters fall back to memory; 500 ms unless
   * given. Suites that prove the shared count exact under a burst give more, so that a
   * loaded machine's slow reply is not taken for an outage (which is a test of its own).
   */
  commandTimeoutMs?: number;
}

/**
 * The connection to REDIS_URL through which instances share their limits.
 *
 * A request must never wait on a dead Redis (it used to take ~10 s per request while
 * Redis was down): no offline queue, so a command while disconnected fails at once;
 * a short command timeout; no retries per command. The limiters then count in this
 * instance's memory (rate-limiter-flexible's insurance limiter, the field-limit
 * store's own fallback) and return to Redis by themselves once it reconnects, which
 * ioredis keeps trying in the background. The loss and the return are logged once each.
 */
export function openRedisConnection(url: string, options: RedisConnectionOptions): Redis {
  const { keyPrefix, logger, commandTimeoutMs = defaultCommandTimeoutMs } = options;
  const redis = new Redis(url, {
    // ioredis puts it before every key of every command (the KEYS of scripts
    // included), so no limiter can write a key without it (REDIS_KEY_PREFIX).
    keyPrefix,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    // Keep trying, at most once a second, for as long as the process runs.
    retryStrategy: (attempt) => Math.min(attempt * 200, 1_000),
  });
  let lost = false;
  redis.on('ready', () => {
    if (lost) logger?.info('Redis is back: limits are shared between instances again');
    lost = false;
  });
  // Failures surface on the commands; the event would otherwise crash the process.
  redis.on('error', () => undefined);
  redis.on('close', () => {
    if (lost || redis.status === 'end') return;
    lost = true;
    logger?.warn('Redis is unreachable: each instance counts limits in its own memory until it returns');
  });
  return redis;
}
