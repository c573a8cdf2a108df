import type { ChangeFeed } from '../changes/feed.js';

/** Counts below this are cheap (an index range of a few pages) and always counted afresh. */
const threshold = 10_000;

/**
 * Exact `totalCount`s of large lists, kept until anything changes. A `COUNT(*)` over a
 * million visible rows costs about ten pages of the same list, and every /v3 page asks
 * for `pagination.total`; so a count at or above `threshold` is kept (per list and
 * caller scope: the key is the whole SQL `where`) until the change feed announces a
 * write of any type on any instance — visibility depends on other types (bindings),
 * so one rule for all is the only safe one. Small counts are never cached: a client
 * that creates a cluster and lists at once sees its own write, whichever instance it
 * reached. Concurrent askers of one missing count share one query.
 */
export class CountCache {
  private readonly counts = new Map<string, { value: number; at: number }>();
  private readonly pending = new Map<string, Promise<number>>();
  /** Bumped by every change: a count that was running across a change is not kept. */
  private generation = 0;

  /** `lifetimeMs`: the backstop; a kept count is recounted after this long even if no change was heard. */
  constructor(private readonly lifetimeMs: number) {}

  count(list: string, where: unknown, countRows: () => Promise<number>): Promise<number> {
    const key = `${list}\u0000${JSON.stringify(where)}`;
    const cached = this.counts.get(key);
    if (cached && Date.now() - cached.at < this.lifetimeMs) return Promise.resolve(cached.value);
    let running = this.pending.get(key);
    if (!running) {
      const generation = this.generation;
      const counting = countRows();
      running = counting;
      this.pending.set(key, counting);
      counting.then(
        (value) => {
          if (value >= threshold && generation === this.generation) this.counts.set(key, { value, at: Date.now() });
        },
        () => undefined,
      );
      counting
        .finally(() => {
          if (this.pending.get(key) === counting) this.pending.delete(key);
        })
        .catch(() => undefined);
    }
    return running;
  }

  forgetAll(): void {
    this.generation += 1;
    this.counts.clear();
    this.pending.clear();
  }

  /** Forgets every count when the feed announces a write, or a gap in what it heard. */
  followChanges(feed: ChangeFeed): () => void {
    const stopChanges = feed.subscribe(() => this.forgetAll());
    const stopGaps = feed.onGap(() => this.forgetAll());
    return () => {
      stopChanges();
      stopGaps();
    };
  }
}
