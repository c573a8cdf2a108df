import { PGlite } from '@electric-sql/pglite';
import { installChangeCapture } from '../changes/capture.js';
import { createLogger } from '../logger.js';
import { openInMemory } from './embedded-database.js';
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
    await dropTemplateDatabases(database.pglite);
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

/**
 * initdb makes three databases: `postgres`, which the server uses, and `template0` and
 * `template1`, which only `CREATE DATABASE` reads. A DATA_DIR holds one database and
 * the server never creates another, so the image keeps only `postgres`: a first start
 * copies ≈ 570 files instead of ≈ 1,200, and on this machine's disk each new file
 * costs ≈ 0.2 ms whatever its size (the copy took 0.7–1.3 s of a first start).
 */
async function dropTemplateDatabases(pglite: PGlite): Promise<void> {
  for (const template of ['template0', 'template1']) {
    // A template database cannot be dropped until it is declared an ordinary one.
    await pglite.exec(`ALTER DATABASE ${template} IS_TEMPLATE false`);
    await pglite.exec(`DROP DATABASE ${template}`);
  }
}
