// Spawn → first /ping 200 for `npm start` on a fresh and on an existing DATA_DIR,
// against the way the server started before the compiled build (tsx running the
// TypeScript sources, development mode), in interleaved rounds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchUntilPing } from '../lib/process-start.js';
import { interleaved } from '../lib/stats.js';
import type { BenchGroup, Measurement } from '../lib/types.js';

interface Way {
  name: string;
  command: string;
  args: string[];
}
const before: Way = { name: 'before: tsx src/main.ts', command: path.resolve('node_modules/.bin/tsx'), args: ['src/main.ts'] };
const npmStart: Way = { name: 'npm start', command: 'npm', args: ['start', '--silent'] };

export const group: BenchGroup = {
  name: 'start',
  async run(options) {
    const scratch = await mkdtemp(path.join(tmpdir(), 'cattle-graph-bench-start-'));
    // Each way gets its own existing DATA_DIR, made by one start before the rounds.
    const existing = new Map<Way, string>();
    for (const way of [before, npmStart]) {
      const dataDir = await mkdtemp(path.join(scratch, 'existing-'));
      await (await launchUntilPing(way.command, way.args, environment(dataDir))).stop();
      existing.set(way, dataDir);
    }
    const scenarios = [
      { way: before, fresh: true, name: `${before.name}, fresh DATA_DIR` },
      { way: npmStart, fresh: true, name: `${npmStart.name}, fresh DATA_DIR` },
      { way: before, fresh: false, name: `${before.name}, existing DATA_DIR` },
      { way: npmStart, fresh: false, name: `${npmStart.name}, existing DATA_DIR` },
    ];
    const samples = new Map(scenarios.map((scenario) => [scenario.name, [] as number[]]));
    try {
      await interleaved(options.rounds, scenarios, async ({ way, fresh, name }, round) => {
        const dataDir = fresh ? await mkdtemp(path.join(scratch, 'fresh-')) : existing.get(way)!;
        const launched = await launchUntilPing(way.command, way.args, environment(dataDir));
        await launched.stop();
        // The old start's tsx relays the signal to its own child, which may still be writing
        // its data directory when tsx has exited: retry while the directory fills behind us.
        if (fresh) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
        samples.get(name)!.push(launched.readyMs / 1000);
        console.log(`  round ${round + 1}: ${name}: ${(launched.readyMs / 1000).toFixed(2)} s`);
      });
    } finally {
      await rm(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
    return scenarios.map(
      ({ name, way, fresh }): Measurement => ({
        scenario: name,
        unit: 's',
        samples: samples.get(name)!,
        better: 'lower',
        ...(way === npmStart ? { baseline: [`${before.name}, ${fresh ? 'fresh' : 'existing'} DATA_DIR`], target: fresh ? '≤ 2 s' : '≤ 1 s' } : {}),
      }),
    );
  },
  notes: () => ['Ratio: how many times faster `npm start` is than the old start, round by round.'],
};

function environment(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, CATTLE_BOOTSTRAP_PASSWORD: 'bench-password-123' };
}
