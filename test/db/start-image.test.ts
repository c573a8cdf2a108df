import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, imageInputs } from '../../scripts/build.mjs';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { applyPendingMigrations, pendingMigrations } from '../../src/db/migrate.js';
import { migrationsDirectory, readMigrationList } from '../../src/db/migrations.js';
import { installChangeCapture } from '../../src/changes/capture.js';
import { copyStartImage } from '../../src/db/data-dir-image.js';
import { tightenDataDirectory } from '../../src/db/file-modes.js';
import { makeStartImage } from '../../src/db/start-image.js';
import { createLogger } from '../../src/logger.js';
import { historyUpTo, migrationNames } from '../helpers/migration-history.js';

const logger = createLogger('silent');
const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The public schema's tables, columns, indexes, constraints and enums, to compare two
 * databases by: what migrations make. (The change-capture triggers, which every start
 * installs, are left out.)
 */
async function schemaOf({ prisma }: Database): Promise<Record<string, unknown>> {
  return {
    columns: await prisma.$queryRaw`
      SELECT table_name, column_name, udt_name, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    indexes: await prisma.$queryRaw`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`,
    constraints: await prisma.$queryRaw`
      SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND contype <> 't' ORDER BY 1, 2`,
    enums: await prisma.$queryRaw`
      SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
      WHERE t.typnamespace = 'public'::regnamespace ORDER BY t.typname, e.enumsortorder`,
  };
}

/** Rows in each table of the public schema. */
async function rowCounts({ prisma }: Database): Promise<Record<string, number>> {
  const tables = await prisma.$queryRaw<Array<{ name: string }>>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = row!.n;
  }
  return counts;
}

/** A log destination that hands each JSON line, parsed, to `onEntry`. */
function logEntries(onEntry: (entry: { msg: string; migration?: string }) => void): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) onEntry(JSON.parse(line) as { msg: string; migration?: string });
      done();
    },
  });
}

describe('the start image of a new DATA_DIR', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  let scratch: string;
  /** What the build makes: every migration. */
  let image: string;
  let imageMigrations: string[];
  /** An image made before the newest migration was written (sources run against an old build). */
  let olderImage: string;
  let newest: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'cattle-graph-start-image-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    image = path.join(scratch, 'image');
    imageMigrations = (await makeStartImage(image)).migrations;
    const names = await migrationNames();
    newest = names.at(-1)!;
    const history = await historyUpTo(names.at(-2)!);
    cleanups.push(() => rm(history, { recursive: true, force: true }));
    olderImage = path.join(scratch, 'older-image');
    await makeStartImage(olderImage, history);
  }, 120_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A new DATA_DIR opened as a start opens it, from `startImage`. */
  async function openFresh(startImage: string | false): Promise<Database> {
    const dataDir = await mkdtemp(path.join(scratch, 'data-'));
    const database = await openDatabase({ ...loadConfig({}), dataDir }, { startImage });
    cleanups.push(() => database.close());
    return database;
  }

  it('has every migration applied: a start from it has none to apply, and the schema a start without it migrates to', async () => {
    expect(imageMigrations).toEqual(await migrationNames());
    const fromImage = await openFresh(image);
    expect(await pendingMigrations(fromImage, await readMigrationList())).toEqual([]);
    expect(await applyPendingMigrations(fromImage, logger)).toEqual([]);

    // No image at all: PGlite runs initdb and the start runs every migration, as before images.
    const withoutImage = await openFresh(false);
    expect(await applyPendingMigrations(withoutImage, logger)).toEqual(await migrationNames());
    expect(await schemaOf(fromImage)).toEqual(await schemaOf(withoutImage));
  });

  it('has the change capture installed: a start from it finds nothing to install', async () => {
    const messages: string[] = [];
    const sink = logEntries((entry) => messages.push(entry.msg));
    await installChangeCapture(await openFresh(image), createLogger('info', sink));
    expect(messages).toEqual([]);
    // Without the image the same call installs it: what the assertion above would see if the image lacked it.
    const withoutImage = await openFresh(false);
    await applyPendingMigrations(withoutImage, logger);
    await installChangeCapture(withoutImage, createLogger('info', sink));
    expect(messages).toEqual(['installed change capture']);
  });

  it('holds the schema only: nothing but the record of the migrations, no admin, no seeds', async () => {
    const counts = await rowCounts(await openFresh(image));
    expect(counts._prisma_migrations).toBe((await migrationNames()).length);
    expect(Object.entries(counts).filter(([table, rows]) => table !== '_prisma_migrations' && rows > 0)).toEqual([]);
  });

  it('holds one database, the one the server uses: the templates only CREATE DATABASE reads are not copied into every DATA_DIR', async () => {
    const database = await openFresh(image);
    expect(await database.prisma.$queryRaw`SELECT datname FROM pg_database ORDER BY datname`).toEqual([{ datname: 'postgres' }]);
    // The database works as initdb left it: maintenance that visits every database runs.
    await database.prisma.$executeRawUnsafe('VACUUM');
    const fromInitdb = await openFresh(false);
    expect(await fromInitdb.prisma.$queryRaw`SELECT datname FROM pg_database ORDER BY datname`).toEqual([
      { datname: 'postgres' },
      { datname: 'template0' },
      { datname: 'template1' },
    ]);
  });

  it('is copied, never opened in place: what one DATA_DIR writes, the next one started from the image does not see', async () => {
    const first = await openDatabase({ ...loadConfig({}), dataDir: await mkdtemp(path.join(scratch, 'data-')) }, { startImage: image });
    await first.prisma.$executeRawUnsafe('CREATE TABLE "OnlyInTheFirst" ("id" TEXT)');
    await first.close();
    const second = await openFresh(image);
    expect(await second.prisma.$queryRaw`SELECT to_regclass('"OnlyInTheFirst"')::text AS name`).toEqual([{ name: null }]);
  });

  it('fills a missing or empty pgdata, leaves one that holds anything else to PGlite, and leaves no staging copy behind', async () => {
    const missing = path.join(await mkdtemp(path.join(scratch, 'copy-')), 'pgdata');
    expect(await copyStartImage(missing, image)).toBe(true);
    expect((await readdir(missing)).sort()).toEqual((await readdir(image)).sort());
    expect(await readdir(path.dirname(missing))).toEqual(['pgdata']);
    // Private from the first byte: nothing for DATA_DIR's tightening to find.
    expect(tightenDataDirectory(missing)).toBe(0);
    // A database already there: opened as it is.
    expect(await copyStartImage(missing, image)).toBe(false);

    const emptyParent = await mkdtemp(path.join(scratch, 'copy-'));
    await mkdir(path.join(emptyParent, 'pgdata'));
    expect(await copyStartImage(path.join(emptyParent, 'pgdata'), image)).toBe(true);

    const strayParent = await mkdtemp(path.join(scratch, 'copy-'));
    await mkdir(path.join(strayParent, 'pgdata'));
    await writeFile(path.join(strayParent, 'pgdata', 'stray'), 'not a database');
    expect(await copyStartImage(path.join(strayParent, 'pgdata'), image)).toBe(false);
    expect(await readdir(path.join(strayParent, 'pgdata'))).toEqual(['stray']);

    // No image built: nothing to copy, PGlite runs initdb.
    expect(await copyStartImage(path.join(emptyParent, 'other'), path.join(scratch, 'no-such-image'))).toBe(false);
  });

  it('a first start from an image older than the newest migration applies that one, then creates the admin', async () => {
    const dataDir = await mkdtemp(path.join(scratch, 'data-'));
    const applied: unknown[] = [];
    const sink = logEntries((entry) => {
      if (entry.msg === 'applied migration') applied.push(entry.migration);
    });
    const app = await startApp({ ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir }, createLogger('info', sink), { startImage: olderImage });
    cleanups.push(() => app.close());
    expect(applied).toEqual([newest]);
    expect(app.bootstrap).toMatchObject({ createdAdmin: true, generatedAdminPassword: expect.any(String) });
    expect(await pendingMigrations(app.database, await readMigrationList())).toEqual([]);
    expect(await schemaOf(app.database)).toEqual(await schemaOf(await openFresh(image)));
  });
});

describe("the build's fingerprint of the image", () => {
  it('covers the migration history the server reads: a new migration makes the image stale', async () => {
    expect(imageInputs).toContain(path.relative(root, migrationsDirectory));
    const base = await mkdtemp(path.join(tmpdir(), 'cattle-graph-fingerprint-'));
    try {
      const addMigration = async (name: string) => {
        await mkdir(path.join(base, 'prisma/migrations', name), { recursive: true });
        await writeFile(path.join(base, 'prisma/migrations', name, 'migration.sql'), `-- ${name}\nCREATE TABLE "${name}" ("id" TEXT);\n`);
      };
      await addMigration('20260101000000_first');
      const before = fingerprint(imageInputs, base);
      expect(fingerprint(imageInputs, base)).toBe(before);
      await addMigration('20260102000000_second');
      expect(fingerprint(imageInputs, base)).not.toBe(before);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
