import type { PGlite } from '@electric-sql/pglite';

/**
 * How much of one turn of the event loop the embedded database's statements may take: past
 * it, the next statement waits for the loop's next turn (BENCHMARKS.md, "Reading the
 * numbers": a burst of new connections to a busy server).
 */
const turnBudgetMs = 5;

/**
 * Makes PGlite's statements take turns with the event loop. PGlite runs a statement
 * synchronously in WebAssembly, and its end hands the lock to the next waiting statement
 * through promises, so every request in flight ran to its next statement, or its end, before
 * the loop polled its sockets again — and Node accepts one new connection a poll: under a
 * list of pages, a client's first request waited seconds. Each statement now checks, holding
 * PGlite's lock, how long the statements of this turn (until the loop's next check phase)
 * have run; past the budget it waits for that check phase, so the loop polls in between.
 * Only the statements' own time counts: the change feed's fan-out also hands out work in
 * turns of its own, and a write must not wait behind it (counting the whole turn's time
 * made the writes of issue 14's bench 0.63× of those without subscribers, from 0.72–0.86×).
 * Only the wait is added: the order of statements, their locks and transactions are PGlite's own.
 */
export function takeTurnsWithTheEventLoop(pglite: PGlite): void {
  const runExclusive = pglite._runExclusiveQuery.bind(pglite);
  let turn: { spentMs: number; ended: Promise<void> } | undefined;
  const currentTurn = () => {
    if (!turn) {
      // An immediate runs in the loop's check phase, after the poll: the turn ends there.
      const ended = new Promise<void>((resolve) =>
        setImmediate(() => {
          turn = undefined;
          resolve();
        }),
      );
      turn = { spentMs: 0, ended };
    }
    return turn;
  };
  pglite._runExclusiveQuery = <T>(statement: () => Promise<T>) =>
    runExclusive(async () => {
      let current = currentTurn();
      if (current.spentMs > turnBudgetMs) {
        await current.ended;
        current = currentTurn();
      }
      const started = performance.now();
      try {
        return await statement();
      } finally {
        current.spentMs += performance.now() - started;
      }
    });
}
