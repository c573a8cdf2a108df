import type { ServerResponse } from 'node:http';
import type { Database } from '../db/database.js';
import { sendJson, sendText } from './respond.js';

/** `GET /ping`: the process is up. Nothing else is consulted. */
export function ping(response: ServerResponse): void {
  sendText(response, 200, 'pong');
}

/**
 * `GET /healthz`: this instance can serve requests, i.e. its database answers
 * within two seconds. 503 otherwise, so a load balancer takes the instance out.
 * The body also carries `reports` (the router's: whether limits are shared through
 * Redis right now, the audit queue, the live-change streams), reported and never failing.
 */
export async function healthz(response: ServerResponse, database: Database, reports: () => Record<string, object>): Promise<void> {
  const started = performance.now();
  try {
    await withTimeout(database.ping(), 2_000);
    sendJson(response, 200, { status: 'ok', database: { status: 'ok', ms: Math.round(performance.now() - started) }, ...reports() });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreachable';
    sendJson(response, 503, { status: 'unavailable', database: { status: 'unreachable', reason }, ...reports() });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
