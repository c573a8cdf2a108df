import type { IncomingMessage } from 'node:http';
import type { AuditLog, StreamOpened } from '../audit/index.js';
import type { Access } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { SettingService } from '../services/settings.js';
import type { TokenService } from '../services/tokens.js';
import { ChangeFanOut } from './fan-out.js';
import type { Change } from './change.js';
import type { ChangeFeed } from './feed.js';
import { mayLearnOfRemovalOnce } from './shared.js';
import { ChangeStream, endings, type ChangeStreamOptions, type StreamEnd } from './stream.js';

/** A consumer this far behind is cut off rather than buffered without limit. */
const maxBufferedChanges = 1_000;
/** Keys also expire with nobody changing them; streams check theirs this often. */
const recheckEveryMs = 15_000;

/** What a protocol passes to open a stream: the subscriber's filter and, for the audit log, what it watches. */
export type StreamStart = Omit<ChangeStreamOptions, 'maxBuffered' | 'recheck' | 'socket'> & Pick<StreamOpened, 'resourceType' | 'resourceId'>;

/** The registry as one request (an SSE request, a WebSocket's upgrade) sees it: its streams are audited as that request's. */
export interface RequestStreams {
  /** Opens a stream for `principal`, or RATE_LIMITED when a cap is reached. */
  start(principal: Principal, options: StreamStart): Promise<ChangeStream>;
  /** The newest revision of the feed: where a client that just listed should resume from. */
  head(): Promise<bigint>;
  /**
   * Whether the subscriber of `stream` (with `access`, its rights now) may learn that
   * `change`'s object was removed: the row is gone, so the feed's own records judge it.
   */
  mayLearnOfRemoval(change: Change, stream: ChangeStream, access: Access): Promise<boolean>;
}

/**
 * Every change stream this instance serves, whatever the protocol: the caps on
 * streams per user and per instance (settings), the periodic credential check,
 * closing them all at shutdown, and the audit log's open and close entries (one
 * place, so no protocol can open a stream the log does not see).
 */
export class StreamRegistry {
  private readonly open = new Set<ChangeStream>();
  /**
   * Open streams per user, kept as streams open and end: counting them over `open` made each
   * admission cost as much as the streams already open (a fleet of n reconnecting at once, n²).
   */
  private readonly openPerUser = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  /** How many streams ended, by reason (slow consumers, revocations, …), since start. */
  private readonly endedBy = new Map<StreamEnd['reason'], number>();
  /** The feed as the streams hear it: a bounded number of them per turn of the event loop. */
  private readonly fanOut: ChangeFanOut;
  /**
   * Sockets let in without a credential that have not authenticated yet. Anyone may open
   * one, so each holds a place under the per-instance cap, as a stream does, until it
   * authenticates or closes (graphql-ws closes one that sends no ConnectionInit in time).
   */
  private awaitingCredential = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly settings: SettingService,
    private readonly tokens: TokenService,
    private readonly audit: Pick<AuditLog, 'openStream'>,
    /** The feed's records of removals (which bindings went with an object) live here. */
    private readonly prisma: PrismaClient,
  ) {
    this.fanOut = new ChangeFanOut(feed);
    this.timer = setInterval(() => {
      for (const stream of this.open)
        void this.tokens.recheck(stream.principal).then((current) => {
          if (current) stream.principal = current;
          else stream.end(endings.revoked);
        });
    }, recheckEveryMs);
    this.timer.unref();
  }

  /** The registry for streams `request` opens (Context.streams). */
  of(request: IncomingMessage): RequestStreams {
    return {
      start: (principal, options) => this.start(request, principal, options),
      head: () => this.head(),
      mayLearnOfRemoval: (change, stream, access) => mayLearnOfRemovalOnce(change, stream, access, this.prisma),
    };
  }

  /**
   * Holds a place under the per-instance cap for a socket let in before it presented a
   * credential (graphql-ws authenticating from its ConnectionInit), or RATE_LIMITED when
   * none is free. Calling the answer gives the place back (once).
   */
  async holdUntilAuthenticated(): Promise<() => void> {
    await this.refuseWhenFull();
    this.awaitingCredential += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.awaitingCredential -= 1;
    };
  }

  /** RATE_LIMITED when the streams and the sockets awaiting a credential fill the per-instance cap. */
  private async refuseWhenFull(): Promise<void> {
    const perInstance = await this.settings.numberValue('stream-max-per-instance');
    if (this.open.size + this.awaitingCredential >= perInstance)
      throw new ApiError('RATE_LIMITED', `this server already holds ${perInstance} change streams; retry later`, { headers: { 'retry-after': '5' } });
  }

  private async start(request: IncomingMessage, presented: Principal, options: StreamStart): Promise<ChangeStream> {
    const { resourceType, resourceId, ...filter } = options;
    let principal: Principal | undefined;
    let stream: ChangeStream;
    try {
      // A socket outlives its upgrade: start from the rights the key carries now.
      principal = await this.tokens.recheck(presented);
      stream = await this.admit(principal, { ...filter, socket: request.socket });
    } catch (error) {
      // A refused stream is audited too: opened and closed at once, with the refusal's code.
      this.audit.openStream(request, { principal: principal ?? presented, resourceType, resourceId })(
        error instanceof ApiError ? error.code : 'INTERNAL_SERVER_ERROR',
      );
      throw error;
    }
    const closeAudit = this.audit.openStream(request, { principal: stream.principal, resourceType, resourceId });
    // The client going away ends the stream now, not at the next change: a generator
    // waiting for one cannot be returned before it arrives (an SSE client's abort),
    // and the stream would hold its place under the caps until then.
    const gone = () => stream.end(endings.closed);
    request.socket.once('close', gone);
    stream.onEnd((end) => {
      request.socket.off('close', gone);
      closeAudit(end.reason === 'closed' ? 'client' : end.reason);
    });
    return stream;
  }

  /** A stream within the caps, or UNAUTHORIZED / RATE_LIMITED. */
  private async admit(principal: Principal | undefined, options: Omit<ChangeStreamOptions, 'maxBuffered' | 'recheck'>): Promise<ChangeStream> {
    if (!principal) throw new ApiError('UNAUTHORIZED', 'the credential is not valid');
    const [perUser] = await Promise.all([this.settings.numberValue('stream-max-per-user'), this.refuseWhenFull()]);
    // The user a stream counts for is the one it was admitted as: a recheck may narrow its rights, never change whose they are.
    const { userId } = principal;
    const mine = this.openPerUser.get(userId) ?? 0;
    if (mine >= perUser) throw new ApiError('RATE_LIMITED', `at most ${perUser} change streams per user (the stream-max-per-user setting)`);
    const stream = new ChangeStream(this.fanOut, principal, {
      ...options,
      maxBuffered: maxBufferedChanges,
      recheck: (current) => this.tokens.recheck(current),
    });
    this.open.add(stream);
    this.openPerUser.set(userId, mine + 1);
    stream.onEnd((end) => {
      this.open.delete(stream);
      const left = (this.openPerUser.get(userId) ?? 1) - 1;
      if (left > 0) this.openPerUser.set(userId, left);
      else this.openPerUser.delete(userId);
      this.endedBy.set(end.reason, (this.endedBy.get(end.reason) ?? 0) + 1);
    });
    return stream;
  }

  /** What the streams hold right now (changes queued for their consumers) and why streams ended: for health and tests. */
  stats(): {
    open: number;
    awaitingCredential: number;
    buffered: number;
    mostBuffered: number;
    maxBuffered: number;
    ended: Partial<Record<StreamEnd['reason'], number>>;
  } {
    let buffered = 0;
    let mostBuffered = 0;
    for (const stream of this.open) {
      buffered += stream.buffered;
      mostBuffered = Math.max(mostBuffered, stream.buffered);
    }
    return {
      open: this.open.size,
      awaitingCredential: this.awaitingCredential,
      buffered,
      mostBuffered,
      maxBuffered: maxBufferedChanges,
      ended: Object.fromEntries(this.endedBy),
    };
  }

  /** The newest revision of the feed: where a client that just listed should resume from. */
  head(): Promise<bigint> {
    return this.feed.head();
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every stream (shutdown): each protocol tells its client why and closes. */
  endAll(end: StreamEnd = endings.shutdown): void {
    clearInterval(this.timer);
    for (const stream of [...this.open]) stream.end(end);
    this.fanOut.close();
  }
}
