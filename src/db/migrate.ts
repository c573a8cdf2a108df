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
  const run = async () =>
    withSchemaEngine(
      database.adapterFactory,
      await readSchema(),
      async (engine) => {
        const { appliedMigrationNames } = await engine.applyMigrations({
          migrationsList: await readMigrationList(directory),
          filters: { externalTables: [], externalEnums: [] },
        });
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
