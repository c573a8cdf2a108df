import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import type { SettingService } from '../services/settings.js';
import type { TokenService } from '../services/tokens.js';
import type { ChangeFeed } from './feed.js';
import { ChangeStream, endings, type ChangeStreamOptions, type StreamEnd } from './stream.js';

/** A consumer this far behind is cut off rather than buffered without limit. */
export const maxBufferedChanges = 1_000;
/** Keys also expire with nobody changing them; streams check theirs this often. */
const recheckEveryMs = 15_000;

/**
 * Every change stream this instance serves, whatever the protocol: the caps on
 * streams per user and per instance (settings), the periodic credential check, and
 * closing them all at shutdown.
 */
export class StreamRegistry {
  private readonly open = new Set<ChangeStream>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly settings: SettingService,
    private readonly tokens: TokenService,
  ) {
    this.timer = setInterval(() => {
      for (const stream of this.open) void this.tokens.recheck(stream.principal).then((current) => (current ? (stream.principal = current) : stream.end(endings.revoked)));
    }, recheckEveryMs);
    this.timer.unref();
  }

  /** Opens a stream for `principal`, or RATE_LIMITED when a cap is reached. */
  async start(presented: Principal, options: Omit<ChangeStreamOptions, 'maxBuffered' | 'recheck'>): Promise<ChangeStream> {
    // A socket outlives its upgrade: start from the rights the key carries now.
    const principal = await this.tokens.recheck(presented);
    if (!principal) throw new ApiError('UNAUTHORIZED', 'the credential is not valid');
    const [perUser, perInstance] = await Promise.all([this.settings.numberValue('stream-max-per-user'), this.settings.numberValue('stream-max-per-instance')]);
    if (this.open.size >= perInstance) throw new ApiError('RATE_LIMITED', `this server already holds ${perInstance} change streams; retry later`, { headers: { 'retry-after': '5' } });
    let mine = 0;
    for (const stream of this.open) if (stream.principal.userId === principal.userId) mine += 1;
    if (mine >= perUser) throw new ApiError('RATE_LIMITED', `at most ${perUser} change streams per user (the stream-max-per-user setting)`);
    const stream = new ChangeStream(this.feed, principal, { ...options, maxBuffered: maxBufferedChanges, recheck: (current) => this.tokens.recheck(current) });
    this.open.add(stream);
    stream.onEnd(() => this.open.delete(stream));
    return stream;
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
  }
}
