import type { Socket } from 'node:net';
import type { Principal } from '../auth/principal.js';
import type { Change } from './change.js';
import type { ChangeSource, Cohort } from './fan-out.js';

/** Why a stream ended, as protocols tell their clients. */
export type StreamEnd =
  | { reason: 'revoked'; message: 'the credential of this stream is no longer valid' }
  | { reason: 'slow'; message: string }
  | { reason: 'expired'; message: 'the revision to resume from is older than the change window; list again' }
  | { reason: 'shutdown'; message: 'the server is shutting down' }
  | { reason: 'closed'; message: 'closed' };

export const endings = {
  revoked: { reason: 'revoked', message: 'the credential of this stream is no longer valid' },
  expired: { reason: 'expired', message: 'the revision to resume from is older than the change window; list again' },
  shutdown: { reason: 'shutdown', message: 'the server is shutting down' },
  closed: { reason: 'closed', message: 'closed' },
} as const satisfies Record<string, StreamEnd>;

/**
 * The two ways a stream meets its bound (`maxBuffered`). Kept short: a WebSocket close
 * reason holds 123 bytes.
 */
const slowEndings = {
  /** The consumer fell that far behind as changes came. */
  behind: (bound: number): StreamEnd => ({ reason: 'slow', message: `the client fell more than ${bound} changes behind` }),
  /**
   * One commit brought more than that (a bulk write): the stream ends before any of it is
   * sent, so the last revision the client saw is where to resume (the feed replays what was
   * missed within its window, and tells the client to list again beyond it).
   */
  tooManyAtOnce: (count: number, bound: number): StreamEnd => ({
    reason: 'slow',
    message: `${count} changes came at once, more than the ${bound} a stream holds; resume from the last revision seen`,
  }),
};

const maxRemembered = 10_000;

export interface ChangeStreamOptions {
  /** Replay what happened after this revision first (a client resuming). */
  since?: bigint;
  /** Which changes this subscriber asked for (types, one object…); cheap and synchronous. */
  wants: (change: Change) => boolean;
  /** The most changes waiting for a slow consumer; one more and the stream ends (`slow`). */
  maxBuffered: number;
  /** Asks whether the subscriber's credential still works (and with which rights). */
  recheck: (principal: Principal) => Promise<Principal | undefined>;
  /** The subscriber's connection: its writes are batched per delivered batch. */
  socket?: Socket;
}

/**
 * One subscriber's view of the change feed: the changes it asked for, in order,
 * resumable, bounded, and ended as soon as its credential stops working. Protocols
 * (GraphQL, /v3/subscribe, /v1 watch) pull from it and decide, per change, what the
 * subscriber may see (reading the object with the subscriber's own rights).
 */
export class ChangeStream implements AsyncIterableIterator<Change> {
  private readonly queue: Change[] = [];
  /**
   * How many of the queue's first changes a replay put there. They do not count against
   * the bound, which is on what a consumer falls behind by as changes come: a client that
   * resumes after missing more than the bound (a bulk write) is owed them all, within the
   * feed's replay window, and a live change arriving meanwhile must not cut it.
   */
  private replayed = 0;
  private waiting: ((result: IteratorResult<Change>) => void) | undefined;
  private ended: StreamEnd | undefined;
  private readonly stopFeed: () => void;
  private readonly stopGap: () => void;
  private replaying: Promise<void> | undefined;
  private newestReplayed = -1n;
  private readonly endListeners: Array<(end: StreamEnd) => void> = [];
  /** Ids this subscriber was shown (bounded, oldest forgotten first): it may hear of their removal. */
  private readonly shownIds = new Set<string>();
  /**
   * Delivers a change at once, bypassing the consumer's asynchronous chain, when it can
   * (see {@link deliverDirectly}); false when the chain must take it.
   */
  private direct: ((change: Change) => boolean) | undefined;
  /** The same for a whole batch at once (see {@link deliverBatchDirectly}). */
  private directBatch: ((changes: readonly Change[]) => boolean) | undefined;
  /** What the feed calls with each batch (one function for the stream's life: a cohort names the stream by it). */
  private readonly listener = (changes: readonly Change[]) => this.receive(changes);

  constructor(
    private readonly feed: ChangeSource,
    /** Who is watching; replaced when their rights change (an admin demoted keeps streaming, narrower). */
    public principal: Principal,
    private readonly options: ChangeStreamOptions,
  ) {
    this.stopFeed = feed.subscribe(this.listener, options.socket);
    this.stopGap = feed.onGap(() => this.end(endings.expired));
    if (options.since !== undefined) this.replaying = this.replay(feed, options.since);
  }

  /** Calls `listener` once, when the stream ends, with the reason. */
  onEnd(listener: (end: StreamEnd) => void): void {
    if (this.ended) listener(this.ended);
    else this.endListeners.push(listener);
  }

  /**
   * Lets `deliver` hand a change to the subscriber synchronously, as the feed delivers it.
   * It is asked only while the consumer waits for its next change with nothing queued —
   * everything before was taken — so order holds; when it answers false (not ready, the
   * client's buffer not empty) the change takes the consumer's path as usual.
   */
  deliverDirectly(deliver: (change: Change) => boolean): void {
    this.direct = deliver;
  }

  /**
   * Lets `deliver` take a whole batch synchronously, when the consumer waits with nothing
   * queued and no replay is in the way: it answers true when it delivered every change of
   * the batch the subscriber wants (filtering with `wants` is then its business), false to
   * leave the batch to the change-by-change way. What it makes of a batch can be shared by
   * every subscriber alike (src/changes/shared.ts, `oncePerBatch`): the fan-out hands them
   * the same batch.
   */
  deliverBatchDirectly(deliver: (changes: readonly Change[]) => boolean): void {
    this.directBatch = deliver;
  }

  /**
   * Puts this stream among those that a batch reaches alike (the feed's cohorts,
   * src/changes/fan-out.ts): `cohort` may then deliver a batch to it with the others of
   * `key` in one pass, asking {@link takesBatchDirectly} first. Until the stream ends.
   * (Revisions follow commit order, so once a batch is beyond what a replay read, every
   * later one is too: a settled member needs no second look at its replay.)
   */
  joinCohort<Member>(key: string, cohort: Cohort<Member>, member: Member): void {
    if (!this.ended) this.feed.join?.(this.listener, key, cohort, member);
  }

  /**
   * Whether the whole of `batch` may go to the subscriber at once now, as
   * {@link deliverBatchDirectly} would take it: the consumer waits with nothing queued, no
   * replay is in the way, and no change of it touches a credential (those are looked at
   * stream by stream).
   */
  takesBatchDirectly(batch: readonly Change[]): boolean {
    return this.idleFor(batch) && !touchesCredentials(batch);
  }

  /**
   * Whether `batch` is no more than the stream may hold for its consumer. A larger one is
   * never written at once, even to a client that was keeping up: it would be buffered for
   * the client whole, past the bound that cuts a consumer who falls behind. It goes the
   * queued way instead, and meets that bound there.
   */
  holdsAtOnce(batch: readonly Change[]): boolean {
    return batch.length <= this.options.maxBuffered;
  }

  /** Whether the consumer waits with nothing queued, a direct way for batches is set, no replay is in the way of `batch`, and the stream may hold it. */
  private idleFor(batch: readonly Change[]): boolean {
    return this.waiting !== undefined && !this.ended && this.directBatch !== undefined && this.beyondReplay(batch) && this.holdsAtOnce(batch);
  }

  /** Records that the subscriber was shown `id`. */
  remember(id: string): void {
    this.shownIds.delete(id);
    this.shownIds.add(id);
    if (this.shownIds.size > maxRemembered) this.shownIds.delete(this.shownIds.values().next().value!);
  }

  wasShown(id: string): boolean {
    return this.shownIds.has(id);
  }

  /** Changes waiting for the consumer: at most `maxBuffered`, besides what a replay put there. */
  get buffered(): number {
    return this.queue.length;
  }

  get endedBy(): StreamEnd | undefined {
    return this.ended;
  }

  /** Ends the stream; whatever is queued is dropped and the consumer's next pull finishes. */
  end(end: StreamEnd): void {
    if (this.ended) return;
    this.ended = end;
    this.queue.length = 0;
    this.replayed = 0;
    this.stopFeed();
    this.stopGap();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    for (const listener of this.endListeners.splice(0)) listener(end);
  }

  async next(): Promise<IteratorResult<Change>> {
    await this.replaying;
    const change = this.queue.shift();
    if (change) {
      if (this.replayed > 0) this.replayed -= 1;
      return { value: change, done: false };
    }
    if (this.ended) return { value: undefined, done: true };
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<Change>> {
    this.end(endings.closed);
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private receive(changes: readonly Change[]): void {
    const credentialChanges = credentialChangesIn(changes);
    if (credentialChanges.length > 0 && credentialChanges.some((change) => credentialTouches[change.type]!(change, this.principal))) void this.recheck();
    if (this.idleFor(changes) && this.directBatch!(changes)) return;
    // A batch larger than the stream may hold goes the queued way, never out at once. When
    // more of it is for this stream than the bound, the stream would be cut on the way, a
    // reading client's too: it ends before any of it is sent, saying so.
    const holds = this.holdsAtOnce(changes);
    const taken = holds ? undefined : changes.reduce((count, change) => (this.takes(change) ? count + 1 : count), 0);
    if (taken !== undefined && taken > this.options.maxBuffered) {
      this.end(slowEndings.tooManyAtOnce(taken, this.options.maxBuffered));
      return;
    }
    for (const change of changes) if (this.takes(change)) this.push(change, holds);
  }

  /** Whether the subscriber asked for `change` and has not had it (during a replay the same change can arrive both ways). */
  private takes(change: Change): boolean {
    return change.revision > this.newestReplayed && this.options.wants(change);
  }

  /** Whether none of `changes` came already by the replay (after a replay the same change can arrive both ways). */
  private beyondReplay(changes: readonly Change[]): boolean {
    return this.newestReplayed < 0n || changes.every((change) => change.revision > this.newestReplayed);
  }

  /** Gives `change` to the waiting consumer, or to the subscriber directly if `direct` allows and it can take it now, or queues it. */
  private push(change: Change, direct = true): void {
    if (this.ended) return;
    if (this.waiting && direct && this.direct?.(change)) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: change, done: false });
      return;
    }
    if (this.queue.length - this.replayed >= this.options.maxBuffered) {
      this.end(slowEndings.behind(this.options.maxBuffered));
      return;
    }
    this.queue.push(change);
  }

  private async replay(feed: ChangeSource, since: bigint): Promise<void> {
    const missed = await feed.since(since);
    if (missed === 'expired') return this.end(endings.expired);
    const live = this.queue.splice(0);
    for (const change of missed) if (this.options.wants(change)) this.queue.push(change);
    this.replayed = this.queue.length;
    this.newestReplayed = missed.at(-1)?.revision ?? since;
    for (const change of live) if (change.revision > this.newestReplayed) this.push(change);
    this.replaying = undefined;
  }

  private async recheck(): Promise<void> {
    const current = await this.options.recheck(this.principal).catch(() => undefined);
    // Rights that shrank (an admin demoted) end the stream too: what the client was
    // promised no longer holds, and a fresh subscription starts with the new rights.
    if (!current || current.isAdmin !== this.principal.isAdmin) this.end(endings.revoked);
    else this.principal = current;
  }
}

/** The types whose changes may alter what a credential is worth, and whose credential each one touches. */
const credentialTouches: Readonly<Record<string, (change: Change, principal: Principal) => boolean>> = {
  Token: (change, principal) => change.id === principal.tokenId,
  User: (change, principal) => change.id === principal.userId,
  GlobalRoleBinding: (change, principal) => change.userId === principal.userId,
};

/** Whether some change of `batch` may alter what a credential is worth (each stream then looks at it its own way). */
export function touchesCredentials(batch: readonly Change[]): boolean {
  return credentialChangesIn(batch).length > 0;
}

const credentialChangesByBatch = new WeakMap<readonly Change[], readonly Change[]>();

/**
 * The changes of a batch that may touch someone's credential (usually none): picked once
 * per batch, which the fan-out hands to every stream as the same array, instead of each
 * of a thousand streams looking at every change.
 */
function credentialChangesIn(changes: readonly Change[]): readonly Change[] {
  let picked = credentialChangesByBatch.get(changes);
  if (!picked) {
    picked = changes.filter((change) => Object.hasOwn(credentialTouches, change.type));
    credentialChangesByBatch.set(changes, picked);
  }
  return picked;
}
