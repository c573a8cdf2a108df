import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/database.js';
import type { AuditSink } from '../queue.js';
import { fileSink, stdoutSink } from './lines.js';
import { tableSink } from './table.js';

/** Every entry goes to the JSON-lines file (or stdout) and to the table admins query. */
export function auditSinks(config: Config, prisma: PrismaClient): AuditSink[] {
  const lines =
    config.auditLogPath && config.auditLogPath !== '-'
      ? fileSink({ path: config.auditLogPath, maxSizeMb: config.auditLogMaxSize, maxBackups: config.auditLogMaxBackup, maxAgeDays: config.auditLogMaxAge })
      : stdoutSink();
  return [lines, tableSink(prisma)];
}
