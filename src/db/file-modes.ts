import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Keeps DATA_DIR private whatever the umask: the directories 0700, the files 0600.
 * PGlite creates its files 0666 & ~umask (world-readable with the usual 0022), and
 * they hold every row, password hash and sealed secret. Changing the process umask
 * would reach every file the process writes, so the tree is tightened instead: at
 * start (which also fixes a directory an older version left loose) and at close.
 * Even between the two, the 0700 directory keeps others out of whatever is inside.
 *
 * Returns how many entries were looser than that, so the caller can say so once.
 */
export async function tightenDataDirectory(directory: string): Promise<number> {
  let loosened = 0;
  const visit = async (entry: string): Promise<void> => {
    const stats = await lstat(entry).catch(() => undefined);
    // Symbolic links are not followed: what they point at is not ours to change.
    if (!stats || stats.isSymbolicLink()) return;
    const wanted = stats.isDirectory() ? 0o700 : 0o600;
    if ((stats.mode & 0o777) !== wanted && (stats.mode & 0o077) !== 0) {
      loosened += 1;
      await chmod(entry, wanted).catch(() => undefined);
    } else if (stats.isDirectory() && (stats.mode & 0o777) !== wanted) {
      await chmod(entry, wanted).catch(() => undefined);
    }
    if (stats.isDirectory()) {
      for (const child of await readdir(entry).catch(() => [])) await visit(path.join(entry, child));
    }
  };
  await visit(directory);
  return loosened;
}
