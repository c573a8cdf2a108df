import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * patches/@electric-sql+pglite+0.5.16.patch: PGlite's protocol reader decoded every text
 * field of every row from a copy of its bytes (`ArrayBuffer.prototype.slice`, an
 * allocation each), 9 % of the CPU of a /v3 page of 100 clusters on the embedded database.
 * The patch decodes from a view instead. This holds both what it must keep (the text, in
 * every width of UTF-8) and what it removes (a copy per field).
 */
describe('PGlite text decoding (patched)', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  }, 60_000);
  afterAll(() => pglite?.close());

  const rows = 200;
  const query = `select n, 'plain ' || n as ascii, 'é ü ß — ' || n as latin, '漢字 ' || n as cjk, '🐄 ' || n as astral, null::text as nothing
                 from generate_series(1, ${rows}) as n`;

  it('decodes text in every width of UTF-8, and nulls', async () => {
    const { rows: result } = await pglite.query<Record<string, unknown>>(query);
    expect(result).toHaveLength(rows);
    expect(result[41]).toEqual({ n: 42, ascii: 'plain 42', latin: 'é ü ß — 42', cjk: '漢字 42', astral: '🐄 42', nothing: null });
    expect(result.at(-1)).toEqual({ n: rows, ascii: `plain ${rows}`, latin: `é ü ß — ${rows}`, cjk: `漢字 ${rows}`, astral: `🐄 ${rows}`, nothing: null });
  });

  it('copies no buffer per field', async () => {
    const slice = ArrayBuffer.prototype.slice;
    let copies = 0;
    ArrayBuffer.prototype.slice = function (this: ArrayBuffer, ...range: [number?, number?]) {
      copies += 1;
      return slice.apply(this, range);
    };
    try {
      await pglite.query(query);
    } finally {
      ArrayBuffer.prototype.slice = slice;
    }
    // The reader takes each chunk of the answer once; unpatched it copies 5 fields × 200 rows more.
    expect(copies).toBeLessThan(rows);
  });
});
