import type { PGlite } from '@electric-sql/pglite';

/**
 * How long the embedded database's statements may keep the event loop in one turn: past it,
 * the next statement waits for the loop's next turn (BENCHMARKS.md, "Reading the numbers": a
 * burst of new connections to a busy server).
 */
const turnBudgetMs = 5;

/**
 * Makes PGlite's statements take turns with the event loop. PGlite runs a statement
 * synchronously in WebAssembly, and its end hands the lock to the next waiting statement
 * through promises, so every request in flight ran to its next statement, or its end, before
 * the loop polled its sockets again — and Node accepts one new connection a poll: under a
 * list of pages, a client's first request waited seconds. Each statement now checks, holding
 * PGlite's lock, how long the loop has been in this turn (from the turn's first statement
 * until the loop's next check phase); past the budget it waits for that check phase, so the
 * loop polls in between. Only the wait is added: the order of statements, their locks and
 * transactions are PGlite's own.
 */
export function takeTurnsWithTheEventLoop(pglite: PGlite): void {
  const runExclusive = pglite._runExclusiveQuery.bind(pglite);
  let turn: { started: number; ended: Promise<void> } | undefined;
  const currentTurn = () => {
    if (!turn) {
      const started = performance.now();
      // An immediate runs in the loop's check phase, after the poll: the turn ends there.
      const ended = new Promise<void>((resolve) =>
        setImmediate(() => {
          turn = undefined;
          resolve();
        }),
      );
      turn = { started, ended };
    }
    return turn;
  };
  pglite._runExclusiveQuery = <T>(statement: () => Promise<T>) =>
    runExclusive(async () => {
      const { started, ended } = currentTurn();
      if (performance.now() - started > turnBudgetMs) {
        await ended;
        currentTurn();
      }
      return statement();
    });
}
