import { createLogger } from '../logger.js';
import { openInMemory } from './database.js';
import { applyPendingMigrations } from './migrate.js';
import { migrationsDirectory } from './migrations.js';

/**
 * Makes the start image of a new DATA_DIR (scripts/build.mjs bundles this module as a
 * second entry beside main.ts and writes the result to dist/pgdata-image.tar): a fresh
 * PGlite with the schema migrations applied by the server's own migration code, so a
 * first start neither runs initdb nor loads the schema engine.
 *
 * Schema only. What a first start writes — the admin, the seeded settings, drivers and
 * role templates, the change-capture triggers, the encryption key — stays with the
 * start (src/app.ts): an image shared by every installation holds nothing that belongs
 * to one. (`directory` is for tests that make an image of part of the history.)
 */
export async function makeStartImage(directory = migrationsDirectory): Promise<{ tarball: Blob; migrations: string[] }> {
  const database = await openInMemory();
  try {
    const migrations = await applyPendingMigrations(database, createLogger('silent'), directory);
    // The migrations' pages may still sit in shared buffers, with only the WAL written:
    // flushed now, a start loads clean files instead of replaying the log.
    await database.pglite.exec('CHECKPOINT');
    // Uncompressed: loading skips a gunzip of ~40 MB at every fresh start; the file stays on this machine.
    return { tarball: await database.pglite.dumpDataDir('none'), migrations };
  } finally {
    await database.close();
  }
}
