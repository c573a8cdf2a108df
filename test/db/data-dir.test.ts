import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { takeDataDirectory } from '../../src/db/data-dir.js';

describe('taking DATA_DIR before the database opens', () => {
  let scratch: string;
  /** A stand-in start image: what makes it one is a PG_VERSION file. */
  let image: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'cattle-graph-data-dir-'));
    image = await mkdtemp(path.join(scratch, 'image-'));
    await writeFile(path.join(image, 'PG_VERSION'), '17\n');
    await writeFile(path.join(image, 'postgresql.conf'), '');
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('says a new DATA_DIR is new when it fills it from the start image, and an existing one is not', async () => {
    const dataDir = path.join(scratch, 'data');
    const taken = await takeDataDirectory(dataDir, image);
    expect(taken.created).toBe(true);
    expect(taken.pgdata).toBe(path.join(dataDir, 'pgdata'));
    await access(path.join(taken.pgdata, 'PG_VERSION'));
    await expect(access(path.join(dataDir, 'server.pid'))).resolves.toBeUndefined();
    await taken.unlock();
    await expect(access(path.join(dataDir, 'server.pid'))).rejects.toThrow();

    const again = await takeDataDirectory(dataDir, image);
    expect(again.created).toBe(false);
    await again.unlock();
  });

  it('reports a DATA_DIR it cannot use as the configuration error a start ends with', async () => {
    const notADirectory = path.join(scratch, 'a-file');
    await writeFile(notADirectory, 'not a directory');
    const taking = takeDataDirectory(notADirectory, image);
    await expect(taking).rejects.toThrow(ConfigError);
    await expect(taking).rejects.toThrow(/^DATA_DIR: .* is not a writable directory/);
  });
});
