import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { embeddedConnection } from './embedded.js';

/**
 * The process's one notification channel: PostgreSQL LISTEN/NOTIFY. On PostgreSQL it
 * reaches every instance sharing the database (one dedicated connection per
 * process); on the embedded PGlite it works in process. Writers NOTIFY inside their
 * transaction (the change-capture trigger does, src/changes/capture.ts), so a
 * notification exists exactly when its write commits.
 *
 * Payloads are short strings (ids, never field values: NOTIFY caps them below
 * 8000 bytes). Listeners receive them in batches: everything that arrived in one
 * turn of the event loop (one transaction's rows arrive together) in one call.
 */
export interface NotificationChannel {
  /** Calls `onBatch` with every payload NOTIFYed on `channel` from now on; returns the way to stop. */
  listen(channel: string, onBatch: (payloads: readonly string[]) => void): Promise<() => void>;
  /**
   * Calls `onGap` whenever notifications may have been lost: the dedicated connection
   * dropped and was re-established. Whoever caches must forget, whoever streams must
   * catch up from the database.
   */
  onGap(listener: () => void): () => void;
  /** NOTIFY outside a trigger (delivered at once; inside a transaction, on its commit). */
  publish(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

/** The low-level half each database kind provides: raw payloads in, no batching. */
export interface ListenConnection {
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  unlisten(channel: string): Promise<void>;
  onGap(listener: () => void): void;
  close(): Promise<void>;
}

export async function openNotificationChannel(database: Database, logger: Logger): Promise<NotificationChannel> {
  const connection =
    database.listener.kind === 'embedded'
      ? embeddedConnection(database.listener.pglite)
      : // node-postgres is loaded only where there is a PostgreSQL to talk to.
        await (await import('./postgres.js')).postgresConnection(database.listener.config, logger);
  const listeners = new Map<string, Set<(payloads: readonly string[]) => void>>();
  const pending = new Map<string, string[]>();
  const gapListeners = new Set<() => void>();
  connection.onGap(() => {
    for (const listener of gapListeners) listener();
  });

  const flush = (channel: string) => {
    const payloads = pending.get(channel) ?? [];
    pending.delete(channel);
    for (const listener of listeners.get(channel) ?? []) {
      try {
        listener(payloads);
      } catch (error) {
        logger.error({ err: error, channel }, 'notification listener failed');
      }
    }
  };

  return {
    async listen(channel, onBatch) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await connection.listen(channel, (payload) => {
          const queue = pending.get(channel);
          if (queue) queue.push(payload);
          else {
            pending.set(channel, [payload]);
            setImmediate(flush, channel);
          }
        });
      }
      set.add(onBatch);
      return () => {
        set.delete(onBatch);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          void connection.unlisten(channel).catch(() => undefined);
        }
      };
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    },
    async publish(channel, payload) {
      await database.prisma.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
    },
    close: () => connection.close(),
  };
}
