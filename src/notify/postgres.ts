import pg from 'pg';
import type { Logger } from '../logger.js';
import type { ListenConnection } from './channel.js';

const firstRetryMs = 100;
const maxRetryMs = 5_000;

/**
 * One dedicated PostgreSQL connection holding LISTEN (a pooled connection cannot:
 * the pool hands it to others). When it drops, it reconnects with backoff, LISTENs
 * again, and reports a gap, since whatever was NOTIFYed meanwhile is gone.
 */
export async function postgresConnection(config: pg.ClientConfig, logger: Logger): Promise<ListenConnection> {
  const handlers = new Map<string, (payload: string) => void>();
  const gapListeners: Array<() => void> = [];
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = firstRetryMs;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<pg.Client> => {
    // keepAlive finds a dead peer even while nothing is NOTIFYed.
    const fresh = new pg.Client({ ...config, keepAlive: true });
    fresh.on('notification', (message) => handlers.get(message.channel)?.(message.payload ?? ''));
    fresh.on('error', (error) => {
      logger.warn({ err: error }, 'notification connection failed; reconnecting');
      drop(fresh);
    });
    fresh.on('end', () => drop(fresh));
    await fresh.connect();
    for (const channel of handlers.keys()) await fresh.query(`LISTEN ${identifier(channel)}`);
    return fresh;
  };

  const drop = (lost: pg.Client) => {
    if (client !== lost) return;
    client = undefined;
    void lost.end().catch(() => undefined);
    scheduleReconnect();
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(async () => {
      retryTimer = undefined;
      try {
        client = await connect();
        retryMs = firstRetryMs;
        logger.info('notification connection re-established');
        for (const listener of gapListeners) listener();
      } catch (error) {
        logger.debug({ err: error }, 'notification connection: retry failed');
        retryMs = Math.min(retryMs * 2, maxRetryMs);
        scheduleReconnect();
      }
    }, retryMs);
    retryTimer.unref();
  };

  client = await connect();
  return {
    async listen(channel, onPayload) {
      handlers.set(channel, onPayload);
      await client?.query(`LISTEN ${identifier(channel)}`);
    },
    async unlisten(channel) {
      handlers.delete(channel);
      await client?.query(`UNLISTEN ${identifier(channel)}`);
    },
    onGap(listener) {
      gapListeners.push(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
