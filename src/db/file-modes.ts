import { chmodSync, lstatSync, readdirSync, type Stats } from 'node:fs';
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
 *
 * Synchronous on purpose: it runs before the server listens and after it stopped, when
 * nothing else waits on the event loop, and PGlite's data directory holds over a thousand
 * entries. One awaited `lstat` after another took ≈ 300 ms a walk, twice per start
 * (issue 12's start budget); synchronous calls take a few milliseconds.
 */
export function tightenDataDirectory(directory: string): number {
  let loosened = 0;
  const visit = (entry: string): void => {
    const stats = attempt((): Stats => lstatSync(entry));
    // Symbolic links are not followed: what they point at is not ours to change.
    if (!stats || stats.isSymbolicLink()) return;
    const wanted = stats.isDirectory() ? 0o700 : 0o600;
    if ((stats.mode & 0o777) !== wanted && (stats.mode & 0o077) !== 0) {
      loosened += 1;
      attempt(() => chmodSync(entry, wanted));
    } else if (stats.isDirectory() && (stats.mode & 0o777) !== wanted) {
      attempt(() => chmodSync(entry, wanted));
    }
    if (stats.isDirectory()) {
      for (const child of attempt(() => readdirSync(entry)) ?? []) visit(path.join(entry, child));
    }
  };
  visit(directory);
  return loosened;
}

/** An entry may vanish while the tree is walked (PGlite removes temporary files): skip it. */
function attempt<T>(operation: () => T): T | undefined {
  try {
    return operation();
  } catch {
    return undefined;
  }
}
