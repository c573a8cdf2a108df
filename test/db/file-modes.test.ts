import { chmod, lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';

/** Every entry under `directory` whose mode is not 0700 (directories) or 0600 (files). */
async function looseEntries(directory: string): Promise<string[]> {
  const loose: string[] = [];
  const visit = async (entry: string) => {
    const stats = await lstat(entry);
    const wanted = stats.isDirectory() ? 0o700 : 0o600;
    if ((stats.mode & 0o777) !== wanted) loose.push(`${path.relative(directory, entry) || '.'} ${(stats.mode & 0o777).toString(8)}`);
    if (stats.isDirectory()) for (const child of await readdir(entry)) await visit(path.join(entry, child));
  };
  await visit(directory);
  return loose;
}

describe('DATA_DIR is private whatever the umask', () => {
  const previousUmask = process.umask(0o022);
  const directories: string[] = [];
  afterAll(async () => {
    process.umask(previousUmask);
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  it('creates the embedded database 0700/0600 and tightens a loose existing DATA_DIR at start, saying so once', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-modes-'));
    directories.push(dataDir);
    await chmod(dataDir, 0o777);
    await writeFile(path.join(dataDir, 'left-by-an-older-version'), 'x', { mode: 0o666 });
    await chmod(path.join(dataDir, 'left-by-an-older-version'), 0o666);
    const messages: string[] = [];

    const database = await openDatabase({ dataDir, databaseUrl: undefined }, { onLooseDataDir: (message) => messages.push(message) });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/tightened to 0700/);
    // Some writes, so PGlite creates files while it runs.
    await database.prisma.$executeRawUnsafe('CREATE TABLE mode_probe (id int)');
    await database.prisma.$executeRawUnsafe('INSERT INTO mode_probe VALUES (1)');
    expect((await lstat(dataDir)).mode & 0o777).toBe(0o700);
    await database.close();

    expect(await looseEntries(dataDir)).toEqual([]);
    // Opening PGlite is slow on a busy machine.
  }, 180_000);
});
