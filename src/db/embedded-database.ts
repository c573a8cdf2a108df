import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { ConfigError } from '../config.js';
import { firstLine } from '../errors.js';
import { createPrismaClient, pingWith } from './client.js';
import { takeDataDirectory } from './data-dir.js';
import type { Database, DatabaseOptions, SqlRead } from './database.js';
import { embeddedEngine } from './embedded-engine.js';
import { tightenDataDirectory } from './file-modes.js';
import { takeTurnsWithTheEventLoop } from './statement-turns.js';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * PGlite's own start parameters plus smaller memory settings. initdb writes
 * shared_buffers = 128MB, sized for a server with many sessions; PGlite has one
 * session, and its shared memory lives in the WebAssembly heap, which never shrinks
 * once grown, so every buffer touched stays resident. 16 MB keeps a working set of
 * this API's size in memory (the operating system caches the files besides).
 */
const embeddedStartParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'work_mem=2MB', '-c', 'maintenance_work_mem=16MB'];

export async function openEmbedded(dataDir: string, options: DatabaseOptions): Promise<Database> {
  const { pgdata, loosened, unlock } = await (options.dataDirectory ?? takeDataDirectory(dataDir, options.startImage));
  if (loosened > 0)
    options.onLooseDataDir?.(`DATA_DIR ${dataDir}: ${loosened} files or directories were readable by others; tightened to 0700 (directories) and 0600 (files)`);
  let pglite: PGlite;
  try {
    pglite = new PGlite(pgdata, { startParams: embeddedStartParams, pgliteWasmModule: await embeddedEngine() });
    await pglite.waitReady;
  } catch (error) {
    await unlock();
    throw new ConfigError(`DATA_DIR: cannot open the embedded database in ${pgdata} (${firstLine(error)})`);
  }
  tightenDataDirectory(dataDir);
  return embeddedDatabase(pglite, `embedded PostgreSQL (PGlite) in ${pgdata}`, options, async () => {
    // Files PGlite created while running (0666 & ~umask) become 0600 too.
    tightenDataDirectory(dataDir);
    await unlock();
  });
}

/**
 * An embedded database in memory, started as a DATA_DIR's is: what the build migrates
 * into the start image (src/db/start-image.ts). Nothing of it reaches the disk.
 */
export async function openInMemory(): Promise<Database & { pglite: PGlite }> {
  const pglite = await PGlite.create({ startParams: embeddedStartParams, pgliteWasmModule: await embeddedEngine() });
  return { ...embeddedDatabase(pglite, 'embedded PostgreSQL (PGlite) in memory', {}), pglite };
}

/** The {@link Database} over a running PGlite; `afterClose` runs once PGlite has stopped. */
function embeddedDatabase(pglite: PGlite, location: string, options: DatabaseOptions, afterClose: () => Promise<void> = async () => undefined): Database {
  takeTurnsWithTheEventLoop(pglite);
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = createPrismaClient(adapterFactory, options);
  const { onQuery } = options;
  const read: SqlRead = async <Row>(query: Prisma.Sql) => {
    onQuery?.(query.text, 'read');
    return (await pglite.query<Row>(query.text, query.values)).rows;
  };
  return {
    kind: 'embedded',
    prisma,
    read,
    schema: 'public',
    listener: { kind: 'embedded', pglite },
    adapterFactory,
    location,
    ping: pingWith(read),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await afterClose();
    },
  };
}
