import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config.js';

/**
 * The embedded database is a directory that exactly one process may open: two
 * PGlite instances writing the same files corrupt them. A pid file guards it; a
 * file left by a process that no longer runs is taken over.
 */
export async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(dataDir, 'server.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(lockFile).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new ConfigError(`DATA_DIR: ${dataDir} is in use by another server (pid ${owner})`);
      }
      await unlink(lockFile).catch(() => undefined);
    }
  }
  throw new ConfigError(`DATA_DIR: cannot lock ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
