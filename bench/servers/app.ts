// This product, embedded (PGlite in a temporary directory) or on PostgreSQL when
// BENCH_DATABASE_URL is set, seeded with BENCH_CLUSTERS clusters (default 20) of 5
// projects each, and with BENCH_UPSTREAM's host on the meta proxy's allow list when
// that is set. BENCH_LOG_LEVEL (default silent) writes the log to /dev/null, batched as the process log is.
// BENCH_BULK_CLUSTERS adds that many more clusters (no projects) in one SQL statement, once
// per database, for the lists-at-scale group. BENCH_STREAM_DELIVERY_PROCESS and BENCH_STREAM_DELIVERY_NICENESS
// set the server's STREAM_DELIVERY_PROCESS and STREAM_DELIVERY_NICENESS (the subscribers group).
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { batchedOutput, createLogger } from '../../src/logger.js';
import { ClusterService } from '../../src/services/clusters.js';
import { ProjectService } from '../../src/services/projects.js';
import { SettingService } from '../../src/services/settings.js';
import { announce } from './announce.js';
import { scratchDirectory } from './scratch-directory.js';

const logLevel = (process.env.BENCH_LOG_LEVEL ?? 'silent') as 'silent';
const dataDir = await scratchDirectory();
const app = await startApp(
  {
    // The audit group (bench/groups/audit.ts) sets the audit level and where its file goes.
    ...loadConfig({
      AUDIT_LEVEL: process.env.BENCH_AUDIT_LEVEL,
      AUDIT_LOG_PATH: process.env.BENCH_AUDIT_LOG_PATH,
      STREAM_DELIVERY_PROCESS: process.env.BENCH_STREAM_DELIVERY_PROCESS,
      STREAM_DELIVERY_NICENESS: process.env.BENCH_STREAM_DELIVERY_NICENESS,
    }),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel,
    bootstrapPassword: 'bench-password-123',
    ...(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {}),
  },
  createLogger(logLevel, logLevel === 'silent' ? undefined : batchedOutput('/dev/null')),
);
const services = { clusters: new ClusterService(app.database.prisma), projects: new ProjectService(app.database.prisma) };
for (let cluster = 0; cluster < Number(process.env.BENCH_CLUSTERS ?? 20); cluster += 1) {
  const { id } = await services.clusters.create({ name: `bench-${cluster}` }, null);
  for (let project = 0; project < 5; project += 1) await services.projects.create({ clusterId: id, name: `project-${project}` }, null);
}
const bulk = Math.floor(Number(process.env.BENCH_BULK_CLUSTERS ?? 0));
// Once per database: a group that starts a new process every round finds the first one's rows.
if (bulk > 0 && (await app.database.prisma.cluster.count({ where: { id: `c-bulk${bulk}` } })) === 0) {
  // Fixture rows, not writes to announce: the change-capture trigger is off for this transaction.
  await app.database.prisma.$transaction(
    async (transaction) => {
      await transaction.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
      await transaction.$executeRawUnsafe(
        `INSERT INTO "Cluster" ("id", "name", "updatedAt") SELECT 'c-bulk' || n, 'bulk-' || n, now() FROM generate_series(1, ${bulk}) AS n`,
      );
    },
    { timeout: 15 * 60_000 },
  );
  await app.database.prisma.$executeRawUnsafe('ANALYZE "Cluster"');
}
// For the proxy scenarios: the upstream's host goes on the allow list, as an admin would put it.
if (process.env.BENCH_UPSTREAM)
  await new SettingService(app.database.prisma).update('whitelist-domain', { value: new URL(process.env.BENCH_UPSTREAM).hostname });
// Started with --expose-gc (the subscribers group), SIGUSR2 collects the garbage: a memory
// reading taken after it measures what is held, not where the collector's sawtooth was.
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) process.on('SIGUSR2', () => collect());
announce(app.server);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
