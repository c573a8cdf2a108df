export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "median [min–max]" with the given digits. */
export function summary(values: number[], digits = 0): string {
  const format = (value: number) => value.toFixed(digits);
  return `${format(median(values))} [${format(Math.min(...values))}–${format(Math.max(...values))}]`;
}

/**
 * Runs every scenario once per round, in a different order each round (rotated), so
 * that a machine growing busier or quieter weighs on all of them alike.
 */
export async function interleaved<T>(rounds: number, scenarios: T[], measure: (scenario: T, round: number) => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    const order = scenarios.map((_, index) => scenarios[(index + round) % scenarios.length]!);
    for (const scenario of order) await measure(scenario, round);
  }
}
