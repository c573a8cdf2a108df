import { once } from 'node:events';
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createStream } from 'rotating-file-stream';
import type { AuditEntry } from '../entry.js';
import type { AuditSink } from '../queue.js';

export interface FileSinkOptions {
  path: string;
  /** Rotate when the file reaches this many megabytes (AUDIT_LOG_MAXSIZE). */
  maxSizeMb: number;
  /** Keep this many rotated files (AUDIT_LOG_MAXBACKUP). */
  maxBackups: number;
  /** Delete rotated files older than this many days (AUDIT_LOG_MAXAGE). */
  maxAgeDays: number;
}

/**
 * JSON lines in a file rotated by size like Rancher's (lumberjack): `audit.log`
 * rotates to `audit.log.1`, `.2`, … up to AUDIT_LOG_MAXBACKUP, and rotated files
 * older than AUDIT_LOG_MAXAGE days are removed at each rotation.
 */
export function fileSink(options: FileSinkOptions): AuditSink {
  const directory = path.dirname(path.resolve(options.path));
  const base = path.basename(options.path);
  // In classical rotation the generator is handed the backup's number (1 = newest), or null for the live file.
  const stream = createStream((backup: number | Date | null) => (typeof backup === 'number' ? `${base}.${backup}` : base), {
    path: directory,
    size: `${options.maxSizeMb}M`,
    rotate: options.maxBackups,
  });
  stream.on('rotated', () => void removeOlderThan(directory, base, options.maxAgeDays));
  // Errors surface through the writes that fail; this keeps one from crashing the process.
  stream.on('error', () => undefined);
  return linesSink('file', stream, () => new Promise<void>((resolve) => stream.end(resolve)));
}

/** JSON lines on stdout, for a container's log collector (AUDIT_LOG_PATH unset or `-`). */
export function stdoutSink(): AuditSink {
  return linesSink('stdout', process.stdout, async () => undefined);
}

export function linesSink(name: string, stream: Writable, close: () => Promise<void>): AuditSink {
  return {
    name,
    async write(batch: readonly AuditEntry[]) {
      const text = batch.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      // Waits for a slow disk here, in the queue's writer, never in a request.
      if (!stream.write(text)) await once(stream, 'drain');
    },
    close,
  };
}

async function removeOlderThan(directory: string, base: string, days: number): Promise<void> {
  if (days <= 0) return;
  const cutoff = Date.now() - days * 86_400_000;
  const rotated = (await readdir(directory).catch(() => [])).filter((file) => file.startsWith(`${base}.`));
  await Promise.all(
    rotated.map(async (file) => {
      const full = path.join(directory, file);
      const info = await stat(full).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await unlink(full).catch(() => undefined);
    }),
  );
}
