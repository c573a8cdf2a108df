import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { batchedOutput } from '../../src/logger.js';

const logger = fileURLToPath(new URL('../../src/logger.ts', import.meta.url));
const lineWriter = fileURLToPath(new URL('../../src/http/request-line-writer.ts', import.meta.url));

/** Runs a script against the process logger in a child of its own; resolves with its stdout lines, as they come. */
function runWithLogger(script: string, onLine: (line: string, child: ChildProcess) => void = () => undefined): Promise<string[]> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createLogger } from ${JSON.stringify(logger)};\nimport { requestLineWriter } from ${JSON.stringify(lineWriter)};\n${script}`,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      onLine(line, child);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve(lines));
  });
}

/**
 * The lines read, against those written: every one, whole and in order — except that a
 * process exiting at once may see its last batches in another order. A batch whose
 * asynchronous write the thread pool has not finished (on a first write, not even
 * started) when `process.exit` comes is written beside the exit's synchronous flush of
 * the rest (sonic-boom's `flushSync`, which pino's exit handler calls): nothing is lost,
 * but nothing orders the two. A process that ends by itself, or exits from a later turn,
 * keeps the order.
 */
function expectLines<T>(read: T[], written: T[], ending: string): void {
  if (ending === 'process.exit(0);') expect([...read].sort()).toEqual([...written].sort());
  else expect(read).toEqual(written);
}

describe('the process log on standard output (batched)', () => {
  it('writes every line by the time the process exits, however it exits', async () => {
    const lines = await runWithLogger(`
      const log = createLogger('info');
      for (let i = 0; i < 3; i += 1) log.info({ i }, 'line ünïcode 日本 \u{1F600}');
      process.exit(0);
    `);
    expect(lines.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual([0, 1, 2]);
    // Lines travel as UTF-8 bytes: every character arrives whole.
    for (const line of lines) expect((JSON.parse(line) as { msg: string }).msg).toBe('line ünïcode 日本 \u{1F600}');
  });

  it('writes batches of many lines whole, and in order unless the process exits at once', async () => {
    // 2,000 lines of ≈ 120 bytes: a few batches of 64 KB and a partial one at the end.
    const script = (ending: string) => `
      const log = createLogger('info');
      for (let i = 0; i < 2000; i += 1) log.info({ i }, 'line ${'x'.repeat(60)}');
      ${ending}
    `;
    for (const ending of ['', 'process.exit(0);', 'setTimeout(() => process.exit(0), 50);']) {
      const lines = await runWithLogger(script(ending));
      expectLines(
        lines.map((line) => String((JSON.parse(line) as { i: number }).i)),
        Array.from({ length: 2000 }, (_, i) => String(i)),
        ending,
      );
    }
  });

  it('keeps request lines, whose text is made with their batch, in their place among the other lines', async () => {
    // 500 request lines (several rounds of the 64 that wait for their text), every tenth
    // followed by an ordinary line: the order written is the order read.
    const script = (ending: string) => `
      const log = createLogger('info');
      const write = requestLineWriter(log.child({}, { redact: [] }));
      for (let i = 0; i < 500; i += 1) {
        write('answered', 'GET', '/seq/' + i, 200, 1, 'u-1');
        if (i % 10 === 9) log.info({ after: i }, 'ordinary');
      }
      ${ending}
    `;
    const expected = Array.from({ length: 500 }, (_, i) => [`GET /seq/${i} 200 1ms`, ...(i % 10 === 9 ? [`ordinary ${i}`] : [])]).flat();
    for (const ending of ['', 'process.exit(0);', 'setTimeout(() => process.exit(0), 50);']) {
      const lines = await runWithLogger(script(ending));
      const read = lines.map((line) => {
        const { msg, after } = JSON.parse(line) as { msg: string; after?: number };
        return after === undefined ? msg : `${msg} ${after}`;
      });
      expectLines(read, expected, ending);
    }
  });

  it('shows a quiet server its request line within the periodic flush', async () => {
    // As the test below, for a line whose text waits for its batch: killed once seen.
    const lines = await runWithLogger(
      `
      requestLineWriter(createLogger('info').child({}, { redact: [] }))('answered', 'GET', '/alone', 200, 1, 'u-1');
      setInterval(() => undefined, 60_000);
    `,
      (_line, child) => child.kill('SIGKILL'),
    );
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['GET /alone 200 1ms']);
  });

  it('asks for no write while nothing is logged, and one for a quiet line', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'process-log-'));
    const file = path.join(directory, 'out.log');
    const writes = vi.spyOn(fs, 'write');
    try {
      const output = batchedOutput(file);
      // Several of the 200 ms ticks with nothing to write.
      await sleep(700);
      expect(writes).not.toHaveBeenCalled();
      output.write('{"msg":"quiet"}\n');
      await vi.waitFor(async () => expect(await readFile(file, 'utf8')).toBe('{"msg":"quiet"}\n'), { timeout: 2_000, interval: 20 });
      await sleep(700);
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('writes every byte of lines that fill a batch to its last byte or are longer than a batch, in order', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'process-log-'));
    const file = path.join(directory, 'out.log');
    try {
      const output = batchedOutput(file);
      // Three-byte characters (the most a UTF-16 unit takes), surrogate pairs and a lone
      // surrogate (written as U+FFFD) in lines of every length around a batch's 64 KB,
      // and lines longer than a batch between them.
      const written: string[] = [];
      for (let i = 0; i < 400; i += 1) {
        const body = i % 50 === 7 ? 'ü'.repeat(70_000 + i) : i % 3 === 0 ? '日'.repeat(100 + i * 7) : `\u{1F600}${'x'.repeat(i)}\ud800`;
        written.push(`{"i":${i},"s":"${body}"}\n`);
      }
      for (const line of written) output.write(line);
      await new Promise<void>((resolve, reject) =>
        (output as unknown as { flush(done: (error?: Error) => void): void }).flush((error) => (error ? reject(error) : resolve())),
      );
      const read = (await readFile(file, 'utf8')).split('\n').slice(0, -1);
      expect(read).toHaveLength(written.length);
      expect(read).toEqual(written.map((line) => line.slice(0, -1).replaceAll('\ud800', '\ufffd')));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('shows a quiet server its line without waiting for a batch to fill, or for the exit', async () => {
    // The child logs one line and stays up; it is killed (SIGKILL: no exit handler runs)
    // once the line is seen, so the line can only have come from the periodic flush. If
    // it never came, the child would never be killed and the test would time out.
    const lines = await runWithLogger(
      `
      createLogger('info').info('alone');
      setInterval(() => undefined, 60_000);
    `,
      (_line, child) => child.kill('SIGKILL'),
    );
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['alone']);
  });
});
