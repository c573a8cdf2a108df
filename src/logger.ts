import onExit from 'on-exit-leak-free';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Secrets never reach it: request lines carry method, path,
 * status, duration and principal only, and the redact list below is a second fence
 * for anything that might be logged by mistake.
 */
export function createLogger(level: string, destination: DestinationStream | undefined = level === 'silent' ? undefined : batchedOutput()): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'password',
          '*.password',
          'secret',
          '*.secret',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** How many bytes gather before they are handed to the destination as one buffer. */
const batchBytes = 64 * 1024;
/** How many deferred lines wait for their text (about 13 KB of request lines: within a batch). */
const deferredLinesMax = 64;
/** The longest a line waits on a quiet server. */
const flushEveryMs = 200;
/**
 * Beyond any batch: the destination then writes only when told to (`flush`), never by
 * itself on a `write`, so a batch handed over at exit cannot start an asynchronous write
 * that the exit's synchronous flush would not wait for.
 */
const onlyWhenTold = 64 * 1024 * 1024;

/** The key of {@link DeferredLines}' one method (a symbol: no destination has it by chance). */
export const deferredLine = Symbol('deferred line');

/**
 * What {@link batchedOutput} offers besides `write`: a line whose text is made when its
 * batch is gathered rather than as it is logged. A request line's text, made at the end
 * of each request among everything else the request touched, cost about twice what the
 * same text costs made for 64 lines in a row (a profile of the `/v3` root at
 * `LOG_LEVEL=info`; BENCHMARKS.md, auth). A deferred line keeps its place: a line written
 * after it is gathered after it, and none waits longer than the batch it would have
 * joined (the 200 ms timer, pino's `flush` and the exit all gather them first).
 */
export interface DeferredLines {
  /** Logs the line `format(record)` will make; `record` holds everything the text needs, taken now. */
  [deferredLine]<Record>(format: (record: Record) => string, record: Record): void;
}

/**
 * Standard output (or `dest`), written in batches of about 64 KB, and at least every 200 ms.
 *
 * pino's default writes each line on its own through the thread pool when the event
 * loop is free: a request answered in its own turn of the loop paid one thread hop for
 * its log line, ≈ 30 µs of CPU against ≈ 4 µs for the line itself — 25 % of a cheap
 * authenticated request where issue 12 allows 3 % for the request log. Batched, the
 * hop is shared by the lines of a batch.
 *
 * Each line's UTF-8 goes into the batch's buffer as the line is made, and the buffer to
 * sonic-boom when it is full: handing sonic-boom each line cost a buffer and its
 * bookkeeping per line, its text mode measures the UTF-8 length of the whole pending
 * batch on every write, and gathering the batch as one string and encoding it at the end
 * walked the text twice (its length, then its bytes) out of a string of many pieces. A
 * profile of the `/v3` root at `LOG_LEVEL=info` (BENCHMARKS.md, auth) put the request log
 * at 4.4–5.0 % of the server's CPU with text batches of 16 KB (a fifth of it making one
 * flat string of the batch's pieces, a quarter the write's bookkeeping), 3.1–3.5 % with
 * bytes gathered as the lines are made, in batches of 64 KB (four times the lines share
 * a write).
 *
 * On the way out, what is gathered is handed over before pino's own exit handler (which
 * it registers for every asynchronous destination it makes) writes the destination's
 * buffers synchronously; on `beforeExit` pino flushes and ends the destination. A batch
 * whose asynchronous write is still in the thread pool when `process.exit` comes is
 * written beside that synchronous flush (sonic-boom's `flushSync` does not wait for it):
 * nothing is lost, but the last batches of a process that exits at once may arrive out of
 * order (test/server/process-log.test.ts).
 */
export function batchedOutput(dest: number | string = 1): DestinationStream & DeferredLines {
  // The batch being gathered: its buffer and how many bytes of it are lines.
  const batch = { bytes: Buffer.allocUnsafeSlow(batchBytes), used: 0 };
  // Deferred lines and what makes each one's text, in the order they were logged.
  const formats: Array<(record: never) => string> = [];
  const records: never[] = [];
  // Registered before the destination exists, so it runs before pino's handler for it.
  onExit.register(batch, handOver);
  const output = pino.destination({ dest, sync: false, minLength: onlyWhenTold, maxWrite: 2 * onlyWhenTold, contentMode: 'buffer' });
  // sonic-boom's types know only its text mode. Called through `output` each time: pino
  // swaps `output.write` for a no-op once standard output is a broken pipe.
  const bytesOutput = output as unknown as { write(bytes: Buffer): boolean };
  // Bytes handed over and not yet written: a quiet server's timer then asks for no write
  // at all (sonic-boom's own periodic flush wrote an empty buffer every time).
  let unwritten = 0;
  output.on('write', (bytes: number) => {
    unwritten -= bytes;
  });
  function handBytes(bytes: Buffer): void {
    unwritten += bytes.length;
    bytesOutput.write(bytes);
  }
  /** Hands the gathered bytes over; the destination keeps the buffer until they are written, so the next batch gets a new one. */
  function handBatch(): void {
    if (batch.used === 0) return;
    const bytes = batch.bytes.subarray(0, batch.used);
    batch.bytes = Buffer.allocUnsafeSlow(batchBytes);
    batch.used = 0;
    handBytes(bytes);
  }
  function flushIfUnwritten(): void {
    // Also when a batch was handed over while a write was under way: that write's end does
    // not start the next one (the destination writes only when told).
    if (unwritten > 0) output.flush();
  }
  function append(line: string): void {
    // UTF-8 takes at most three bytes for each UTF-16 unit (a lone surrogate becomes U+FFFD).
    const mostBytes = line.length * 3;
    if (mostBytes <= batchBytes - batch.used) {
      batch.used += batch.bytes.write(line, batch.used);
      return;
    }
    // The batch is full: it goes, and the line starts the next one (or, longer than a batch, goes on its own).
    handBatch();
    if (mostBytes > batchBytes) handBytes(Buffer.from(line));
    else batch.used = batch.bytes.write(line, 0);
    flushIfUnwritten();
  }
  function formatDeferred(): void {
    for (let index = 0; index < records.length; index += 1) append(formats[index]!(records[index]!));
    formats.length = 0;
    records.length = 0;
  }
  function handOver(): void {
    if (records.length > 0) formatDeferred();
    handBatch();
  }
  function writeBatch(): void {
    handOver();
    flushIfUnwritten();
  }
  setInterval(writeBatch, flushEveryMs).unref();
  const lines: DestinationStream & DeferredLines & Pick<typeof output, 'flush'> = {
    write(line: string) {
      // After the deferred lines logged before it.
      if (records.length > 0) formatDeferred();
      append(line);
    },
    [deferredLine]<Record>(format: (record: Record) => string, record: Record) {
      formats.push(format as (record: never) => string);
      records.push(record as never);
      if (records.length >= deferredLinesMax) formatDeferred();
    },
    // What pino's logger.flush() calls.
    flush(callback: (error?: Error) => void) {
      handOver();
      output.flush(callback);
    },
  };
  return lines;
}
