import type { Database } from '../db/database.js';
import { newestRevision } from '../db/start-reads.js';
import type { Logger } from '../logger.js';
import type { NotificationChannel } from '../notify/channel.js';
import { changeChannel, changeFromRow, parseChangePayload, type Change } from './change.js';

/** How far back a client may resume; older changes are deleted and the client must re-list. */
const changeRetentionMs = 15 * 60_000;
const pruneEveryMs = 60_000;
/** A resume never replays more than this; beyond it, re-listing is cheaper. */
const maxReplay = 10_000;

/**
 * The change feed: every committed write of every instance, in revision order of
 * arrival, from the capture trigger through the notification channel. Consumers
 * (cache invalidation, GraphQL subscriptions, /v3/subscribe, /v1 watch) subscribe
 * here and never talk to the channel themselves.
 */
export interface ChangeFeed {
  /** Calls `listener` with each batch of changes, as they commit, from now on. */
  subscribe(listener: (changes: readonly Change[]) => void): () => void;
  /**
   * Calls `listener` when changes may have been missed and could not be recovered
   * (the window no longer reached back): caches must forget everything.
   */
  onGap(listener: () => void): () => void;
  /** The changes after `revision` (oldest first), or `expired` when the window no longer reaches back that far, or the revision is one it never gave. */
  since(revision: bigint): Promise<readonly Change[] | 'expired'>;
  /** The newest revision so far (0 before any change): where a fresh subscriber starts. */
  head(): Promise<bigint>;
  close(): Promise<void>;
}

export async function openChangeFeed(database: Database, channel: NotificationChannel, logger: Logger): Promise<ChangeFeed> {
  const { prisma } = database;
  const listeners = new Set<(changes: readonly Change[]) => void>();
  const gapListeners = new Set<() => void>();
  let newest = await newestRevision(database.read);
  let closed = false;

  const deliver = (changes: readonly Change[]) => {
    if (changes.length === 0) return;
    for (const change of changes) if (change.revision > newest) newest = change.revision;
    for (const listener of listeners) {
      try {
        listener(changes);
      } catch (error) {
        logger.error({ err: error }, 'change listener failed');
      }
    }
  };

  const stopListening = await channel.listen(changeChannel(database.schema), (payloads) => {
    const parsed = payloads.map(parseChangePayload);
    const complete = parsed.filter((item): item is Change => typeof item === 'object');
    const bare = parsed.filter((item): item is bigint => typeof item === 'bigint');
    if (bare.length === 0) return deliver(complete);
    // Ids too long for NOTIFY: read those rows (and keep the batch in order).
    void prisma.change
      .findMany({ where: { revision: { in: bare } } })
      .then((rows) => deliver([...complete, ...rows.map(changeFromRow)].sort((a, b) => (a.revision < b.revision ? -1 : 1))))
      .catch((error: unknown) => logger.error({ err: error }, 'could not read changes'));
  });

  // After a lost connection, catch up from the table; if that too is gone, say so.
  const stopGap = channel.onGap(() => {
    void since(newest)
      .then((missed) => {
        if (missed === 'expired') for (const listener of gapListeners) listener();
        else deliver(missed);
      })
      .catch(() => {
        for (const listener of gapListeners) listener();
      });
  });

  const pruner = setInterval(() => {
    void prune().catch((error: unknown) => {
      if (!closed) logger.warn({ err: error }, 'could not prune the change feed');
    });
  }, pruneEveryMs);
  pruner.unref();

  /** Deletes changes older than the window, but never the newest: it tells how far the window reaches. */
  async function prune(): Promise<void> {
    const head = await newestRevision(database.read);
    await prisma.change.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - changeRetentionMs) }, revision: { lt: head } } });
  }

  async function since(revision: bigint): Promise<readonly Change[] | 'expired'> {
    const rows = await prisma.change.findMany({ where: { revision: { gt: revision } }, orderBy: { revision: 'asc' }, take: maxReplay + 1 });
    if (rows.length > maxReplay) return 'expired';
    // A revision this feed never gave (one from a database since reset): no change would ever
    // come after it in the client's order, so it must list again, as beyond the window.
    if (rows.length === 0 && revision > (await newestRevision(database.read))) return 'expired';
    // The window must reach back to just after `revision` (pruning always keeps the newest row).
    const oldest = await prisma.change.findFirst({ orderBy: { revision: 'asc' }, select: { revision: true } });
    if (oldest && oldest.revision > revision + 1n) return 'expired';
    return rows.map(changeFromRow);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    },
    since,
    head: async () => {
      const stored = await newestRevision(database.read);
      // biome-ignore lint/complexity/useMathMinMax: revisions are bigints, which Math.max refuses.
      return stored > newest ? stored : newest;
    },
    async close() {
      closed = true;
      clearInterval(pruner);
      stopGap();
      stopListening();
      listeners.clear();
    },
  };
}
