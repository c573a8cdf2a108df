import { PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * patches/@electric-sql+pglite+0.5.16.patch: PGlite merged a query's `parsers` option into
 * the instance's parsers with an object spread at every query. The instance's parsers are
 * some 300 entries keyed by type OID, and the spread cost ≈ 75 µs a statement, as much as
 * the rest of a one-row read; Prisma's PGlite adapter passes its parsers with every
 * statement. The patch looks each column's parser up once, when the row description
 * arrives. This holds the precedence the merged object gave (the query's parsers, then the
 * instance's, then the defaults) and that the query's parsers are no longer copied.
 */
describe("PGlite's per-query parsers (patched)", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create({ parsers: { [types.INT4]: (value) => `instance ${value}`, [types.TEXT]: (value) => `instance ${value}` } });
  }, 60_000);
  afterAll(() => pglite?.close());

  const query = `select 1::int4 as int4, 2::int8 as int8, 'x'::text as text, null::int8 as nothing, '{"k":[1]}'::jsonb as json`;
  const queryParsers = { [types.INT8]: (value: string) => `query ${value}`, [types.TEXT]: (value: string) => `query ${value}` };

  it("takes a query's parser first, then the instance's, then the default, and leaves nulls alone", async () => {
    const { rows } = await pglite.query(query, [], { parsers: queryParsers });
    expect(rows).toEqual([{ int4: 'instance 1', int8: 'query 2', text: 'query x', nothing: null, json: { k: [1] } }]);
    const { rows: arrays } = await pglite.query(query, [], { parsers: queryParsers, rowMode: 'array' });
    expect(arrays).toEqual([['instance 1', 'query 2', 'query x', null, { k: [1] }]]);
    const { rows: plain } = await pglite.query(query);
    expect(plain).toEqual([{ int4: 'instance 1', int8: 2, text: 'instance x', nothing: null, json: { k: [1] } }]);
  });

  it("takes a query's own entry left undefined as the merged object did: the default parser", async () => {
    const { rows } = await pglite.query(query, [], { parsers: { [types.INT4]: undefined } as never });
    expect(rows[0]).toMatchObject({ int4: 1, text: 'instance x' });
  });

  it("uses each statement's own columns when a query holds several", async () => {
    const results = await pglite.exec(`select 5::int8 as a; select 'y'::text as b, 6::int4 as c`, { parsers: queryParsers });
    expect(results.map((result) => result.rows)).toEqual([[{ a: 'query 5' }], [{ b: 'query y', c: 'instance 6' }]]);
  });

  it("does not copy a query's parsers", async () => {
    let enumerations = 0;
    const watched = new Proxy(queryParsers, {
      ownKeys(target) {
        enumerations += 1;
        return Reflect.ownKeys(target);
      },
    });
    for (let statement = 0; statement < 10; statement += 1) await pglite.query(query, [], { parsers: watched });
    // Unpatched, each statement spread them into a new object: ten enumerations.
    expect(enumerations).toBe(0);
  });
});
