import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

/**
 * The README promises Node 20.19+. npm ci prints an EBADENGINE warning for every
 * installed package whose `engines.node` refuses the running Node; the lock file records
 * those ranges, so this reads them instead of installing. package.json's `overrides`
 * keep codegen's loaders (and GraphiQL's copy of graphql) on versions that accept 20.
 */
const knownExceptions = new Map([
  // Only `prisma dev` (a local Prisma Postgres) imports it, lazily; every published
  // version wants Node 22. This server never runs `prisma dev`.
  ['@prisma/streams-local', 'prisma dev only'],
]);

describe('engines', () => {
  it('every installed package accepts the oldest Node the README promises', async () => {
    const root = JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } };
    const oldest = semver.minVersion(root.engines.node)!.version;
    expect(oldest).toBe('20.19.0');
    const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as { packages: Record<string, LockedPackage> };
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path.includes('node_modules/'))
      .map(([path, locked]) => ({
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: locked.version,
        range: nodeRange(locked),
      }))
      .filter(({ name, range }) => range !== undefined && !knownExceptions.has(name) && !semver.satisfies(oldest, range, { includePrerelease: true }))
      .map(({ name, version, range }) => `${name}@${version} wants node ${range}`);
    expect(refusing).toEqual([]);
  });
});

function nodeRange(locked: LockedPackage): string | undefined {
  return Array.isArray(locked.engines) ? undefined : locked.engines?.node;
}
