import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Made by scripts/build.mjs (src/db/start-image.ts): a PGlite data directory with the schema migrations applied. */
const builtImage = fileURLToPath(new URL('../../dist/pgdata-image.tar', import.meta.url));

/**
 * The tarball a new embedded database starts from, or nothing: when `pgdata` already
 * holds a database (it opens as it is) or no image was built (PGlite runs initdb
 * itself, seconds slower). Loading the image skips initdb's CPU work and, when the
 * image is current, every migration; the start's migration check runs on it as on
 * any database and applies whatever is newer than the image.
 */
export async function startImageFor(pgdata: string, imageFile: string | false = builtImage): Promise<Blob | undefined> {
  if (imageFile === false || (await exists(`${pgdata}/PG_VERSION`))) return undefined;
  const image = await readFile(imageFile).catch(() => undefined);
  return image ? new Blob([image]) : undefined;
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
