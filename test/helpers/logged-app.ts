import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseStrictly } from 'yaml';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

/** What the server wrote to its log so far: the raw text and each line parsed. */
export interface CapturedLog {
  raw: string;
  lines: Array<Record<string, unknown>>;
}

/**
 * The real server on the embedded database, with its log captured in memory instead
 * of written to stdout, for suites that read what gets logged.
 */
export async function startLoggedApp(level: string, bootstrapPassword: string): Promise<{ app: App; log: CapturedLog; close(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-log-'));
  const log: CapturedLog = { raw: '', lines: [] };
  const sink = new Writable({
    write(chunk, _encoding, done) {
      log.raw += chunk;
      for (const line of String(chunk).split('\n').filter(Boolean)) log.lines.push(parseLogLine(line));
      done();
    },
  });
  const app = await startApp({ ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, bootstrapPassword }, createLogger(level, sink));
  return {
    app,
    log,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A log line as a strict consumer reads it: valid JSON (JSON.parse) with one key per
 * field. JSON.parse keeps the last of two equal keys without a word; YAML 1.2's JSON
 * schema parses the same text and refuses a repeated key, so a line carrying a field
 * twice fails every suite that reads the log.
 */
export function parseLogLine(line: string): Record<string, unknown> {
  const parsed = JSON.parse(line) as Record<string, unknown>;
  parseStrictly(line, { schema: 'json', uniqueKeys: true });
  return parsed;
}
