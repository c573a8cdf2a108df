// The fixture's database for the peer and the limit: the shared PostgreSQL schema in
// BENCH_DATABASE_URL, or a fresh PGlite directory migrated and seeded like ours.
import { openDatabase, type Database } from '../../src/db/database.js';
import { applyPendingMigrations } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { seedClusters } from './cluster-fixture.js';
import { scratchDirectory } from './scratch-directory.js';

export async function openFixtureDatabase(): Promise<{ database: Database; dataDir: string }> {
  const dataDir = await scratchDirectory();
  const database = await openDatabase({ dataDir, ...(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {}) });
  await applyPendingMigrations(database, createLogger('silent'));
  await seedClusters(database.prisma);
  return { database, dataDir };
}
