import type { Logger } from '../logger.js';
import type { AuditEntry } from './entry.js';

/** Where entries end up: a file, stdout, the table. Each takes a batch and settles when it is written. */
export interface AuditSink {
  readonly name: string;
  write(batch: readonly AuditEntry[]): Promise<void>;
  close(): Promise<void>;
}

export interface AuditQueueStats {
  /** Waiting to be written, or being written. */
  queued: number;
  written: number;
  /** Refused because the queue was full (a slow or full disk, a busy database). */
  dropped: number;
  /** Lost because a sink failed to write them. */
  failed: number;
}

/**
 * A bounded queue between requests and sinks. `push` never waits: a request only
 * appends to an array, and one writer loop drains it in batches in the background.
 * When the sinks fall behind and the queue is full, new entries are dropped and
 * counted — an audit log must never be the reason a request stalls.
 */
export class AuditQueue {
  private entries: AuditEntry[] = [];
  private draining: Promise<void> | undefined;
  private writing = 0;
  private readonly counts = { written: 0, dropped: 0, failed: 0 };
  private lastDropWarning = 0;

  constructor(
    private readonly sinks: readonly AuditSink[],
    private readonly logger: Logger,
    private readonly capacity = 10_000,
    private readonly batchSize = 200,
    private readonly gatherMs = 200,
  ) {}

  push(entry: AuditEntry): void {
    if (this.entries.length + this.writing >= this.capacity) {
      this.counts.dropped += 1;
      this.warnDropped();
      return;
    }
    this.entries.push(entry);
    // Written after the current request's work, never inside it, and a little later so
    // that entries gather into batches: one INSERT for many requests under load.
    this.draining ??= new Promise<void>((resolve) => setTimeout(resolve, this.gatherMs)).then(() => this.drain());
  }

  stats(): AuditQueueStats {
    return { queued: this.entries.length + this.writing, ...this.counts };
  }

  /** Writes what is queued (shutdown), then closes the sinks. */
  async close(): Promise<void> {
    await this.draining;
    await this.drain();
    await Promise.all(
      this.sinks.map((sink) => sink.close().catch((error: unknown) => this.logger.error({ err: error, sink: sink.name }, 'audit sink did not close'))),
    );
  }

  private async drain(): Promise<void> {
    try {
      while (this.entries.length > 0) {
        const batch = this.entries.splice(0, this.batchSize);
        this.writing = batch.length;
        const results = await Promise.allSettled(this.sinks.map((sink) => sink.write(batch)));
        const failures = results.flatMap((result, index) =>
          result.status === 'rejected' ? [{ sink: this.sinks[index]!.name, reason: result.reason as unknown }] : [],
        );
        for (const failure of failures)
          this.logger.error({ err: failure.reason, sink: failure.sink, entries: batch.length }, 'audit entries could not be written');
        if (failures.length > 0) this.counts.failed += batch.length;
        else this.counts.written += batch.length;
        this.writing = 0;
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** At most one warning every ten seconds, with the running count. */
  private warnDropped(): void {
    const now = Date.now();
    if (now - this.lastDropWarning < 10_000) return;
    this.lastDropWarning = now;
    this.logger.warn({ dropped: this.counts.dropped, capacity: this.capacity }, 'audit queue full: entries dropped');
  }
}
