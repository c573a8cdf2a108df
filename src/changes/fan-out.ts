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
  /**
   * Puts a subscribed `listener` among those that a batch reaches alike (the same `key`):
   * `cohort` is offered each batch for all of them at once before they are handed it one
   * by one, and those it serves are not handed it again. Optional: a source that hands
   * every listener its batch itself (the feed) has no cohorts.
   */
  join?<Member>(listener: (changes: readonly Change[]) => void, key: string, cohort: Cohort<Member>, member: Member): void;
};

/**
 * Listeners that a batch reaches alike (one document, one identity, one address: the same
 * bytes for each), served in one pass. Handing a batch to a thousand streams one by one
 * cost ≈ 2–7 µs a stream — the stream, its subscription and its writer each asked in turn,
 * a thousand times over, what the first of them had already decided — and that on the
 * serving thread, beside the writes (BENCHMARKS.md, subscribers). A cohort decides for the
 * batch once and only checks each member's own state.
 */
export interface Cohort<Member> {
  /**
   * Delivers `batch` at once to those of `members` (each subscribed before any of it
   * arrived, none handed it yet) that can take it so now; says which did, in order. A
   * member it leaves is handed the batch as usual, after it. `settled[i]` tells that
   * member `i` took the previous batch from this cohort and was handed nothing since: its
   * stream is as idle as it was then (only what it is handed makes it busy), so only its
   * writer's state needs a look.
   *
   * Or, when what the members would be sent is not made yet, starts making it and returns
   * a promise that settles once it is: the members are then held back (handed nothing)
   * and offered the batch again after it settles — once: a second promise hands them the
   * batch one by one.
   */
  deliver(batch: readonly Change[], members: readonly Member[], settled: readonly boolean[]): readonly boolean[] | Promise<unknown>;
}

/**
 * How long one turn of the event loop may spend handing a batch to streams. Each stream's
 * consumer renders and writes what it was handed before the loop turns (for an admin
 * nothing waits on I/O), so this bounds the work between two chances for requests — the
 * writes among them — to be read and answered. A budget of time, not of streams: a stream
 * whose event was already made for another costs a few µs, one that makes it costs tens,
 * and a count sized for the dear case spread a cheap batch over dozens of turns, each
 * queued behind the requests that arrived meanwhile (BENCHMARKS.md, subscribers).
 */
const turnBudgetMs = 5;

/**
 * The least time between the starts of two hand-outs. Changes that commit meanwhile wait
 * and go together: every subscriber's socket then takes one write for all of them rather
 * than one per change, which is most of what a delivery costs, and the requests in
 * between keep the CPU. A change after a quiet spell goes at once. (25, 50, 75 and 100 ms
 * measured: 50 to 100 gave the lowest p99 under a burst, BENCHMARKS.md, subscribers.)
 */
const handOutEveryMs = 50;

/**
 * The feed as the streams of one instance receive it: one subscription to the feed for all
 * of them; each batch handed to every stream in order (a batch reaches every stream before
 * the next one starts), at most `turnBudgetMs` of it per turn of the event loop
 * (`setImmediate` between), hand-outs at least `handOutEveryMs` apart with the changes that
 * arrived meanwhile handed on together. The first turn of a hand-out goes to one stream
 * only: what a stream makes of a change (its visibility for a rights class, its rendered
 * event) is shared with the streams like it (./shared.ts), and made by the first stream
 * while the loop turns, the rest find it ready instead of each starting it. While a stream
 * is handed its batch its socket is corked, and uncorked by a microtask queued after the
 * turn, behind those its consumer queued while handed the batch: what it writes for the
 * batch at once leaves in one write, as soon as the turn is done. Each {@link Cohort} is
 * offered the batch for its members before anyone is handed it one by one; a cohort that
 * must first make what it sends has its members held back until it is made (see `drain`).
 *
 * Other consumers of the feed (revocation, cache invalidation) keep hearing it at once.
 */
export class ChangeFanOut implements ChangeSource {
  /** Insertion-ordered; a Map iterator held across turns still sees listeners added meanwhile and skips removed ones. */
  private readonly listeners = new Map<(changes: readonly Change[]) => void, Listening>();
  /** Listeners that a batch reaches alike, by the key they joined under. */
  private readonly cohorts = new Map<string, Joined>();
  private pending: Change[] = [];
  /** How many changes have arrived here so far: a listener hears only those that arrive after it subscribed. */
  private arrived = 0;
  private draining = false;
  private lastHandOutAt = Number.NEGATIVE_INFINITY;
  /** The batch of the last hand-out (what a member took from its cohort last, if it is settled). */
  private lastBatch: readonly Change[] | undefined;
  private waiting: NodeJS.Timeout | undefined;
  private readonly stopFeed: () => void;

  constructor(private readonly feed: ChangeFeed) {
    this.stopFeed = feed.subscribe((changes) => {
      this.pending.push(...changes);
      this.arrived += changes.length;
      this.schedule();
    });
  }

  subscribe(listener: (changes: readonly Change[]) => void, socket?: Socket): () => void {
    const listening: Listening = { socket, from: this.arrived, handed: undefined, fromCohort: undefined, cohort: undefined };
    this.listeners.set(listener, listening);
    return () => {
      this.listeners.delete(listener);
      this.leave(listening);
    };
  }

  join<Member>(listener: (changes: readonly Change[]) => void, key: string, cohort: Cohort<Member>, member: Member): void {
    const listening = this.listeners.get(listener);
    if (!listening || listening.cohort) return;
    let joined = this.cohorts.get(key);
    if (!joined) {
      joined = { key, cohort, members: new Map(), offered: undefined, making: undefined };
      this.cohorts.set(key, joined);
    }
    joined.members.set(listening, member);
    listening.cohort = joined;
  }

  onGap(listener: () => void): () => void {
    return this.feed.onGap(listener);
  }

  since(revision: bigint): Promise<readonly Change[] | 'expired'> {
    return this.feed.since(revision);
  }

  close(): void {
    clearTimeout(this.waiting);
    this.waiting = undefined;
    this.stopFeed();
    this.listeners.clear();
    this.cohorts.clear();
    this.pending = [];
    this.lastBatch = undefined;
  }

  private leave(listening: Listening): void {
    const joined = listening.cohort;
    if (!joined) return;
    joined.members.delete(listening);
    if (joined.members.size === 0) this.cohorts.delete(joined.key);
  }

  /**
   * Offers `batch` to each cohort for its members that have not had it and subscribed
   * before any of it arrived (a later one hears only part of it, one by one); marks the
   * members each cohort served, so the hand-out passes them by. A cohort is offered a
   * batch once, and once more when it answered that it was making what it would send and
   * that is made.
   */
  private serveCohorts(batch: readonly Change[], batchFrom: number, previousBatch: readonly Change[] | undefined): void {
    for (const joined of this.cohorts.values()) {
      const { making } = joined;
      if (making?.batch === batch ? !making.made : joined.offered === batch) continue;
      joined.offered = batch;
      joined.making = undefined;
      const listenings: Listening[] = [];
      const members: unknown[] = [];
      const settled: boolean[] = [];
      for (const [listening, member] of joined.members)
        if (listening.handed !== batch && listening.from <= batchFrom) {
          listenings.push(listening);
          members.push(member);
          settled.push(previousBatch !== undefined && listening.fromCohort === previousBatch);
        }
      if (members.length === 0) continue;
      let served: readonly boolean[] | Promise<unknown>;
      try {
        served = joined.cohort.deliver(batch, members, settled);
      } catch (error) {
        // The members are handed the batch one by one instead.
        process.emitWarning(error instanceof Error ? error : String(error), 'ChangeFanOutWarning');
        continue;
      }
      if (served instanceof Promise) {
        // Offered once more when made; a cohort that is still not ready then (its work failed) has its members handed the batch one by one.
        if (making?.batch === batch) continue;
        const markMade = () => {
          holding.made = true;
        };
        const holding: Making = { batch, made: false, settled: served.then(markMade, markMade) };
        joined.making = holding;
        continue;
      }
      for (let index = 0; index < listenings.length; index += 1)
        if (served[index]) {
          const listening = listenings[index]!;
          listening.handed = batch;
          listening.fromCohort = batch;
        }
    }
  }

  /** Starts a hand-out of the pending changes now, or when `handOutEveryMs` has passed since the last one began. */
  private schedule(): void {
    if (this.draining || this.waiting || this.pending.length === 0) return;
    const wait = this.lastHandOutAt + handOutEveryMs - performance.now();
    if (wait <= 0) this.drain();
    else
      this.waiting = setTimeout(() => {
        this.waiting = undefined;
        this.drain();
      }, wait);
  }

  /**
   * Hands the pending changes to every listener, `turnBudgetMs` of work per turn, then
   * schedules whatever arrived meanwhile. Members of a cohort that is making what it would
   * send are passed by, and handed the batch after every other listener, once their cohort
   * has been offered it again: how many turns the making takes (each statement of the
   * embedded database may wait for the next one, src/db/statement-turns.ts) does not matter.
   */
  private drain(): void {
    this.draining = true;
    this.lastHandOutAt = performance.now();
    const batch = this.pending;
    const batchFrom = this.arrived - batch.length;
    const previousBatch = this.lastBatch;
    this.lastBatch = batch;
    this.pending = [];
    const listeners = this.listeners.entries();
    let passed = false;
    const heldBack: Array<[(changes: readonly Change[]) => void, Listening]> = [];
    let nextHeldBack = 0;
    const holdsBack = (listening: Listening) => listening.cohort?.making?.batch === batch;
    /** The next listener to hand the batch to; the making a held-back one waits for; or nothing left. */
    const nextListener = (): [(changes: readonly Change[]) => void, Listening] | Making | undefined => {
      while (!passed) {
        const next = listeners.next();
        if (next.done) passed = true;
        else if (holdsBack(next.value[1])) heldBack.push(next.value);
        else return next.value;
      }
      for (; nextHeldBack < heldBack.length; nextHeldBack += 1) {
        const entry = heldBack[nextHeldBack]!;
        // One that left while it was held back is owed nothing.
        if (this.listeners.get(entry[0]) !== entry[1]) continue;
        const making = entry[1].cohort?.making;
        if (making?.batch === batch) return making;
        nextHeldBack += 1;
        return entry;
      }
      return undefined;
    };
    let first = true;
    const turn = () => {
      // Cohorts go first in every turn: a cohort serves its members in one pass once what
      // it sends is made, and starts making it otherwise (the first turn's one stream makes
      // what streams outside cohorts share).
      if (this.cohorts.size > 0) this.serveCohorts(batch, batchFrom, previousBatch);
      const corked: Socket[] = [];
      const deadline = performance.now() + turnBudgetMs;
      let next: ReturnType<typeof nextListener>;
      do {
        next = nextListener();
        if (!next || !Array.isArray(next)) break;
        const [listener, listening] = next;
        if (listening.handed === batch) continue;
        listening.handed = batch;
        const { socket, from } = listening;
        // A stream that subscribed after some of these changes arrived (while they waited
        // for this hand-out, or during it) hears only the later ones.
        const skip = from - batchFrom;
        if (skip >= batch.length) continue;
        if (socket && !socket.destroyed) {
          socket.cork();
          corked.push(socket);
        }
        try {
          listener(skip > 0 ? batch.slice(skip) : batch);
        } catch (error) {
          // One stream's failure must not stall the others: they are still owed this batch.
          process.emitWarning(error instanceof Error ? error : String(error), 'ChangeFanOutWarning');
        }
        if (first) break;
      } while (performance.now() < deadline);
      first = false;
      // Behind the microtasks the consumers queued while they were handed the batch (the SSE
      // writer pushes what it was handed in one go from one): what they wrote leaves in one
      // write per socket, as soon as this turn's work is done.
      queueMicrotask(() => {
        for (const socket of corked) socket.uncork();
      });
      if (next === undefined) {
        this.draining = false;
        this.schedule();
      } else if (Array.isArray(next)) setImmediate(turn);
      else void next.settled.then(() => setImmediate(turn));
    };
    turn();
  }
}

/** What a cohort is making for a batch before its members can be served it. */
interface Making {
  batch: readonly Change[];
  /** Whether the making has settled (the cohort is then offered the batch again). */
  made: boolean;
  /** Settles (never rejects) once it is made. */
  settled: Promise<void>;
}

/** A listener's socket, how many changes had arrived when it subscribed, the batches it was handed, and its cohort. */
interface Listening {
  socket: Socket | undefined;
  from: number;
  /** Held only until the next hand-out replaces it. */
  handed: readonly Change[] | undefined;
  /** The last batch its cohort served it (settled while it is the last hand-out's). */
  fromCohort: readonly Change[] | undefined;
  cohort: Joined | undefined;
}

/** A cohort and its members (each listener's member, as it joined). */
interface Joined {
  key: string;
  cohort: Cohort<unknown>;
  members: Map<Listening, unknown>;
  /** The last batch it was offered (held only until the next hand-out replaces it). */
  offered: readonly Change[] | undefined;
  /** What it is making for the batch being handed out, while its members are held back. */
  making: Making | undefined;
}
