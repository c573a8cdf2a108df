import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/**
 * The headless Chromium the page tests drive, first found of:
 * 1. `CHROMIUM_PATH`, when set (any Chromium or Chrome binary);
 * 2. Debian's `/usr/bin/chromium`, when installed;
 * 3. the headless shell that `@sparticuz/chromium` (a dev dependency) ships inside its npm
 *    package, so `npm install` alone brings a browser: no apt, no root, no download
 *    beyond the npm registry.
 *
 * The package ships its binary Brotli-compressed and, left to itself, unpacks it into a
 * shared `/tmp/chromium` that another checkout's different version may already occupy.
 * So it is unpacked here instead, once per installed version, into
 * `node_modules/.cache/`, through a private temporary file and an atomic rename: test
 * workers starting together never run a half-written binary.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(debianChromium)) return debianChromium;
  return unpackedSparticuzChromium();
}

const debianChromium = '/usr/bin/chromium';

async function unpackedSparticuzChromium(): Promise<string> {
  const packageDir = sparticuzPackageDir();
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const cacheDir = path.resolve(packageDir, '../../.cache');
  const executable = path.join(cacheDir, `sparticuz-chromium-${version}`, 'chromium');
  if (existsSync(executable)) return executable;

  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(path.join(cacheDir, 'sparticuz-chromium-unpacking-'));
  try {
    await pipeline(
      createReadStream(path.join(packageDir, 'bin', 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(path.join(staging, 'chromium'), { mode: 0o755 }),
    );
    await rename(staging, path.dirname(executable)).catch((error: NodeJS.ErrnoException) => {
      // Another worker finished first: its copy is as good as ours.
      if (!existsSync(executable)) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return executable;
}

function sparticuzPackageDir(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    throw new Error("No Chromium for the page tests: set CHROMIUM_PATH, install Debian's chromium, or run `npm install` (it brings @sparticuz/chromium)");
  }
  // The entry point is <package>/build/cjs/index.cjs; its package.json is not exported.
  return path.resolve(path.dirname(entry), '../..');
}
