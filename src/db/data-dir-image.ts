import { copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Made by scripts/build.mjs (src/db/start-image.ts): a PGlite data directory with the schema migrations applied. */
const builtImage = fileURLToPath(new URL('../../dist/pgdata-image', import.meta.url));

/**
 * Makes `pgdata` a copy of the start image when it holds no database yet, and says
 * whether it did. Nothing happens when `pgdata` already holds a database (it opens as
 * it is), when it holds anything else (PGlite decides, as without an image), or when
 * no image was built (PGlite runs initdb itself, seconds slower). Starting from the
 * image skips initdb's CPU work and, when the image is current, every migration; the
 * start's migration check runs on it as on any database and applies whatever is newer.
 *
 * A plain copy rather than PGlite's `loadDataDir` of a tarball: unpacking ~40 MB
 * through PGlite's file system took ≈ 1 s of a first start, copying the ~1,200 files
 * side by side takes ≈ 0.1 s. The copy is made next to `pgdata` and renamed into
 * place, so one cut short (a crash, a full disk) never leaves half a database where
 * the next start would open it.
 */
export async function copyStartImage(pgdata: string, image: string | false = builtImage): Promise<boolean> {
  if (image === false || (await holdsDatabase(pgdata)) || !(await holdsDatabase(image))) return false;
  if (!(await removeIfEmpty(pgdata))) return false;
  const staging = `${pgdata}.image-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await copyTree(image, staging);
    await rename(staging, pgdata);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return true;
}

/** Every file of `from` into the new directory `to`, the files copied concurrently (the thread pool does the work). */
async function copyTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const target = (entry: { parentPath: string; name: string }) => path.join(to, path.relative(from, path.join(entry.parentPath, entry.name)));
  await mkdir(to, { mode: 0o700 });
  for (const entry of entries) if (entry.isDirectory()) await mkdir(target(entry), { recursive: true, mode: 0o700 });
  await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => copyFile(path.join(entry.parentPath, entry.name), target(entry))));
}

/** True when `pgdata` holds a PostgreSQL data directory (PGlite opens it as it is). */
export function holdsDatabase(pgdata: string): Promise<boolean> {
  return exists(path.join(pgdata, 'PG_VERSION'));
}

/** True when `directory` is gone now: it was missing or empty. */
async function removeIfEmpty(directory: string): Promise<boolean> {
  try {
    await rmdir(directory);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
