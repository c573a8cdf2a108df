/** What every group gets from the command line (bench/run.ts). */
export interface BenchOptions {
  /** Interleaved rounds per scenario (≥ 3). */
  rounds: number;
  /** Seconds of load per throughput measurement. */
  seconds: number;
  connections: number;
  /** Minutes of mixed load for the memory soak (the default run keeps it short). */
  soakMinutes: number;
}

/**
 * One measured scenario: a sample per round. `baseline` names scenarios of the same
 * group measured in the same rounds; the ratio is taken round by round.
 */
export interface Measurement {
  scenario: string;
  unit: string;
  samples: number[];
  /** Throughput: more is better (ratio = this / baseline). Time and memory: less is better (ratio = baseline / this). */
  better: 'higher' | 'lower';
  baseline?: string[];
  /** The target the issue set, as text for the table (e.g. "≥ 0.8×"). */
  target?: string;
  note?: string;
}

/** A group of scenarios with its own table in BENCHMARKS.md. */
export interface BenchGroup {
  name: string;
  run(options: BenchOptions): Promise<Measurement[]>;
  /** Lines printed under the table (what was run, when it differs from the defaults). */
  notes?(measurements: Measurement[]): string[];
}
