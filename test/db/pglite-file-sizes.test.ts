import fs from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * patches/@electric-sql+pglite+0.5.16.patch: PostgreSQL learns a relation's length by
 * seeking to the end of its file, for the table and each of its indexes whenever it plans a
 * statement; PGlite's Node file system answered every such seek with an `fstat` system call
 * (≈ 150–250 µs of a one-row read on a slow VM). The patch keeps each file's size from its
 * first seek until something that can change it (a write, a truncation, an open) goes
 * through the same file system, which, PGlite holding its data directory alone, is all
 * that can. This holds that the sizes PostgreSQL sees stay those of the files on disk
 * through growth, vacuum's truncation and TRUNCATE's new file, and that the sizes are no
 * longer asked for at every statement.
 */
describe("PGlite's file sizes on a data directory (patched)", () => {
  let directory: string;
  let pglite: PGlite;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'pglite-sizes-'));
    pglite = new PGlite(directory);
    await pglite.exec('create table item (id serial primary key, label text); create index item_label on item (label)');
  }, 60_000);
  afterAll(async () => {
    await pglite?.close();
    await rm(directory, { recursive: true, force: true });
  });

  /**
   * What PostgreSQL takes a relation's length to be (ANALYZE records it as `relpages`, found
   * by seeking to the end of the file: `pg_relation_size` would `stat` the file by its
   * path instead), and the length of its file on disk, both in pages.
   */
  async function pages(relation: string): Promise<{ seen: number; onDisk: number }> {
    const { rows } = await pglite.query<{ seen: number; file: string; page: number }>(
      `select relpages as seen, pg_relation_filepath(oid) as file, current_setting('block_size')::int as page from pg_class where relname = $1`,
      [relation],
    );
    const { seen, file, page } = rows[0]!;
    return { seen, onDisk: (await stat(path.join(directory, file))).size / page };
  }

  /** The rows a sequential scan finds, and those the label index finds: each scan reads as many pages as it takes the relation to have. */
  async function counted(): Promise<{ scanned: number; indexed: number }> {
    const scan = async (settings: string, where: string) => {
      await pglite.exec(settings);
      const { rows } = await pglite.query<{ count: number }>(`select count(*)::int as count from item where ${where}`);
      await pglite.exec('reset all');
      return rows[0]!.count;
    };
    return {
      scanned: await scan('set enable_indexscan = off; set enable_bitmapscan = off; set enable_indexonlyscan = off', 'true'),
      indexed: await scan('set enable_seqscan = off; set enable_bitmapscan = off', "label >= ''"),
    };
  }

  it('sees each file as it is through growth, truncation and a new file', async () => {
    const steps: Array<[statement: string, rows: number]> = [
      [`insert into item (label) select 'first ' || n from generate_series(1, 5000) n`, 5000],
      [`insert into item (label) select 'second ' || n from generate_series(1, 5000) n`, 10_000],
      ['delete from item where id > 500', 500],
      // Vacuum gives the empty pages at the table's end back: the file is truncated.
      ['vacuum item', 500],
      [`insert into item (label) select 'third ' || n from generate_series(1, 2000) n`, 2500],
      // New, empty files for the table and its indexes.
      ['truncate item', 0],
      [`insert into item (label) values ('last')`, 1],
    ];
    const tablePages: number[] = [];
    for (const [statement, rows] of steps) {
      await pglite.exec(statement);
      expect(await counted(), `rows after "${statement}"`).toEqual({ scanned: rows, indexed: rows });
      await pglite.exec('analyze item');
      for (const relation of ['item', 'item_pkey', 'item_label']) {
        const { seen, onDisk } = await pages(relation);
        expect(seen, `${relation}'s pages after "${statement}"`).toBe(onDisk);
      }
      tablePages.push((await pages('item')).seen);
    }
    const [first, second, , vacuumed, third, truncated, last] = tablePages;
    expect(second).toBeGreaterThan(first!);
    expect(vacuumed).toBeLessThan(second!);
    expect(third).toBeGreaterThan(vacuumed!);
    expect(truncated).toBe(0);
    expect(last).toBe(1);
  });

  it('asks the file system for a size once, not at every statement', async () => {
    const query = 'select count(*) from item where id < 50';
    await pglite.query(query);
    const fstat = fs.fstatSync;
    let asked = 0;
    fs.fstatSync = ((...args: Parameters<typeof fstat>) => {
      asked += 1;
      return fstat(...args);
    }) as typeof fstat;
    try {
      for (let statement = 0; statement < 50; statement += 1) await pglite.query(query);
    } finally {
      fs.fstatSync = fstat;
    }
    // Unpatched: 200 (four seeks to a file's end in planning each statement).
    expect(asked).toBe(0);
  });
});
