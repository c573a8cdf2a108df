import type { Socket } from 'node:net';
import type { Change } from './change.js';
import type { ChangeFeed } from './feed.js';

/**
 * What a change stream needs of the feed: its batches, its gaps, and the changes after a
 * revision. The feed itself provides it, and so does {@link ChangeFanOut}, which streams
 * of a registry share.
 */
export type ChangeSource = Pick<ChangeFeed, 'onGap' | 'since'> & {
  /** Calls `listener` with each batch; `socket` (the subscriber's connection) has its writes batched per delivery. */
  subscribe(listener: (changes: readonly Change[]) => void, socket?: Socket): () => void;
};

/**
 * How many streams are handed a batch per turn of the event loop. Each stream's consumer
 * renders and writes what it was handed before the loop turns (for an admin nothing waits on
 * I/O), so this bounds the work between two chances for requests — the writes among them — to
 * be read and answered: a thousand subscribers must not hold a write's answer back for the
 * whole fan-out. (At 50 the bench's writes still waited visibly; see BENCHMARKS.md.)
 */
const streamsPerTurn = 16;

/**
 * The feed as the streams of one instance receive it: one subscription to the feed for all
 * of them, each batch handed to a bounded number of streams per turn of the event loop
 * (`setImmediate` between), in order (a batch reaches every stream before the next one
 * starts; batches that arrive meanwhile are handed on together). While a stream is handed
 * its batch its socket is corked and uncorked at the next turn: everything its consumer
 * writes for the batch leaves in one write, not one per event.
 *
 * Other consumers of the feed (revocation, cache invalidation) keep hearing it at once.
 */
export class ChangeFanOut implements ChangeSource {
  /** Insertion-ordered; a Map iterator held across turns still sees listeners added meanwhile and skips removed ones. */
  private readonly listeners = new Map<(changes: readonly Change[]) => void, Socket | undefined>();
  private pending: Change[] = [];
  private draining = false;
  private readonly stopFeed: () => void;

  constructor(private readonly feed: ChangeFeed) {
    this.stopFeed = feed.subscribe((changes) => {
      this.pending.push(...changes);
      if (!this.draining) this.drain();
    });
  }

  subscribe(listener: (changes: readonly Change[]) => void, socket?: Socket): () => void {
    this.listeners.set(listener, socket);
    return () => this.listeners.delete(listener);
  }

  onGap(listener: () => void): () => void {
    return this.feed.onGap(listener);
  }

  since(revision: bigint): Promise<readonly Change[] | 'expired'> {
    return this.feed.since(revision);
  }

  close(): void {
    this.stopFeed();
    this.listeners.clear();
    this.pending = [];
  }

  /** Hands the pending changes to every listener, `streamsPerTurn` at a time, then whatever arrived meanwhile. */
  private drain(): void {
    this.draining = true;
    const batch = this.pending;
    this.pending = [];
    const listeners = this.listeners.entries();
    const corked = new Set<Socket>();
    const uncork = () => {
      for (const socket of corked) socket.uncork();
      corked.clear();
    };
    const turn = () => {
      uncork();
      for (let handed = 0; handed < streamsPerTurn; handed += 1) {
        const next = listeners.next();
        if (next.done) {
          // The last streams' consumers write during this turn: uncork at the next one.
          setImmediate(() => {
            uncork();
            if (this.pending.length > 0) this.drain();
            else this.draining = false;
          });
          return;
        }
        const [listener, socket] = next.value;
        if (socket && !socket.destroyed && !corked.has(socket)) {
          socket.cork();
          corked.add(socket);
        }
        try {
          listener(batch);
        } catch (error) {
          // One stream's failure must not stall the others: they are still owed this batch.
          process.emitWarning(error instanceof Error ? error : String(error), 'ChangeFanOutWarning');
        }
      }
      setImmediate(turn);
    };
    turn();
  }
}
