import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import type { AuditEntry } from '../../src/audit/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { DatabaseTarget } from '../helpers/targets.js';

export interface AuditedApp extends TestApp {
  logPath: string;
  /** Waits until the audit queue is empty, then reads the JSON-lines file. */
  entries(): Promise<AuditEntry[]>;
  rawLog(): Promise<string>;
}

/** The real server with the audit log on at `level`, writing to a file of its own. */
export async function startAuditedApp(target: DatabaseTarget, level: 1 | 2 | 3, overrides: Partial<Config> = {}): Promise<AuditedApp> {
  const directory = await mkdtemp(path.join(tmpdir(), 'cattle-graph-audit-'));
  const logPath = path.join(directory, 'audit.log');
  const server = await startTestApp(target, { auditLevel: level, auditLogPath: logPath, ...overrides });
  const rawLog = async () => {
    await settled(server.url);
    return readFile(logPath, 'utf8').catch(() => '');
  };
  return {
    ...server,
    logPath,
    rawLog,
    entries: async () =>
      (await rawLog())
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditEntry),
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The audit queue is empty: every entry of the requests answered so far is written (the response closes before its entries queue, hence the short wait first). */
export async function settled(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const health = (await (await fetch(`${url}/healthz`)).json()) as { audit?: { queued: number } };
    if (health.audit?.queued === 0) return;
  }
  throw new Error('the audit queue did not empty');
}
