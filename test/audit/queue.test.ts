import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/index.js';
import { AuditQueue } from '../../src/audit/queue.js';
import { fileSink, linesSink } from '../../src/audit/sinks/lines.js';
import { createLogger } from '../../src/logger.js';

const entry = (index: number): AuditEntry => ({
  time: new Date().toISOString(),
  auditID: `id-${index}`,
  face: 'v3',
  method: 'GET',
  requestURI: '/v3/clusters',
  user: null,
  sourceIPs: ['127.0.0.1'],
  userAgent: 'test',
  resourceType: 'cluster',
  resourceId: null,
  verb: 'list',
  outcome: 'success',
  code: 'OK',
  responseCode: 200,
  durationMs: 1,
  requestBody: { padding: 'x'.repeat(1000) },
});

/** A process log kept in memory, to read what the queue reports. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the audit queue', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('never waits for a stalled disk: a full queue drops, counts and reports', async () => {
    // A stream whose writes never complete, as on a hung disk.
    const stalled = new Writable({ highWaterMark: 16, write: () => undefined });
    const { logger, lines } = capturedLogger();
    const queue = new AuditQueue([linesSink('stalled', stalled, async () => undefined)], logger, 5, 2);
    for (let index = 0; index < 12; index += 1) queue.push(entry(index));
    expect(queue.stats()).toMatchObject({ queued: 5, dropped: 7 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The writer took a batch and waits on the disk: the queue stays full, new entries drop.
    for (let index = 0; index < 5; index += 1) queue.push(entry(100 + index));
    expect(queue.stats()).toMatchObject({ queued: 5, written: 0, dropped: 12 });
    expect(lines.find((line) => line.msg === 'audit queue full: entries dropped')).toMatchObject({ level: 40, dropped: 1, capacity: 5 });
  });

  it('counts and logs what a failing sink loses, and keeps going', async () => {
    const { logger, lines } = capturedLogger();
    let fail = true;
    const written: string[] = [];
    const flaky = new Writable({
      write(chunk, _encoding, done) {
        if (fail) done(new Error('ENOSPC: no space left on device'));
        else {
          written.push(String(chunk));
          done();
        }
      },
    });
    flaky.on('error', () => undefined);
    const queue = new AuditQueue([linesSink('flaky', flaky, async () => undefined)], logger);
    queue.push(entry(1));
    // The writer gathers entries for a moment before it writes.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(queue.stats()).toMatchObject({ failed: 1, written: 0, queued: 0 });
    expect(lines.find((line) => line.msg === 'audit entries could not be written')).toMatchObject({ sink: 'flaky', entries: 1 });
    fail = false;
  });

  it('writes everything queued before it closes (shutdown)', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'audit-queue-'));
    const file = path.join(directory, 'audit.log');
    const queue = new AuditQueue([fileSink({ path: file, maxSizeMb: 10, maxBackups: 2, maxAgeDays: 1 })], capturedLogger().logger);
    for (let index = 0; index < 500; index += 1) queue.push(entry(index));
    await queue.close();
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(500);
    expect(JSON.parse(lines[499]!)).toMatchObject({ auditID: 'id-499' });
    expect(queue.stats()).toMatchObject({ queued: 0, written: 500, dropped: 0 });
  });

  it('rotates the file by size, keeps AUDIT_LOG_MAXBACKUP files and none older than AUDIT_LOG_MAXAGE', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'audit-rotate-'));
    const file = path.join(directory, 'audit.log');
    // A rotated file from long ago, as a previous run would have left it.
    const old = path.join(directory, 'audit.log.9');
    await writeFile(old, 'old\n');
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    await utimes(old, longAgo, longAgo);
    const queue = new AuditQueue([fileSink({ path: file, maxSizeMb: 1, maxBackups: 2, maxAgeDays: 10 })], capturedLogger().logger);
    // About 4 MB: several rotations.
    for (let round = 0; round < 4; round += 1) {
      for (let index = 0; index < 1000; index += 1) queue.push(entry(index));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await queue.close();
    const files = (await readdir(directory)).sort();
    expect(files).toEqual(['audit.log', 'audit.log.1', 'audit.log.2']);
    // Rotation happens after the write that crosses the size: a file may exceed it by one batch.
    for (const name of files) expect((await stat(path.join(directory, name))).size).toBeLessThanOrEqual(1.5 * 1024 * 1024);
  });
});
