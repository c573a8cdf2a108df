import { access, constants, mkdir } from 'node:fs/promises';
import { ConfigError } from '../config.js';
import { firstLine } from '../errors.js';
import { copyStartImage, holdsDatabase } from './data-dir-image.js';
import { lockDataDirectory } from './data-dir-lock.js';
import { tightenDataDirectory } from './file-modes.js';

/** DATA_DIR, checked, tightened and locked for this process, its database in place. */
export interface TakenDataDirectory {
  dataDir: string;
  pgdata: string;
  /** How many entries were readable by others when it was taken (now tightened). */
  loosened: number;
  /** This start creates the database (from the start image, or PGlite's initdb): the admin does not exist yet. */
  created: boolean;
  unlock(): Promise<void>;
}

/**
 * Takes DATA_DIR for the embedded database: makes it if missing, tightens what others
 * could read, locks it against a second server, and copies the start image into a new
 * one. Only file work, on the thread pool: main.ts begins it before loading the rest of
 * the server, so a first start's copy overlaps the modules' loading.
 */
export async function takeDataDirectory(dataDir: string, startImage?: string | false): Promise<TakenDataDirectory> {
  await ensureWritableDirectory(dataDir);
  // What was readable by others before this server opened the directory is the
  // operator's to know about (reported once); what PGlite writes later (files created
  // 0666 & ~umask, or copied from the start image) is this server's own and is
  // tightened silently once it is open and at close.
  const loosened = tightenDataDirectory(dataDir);
  const unlock = await lockDataDirectory(dataDir);
  const pgdata = `${dataDir}/pgdata`;
  try {
    const created = !(await holdsDatabase(pgdata));
    await copyStartImage(pgdata, startImage);
    return { dataDir, pgdata, loosened, created, unlock };
  } catch (error) {
    await unlock();
    throw new ConfigError(`DATA_DIR: cannot open the embedded database in ${pgdata} (${firstLine(error)})`);
  }
}

async function ensureWritableDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`DATA_DIR: ${directory} is not a writable directory (${firstLine(error)})`);
  }
}
