import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CallFrame, monotonicMicros, readMainThreadProfile, shareOfBusySamples } from './cpu-profile.js';
import { throughput } from './load.js';
import { startServer } from './servers.js';
import { withCredential, type ThroughputScenario } from './throughput-group.js';
import type { BenchOptions, Measurement } from './types.js';

export interface ProfiledShareScenario extends Pick<ThroughputScenario, 'server' | 'env' | 'request' | 'authenticated' | 'target'> {
  name: string;
  /** The frames that make up the part whose share is measured (see shareOfBusySamples). */
  isPart: (frame: CallFrame) => boolean;
}

/**
 * What share of the server's CPU under a load one part takes, read from a CPU profile of
 * the server (a fresh, profiled process per round; only the load's own window counts):
 * for a part that cannot be switched off without changing the answer, like checking the
 * credential of a request that needs one.
 */
export async function measureProfiledShare(scenario: ProfiledShareScenario, options: BenchOptions): Promise<Measurement> {
  const samples: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const directory = await mkdtemp(path.join(tmpdir(), 'cattle-graph-bench-profile-'));
    try {
      const server = await startServer(scenario.server, scenario.env, ['--cpu-prof', `--cpu-prof-dir=${directory}`]);
      const window = { from: 0, to: 0 };
      try {
        const request = await withCredential(server.url, scenario.request, scenario.authenticated);
        await throughput(server.url, request, { ...options, seconds: 2 });
        window.from = monotonicMicros();
        await throughput(server.url, request, options);
        window.to = monotonicMicros();
      } finally {
        // The profile is written when the server exits.
        await server.stop();
      }
      const share = shareOfBusySamples(await readMainThreadProfile(directory), scenario.isPart, window) * 100;
      samples.push(share);
      console.log(`  round ${round + 1}: ${scenario.name}: ${share.toFixed(1)} %`);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
  return { scenario: scenario.name, unit: '%', samples, better: 'lower', ...(scenario.target ? { target: scenario.target } : {}) };
}
