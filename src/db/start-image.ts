import { PGlite } from '@electric-sql/pglite';
import { installChangeCapture } from '../changes/capture.js';
import { createLogger } from '../logger.js';
import { openInMemory } from './database.js';
import { tightenDataDirectory } from './file-modes.js';
import { applyPendingMigrations } from './migrate.js';
import { migrationsDirectory } from './migrations.js';

/**
 * Makes the start image of a new DATA_DIR in `target`, a directory that must not exist
 * yet (scripts/build.mjs bundles this module as a second entry beside main.ts and makes
 * dist/pgdata-image with it): a PGlite data directory with the schema migrations applied
 * by the server's own migration code, so a first start neither runs initdb nor loads the
 * schema engine. A first start copies it (src/db/data-dir-image.ts).
 *
 * Schema only: the migrations and the change-capture triggers (which every start still
 * checks, and installs on tables a newer migration adds). What a first start writes —
 * the admin, the seeded settings, drivers and role templates, the encryption key —
 * stays with the start (src/app.ts): an image shared by every installation holds
 * nothing that belongs to one. (`directory` is for tests that make an image of part of
 * the history.)
 */
export async function makeStartImage(target: string, directory = migrationsDirectory): Promise<{ migrations: string[] }> {
  // Made in memory and written out once: initdb on the disk takes ≈ 9 s here, in
  // memory ≈ 3 s, and writing the result out ≈ 2 s.
  const database = await openInMemory();
  let migrations: string[];
  let tarball: Blob;
  try {
    const logger = createLogger('silent');
    migrations = await applyPendingMigrations(database, logger, directory);
    await installChangeCapture(database, logger);
    // The migrations' pages may still sit in shared buffers, with only the WAL written:
    // flushed now, a start opens clean files instead of replaying the log.
    await database.pglite.exec('CHECKPOINT');
    tarball = await database.pglite.dumpDataDir('none');
  } finally {
    await database.close();
  }
  const written = new PGlite(target, { loadDataDir: tarball });
  await written.waitReady;
  await written.close();
  // PGlite writes its files 0666: made private here, the image can be altered by nobody
  // but its owner, and every copy of it (which keeps the modes) is private from the start.
  tightenDataDirectory(target);
  return { migrations };
}
