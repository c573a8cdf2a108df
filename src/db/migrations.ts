import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm';

/** `prisma/` at the repository root: the schema and its migration history. */
const prismaDirectory = fileURLToPath(new URL('../../prisma/', import.meta.url));
const schemaPath = path.join(prismaDirectory, 'schema.prisma');
export const migrationsDirectory = path.join(prismaDirectory, 'migrations');

/** The migration history on disk, in the shape the schema engine reads. */
export async function readMigrationList(directory = migrationsDirectory): Promise<MigrationList> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const file = path.join(directory, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (sql) => ({ tag: 'ok' as const, value: sql }),
        (error: Error) => ({ tag: 'error' as const, value: error.message }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockfilePath = path.join(directory, 'migration_lock.toml');
  return {
    baseDir: directory,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockfilePath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

export async function readSchema(): Promise<{ path: string; content: string }> {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}
