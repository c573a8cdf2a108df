import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrationsDirectory } from '../../src/db/migrations.js';

/** The names of the migrations on disk, oldest first. */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(migrationsDirectory, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A copy of the migration history up to and including `last`, in a temporary directory. */
export async function historyUpTo(last: string): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'cattle-graph-history-'));
  for (const name of (await migrationNames()).filter((candidate) => candidate <= last))
    await cp(path.join(migrationsDirectory, name), path.join(directory, name), { recursive: true });
  await cp(path.join(migrationsDirectory, 'migration_lock.toml'), path.join(directory, 'migration_lock.toml'));
  return directory;
}
