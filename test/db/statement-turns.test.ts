import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeTurnsWithTheEventLoop } from '../../src/db/statement-turns.js';

// Each takes tens of milliseconds in PGlite's WebAssembly: far past a turn's budget of 5 ms.
const heavy = 'select count(*)::int as count from generate_series(1, 300000)';

/**
 * Runs `statements` heavy statements at once and reports, in order, each statement's end and
 * the event loop's next turn (an immediate scheduled as they start).
 */
async function endsAndTurn(pglite: PGlite, statements: number): Promise<string[]> {
  const events: string[] = [];
  const running = Array.from({ length: statements }, async () => {
    const { rows } = await pglite.query<{ count: number }>(heavy);
    events.push(`statement ${rows[0]!.count}`);
  });
  setImmediate(() => events.push('turn'));
  await Promise.all(running);
  await new Promise((resolve) => setImmediate(resolve));
  return events;
}

describe("the embedded database's statements and the event loop", () => {
  let plain: PGlite;
  let taking: PGlite;
  beforeAll(async () => {
    [plain, taking] = await Promise.all([PGlite.create(), PGlite.create()]);
    takeTurnsWithTheEventLoop(taking);
  }, 60_000);
  afterAll(async () => {
    await plain?.close();
    await taking?.close();
  });

  it("runs PGlite's waiting statements back to back in one turn when left alone (why the turns exist)", async () => {
    expect(await endsAndTurn(plain, 4)).toEqual([...Array(4).fill('statement 300000'), 'turn']);
  });

  it('lets the loop take its turn once a turn has run past its budget', async () => {
    const events = await endsAndTurn(taking, 4);
    expect(events.filter((event) => event !== 'turn')).toEqual(Array(4).fill('statement 300000'));
    // The first statement runs in the turn it started in; the second waits for the next one.
    expect(events.indexOf('turn')).toBe(1);
  });

  it('keeps transactions whole while statements wait for their turn', async () => {
    await taking.exec('create table tally (n int)');
    const transaction = taking.transaction(async (tx) => {
      for (let step = 1; step <= 4; step += 1) {
        await tx.query(heavy);
        await tx.query('insert into tally values ($1)', [step]);
      }
      return (await tx.query<{ total: number }>('select sum(n)::int as total from tally')).rows[0]!.total;
    });
    const outside = Array.from({ length: 4 }, () => taking.query<{ count: number }>(heavy));
    expect(await transaction).toBe(10);
    expect((await Promise.all(outside)).map(({ rows }) => rows[0]!.count)).toEqual(Array(4).fill(300_000));
    await expect(
      taking.transaction(async (tx) => {
        await tx.query(heavy);
        await tx.query('insert into tally values (100)');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await taking.query<{ total: number }>('select sum(n)::int as total from tally')).rows[0]!.total).toBe(10);
  });
});
