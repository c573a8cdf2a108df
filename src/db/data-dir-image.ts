import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Made by scripts/build.mjs at install: a PGlite data directory right after initdb. */
const imageFile = fileURLToPath(new URL('../../dist/pgdata-image.tar', import.meta.url));

/**
 * The tarball a new embedded database starts from, or nothing: when `pgdata` already
 * holds a database (it opens as it is) or no image was built (PGlite runs initdb
 * itself, seconds slower). Loading the image skips initdb's CPU work; migrations run
 * on it as on any new database.
 */
export async function startImageFor(pgdata: string): Promise<Blob | undefined> {
  if (await exists(`${pgdata}/PG_VERSION`)) return undefined;
  const image = await readFile(imageFile).catch(() => undefined);
  return image ? new Blob([image]) : undefined;
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
