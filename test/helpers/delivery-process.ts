/**
 * How long a test waits for the delivery process's word (full, drained, closed, exited):
 * from the sources it starts through tsx's loader, and beside other busy test files (CI)
 * it may wait seconds for the CPU before it reads its messages.
 */
export const fromTheDeliveryProcess = { timeout: 30_000, interval: 20 };

/**
 * The tests run the delivery process at the server's priority: they check what it writes and
 * says, not whom the scheduler favours (at the default, nice 10, it took 17 s to 60 s+ to
 * answer beside three busy processes); one test checks the default is applied.
 */
export const atServerPriority = { niceness: 0 };
