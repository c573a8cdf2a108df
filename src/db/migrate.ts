import { createHash } from 'node:crypto';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { Database } from './database.js';
import { migrationsDirectory, readMigrationList, readSchema } from './migrations.js';
import { withSchemaEngine } from './schema-engine.js';

/**
 * Arbitrary but fixed: the key of the PostgreSQL advisory lock that serialises
 * migrations across instances. It differs from the one Prisma's engine may take
 * internally (72707369) so that the two can never wait on each other.
 */
const MIGRATION_LOCK_KEY = 727073690n;

/**
 * Applies the migrations in prisma/migrations that the database has not seen, with
 * the same `_prisma_migrations` bookkeeping as `prisma migrate deploy`, offline.
 *
 * Instances sharing one PostgreSQL take an advisory lock first, so two instances
 * starting together apply each migration once; the second one finds nothing left.
 * (`directory` is for tests that replay history up to a point.)
 */
export async function applyPendingMigrations(database: Database, logger: Logger, directory = migrationsDirectory): Promise<string[]> {
  // Most starts find every migration applied: one query says so (while the files are
  // read on the thread pool), and the schema engine (a large WebAssembly module to
  // compile) is not loaded at all.
  const [migrationsList, checksums] = await Promise.all([readMigrationList(directory), appliedChecksums(database)]);
  if (unapplied(migrationsList, checksums).length === 0) return [];
  const run = async () =>
    withSchemaEngine(
      database.adapterFactory,
      await readSchema(),
      async (engine) => {
        const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } });
        return appliedMigrationNames;
      },
      (message) => logger.debug({ engine: message }, 'schema engine'),
    );
  const applied = database.kind === 'postgres' ? await withAdvisoryLock(database, run) : await run();
  for (const name of applied) logger.info({ migration: name }, 'applied migration');
  return applied;
}

/**
 * Holds a transaction-scoped advisory lock on one pooled connection while `work`
 * runs on the schema engine's own connection. Ending the transaction releases the
 * lock even if this process dies half-way.
 */
async function withAdvisoryLock<T>(database: Database, work: () => Promise<T>): Promise<T> {
  return database.prisma.$transaction(
    async (transaction) => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
      return work();
    },
    { maxWait: 60_000, timeout: 10 * 60_000 },
  );
}

/**
 * The migrations on disk that `_prisma_migrations` does not record as finished, not
 * rolled back, with the checksum of the file as it is now: all of them when there is
 * no table yet. Anything listed (a new or edited migration, a failed one) goes to the
 * schema engine, which decides as `prisma migrate deploy` would. A start from the
 * build's image finds none unless a migration is newer than the image.
 */
export async function pendingMigrations(database: Database, migrationsList: MigrationList): Promise<string[]> {
  return unapplied(migrationsList, await appliedChecksums(database));
}

/** Finished, not rolled back migrations and their checksums: none when there is no table yet. */
async function appliedChecksums(database: Database): Promise<Map<string, string>> {
  const rows = await database
    .read<{ migration_name: string; checksum: string }>(
      Prisma.sql`SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    )
    .catch(() => []);
  return new Map(rows.map((row) => [row.migration_name, row.checksum]));
}

function unapplied(migrationsList: MigrationList, applied: ReadonlyMap<string, string>): string[] {
  return migrationsList.migrationDirectories
    .filter(
      ({ path: name, migrationFile: { content } }) => content.tag !== 'ok' || applied.get(name) !== createHash('sha256').update(content.value).digest('hex'),
    )
    .map(({ path: name }) => name);
}
