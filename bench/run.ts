// Measures each scenario as a RATIO against a baseline measured in the same run, in
// interleaved rounds (every scenario once per round), and writes median [range] per
// group into BENCHMARKS.md between the group's markers. Absolute numbers depend on the
// machine and on whatever else runs on it; ratios much less.
//
// Usage: npm run bench [-- --group start,proxy --rounds 3 --seconds 8 --connections 50 --soak-minutes 10]
//
// A group is a file in bench/groups/ exporting `group: BenchGroup`; add it to the registry below.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { writeGroup } from './lib/report.js';
import type { BenchGroup, BenchOptions } from './lib/types.js';

const registry: Record<string, () => Promise<{ group: BenchGroup }>> = {
  start: () => import('./groups/start.js'),
  memory: () => import('./groups/memory.js'),
  v3: () => import('./groups/v3.js'),
  auth: () => import('./groups/auth.js'),
  proxy: () => import('./groups/proxy.js'),
  scale: () => import('./groups/scale.js'),
  subscribers: () => import('./groups/subscribers.js'),
  audit: () => import('./groups/audit.js'),
};

const { values } = parseArgs({
  options: {
    group: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    'soak-minutes': { type: 'string', default: '1' },
  },
});
const options: BenchOptions = {
  rounds: Math.max(3, Number(values.rounds)),
  seconds: Number(values.seconds),
  connections: Number(values.connections),
  soakMinutes: Number(values['soak-minutes']),
};
const names = values.group ? values.group.split(',') : Object.keys(registry);
for (const name of names) if (!registry[name]) throw new Error(`no bench group "${name}" (groups: ${Object.keys(registry).join(', ')})`);

for (const name of names) {
  const { group } = await registry[name]!();
  console.log(`\n== ${name}`);
  // What else the machine was doing is part of the result: each group's stamp says it.
  const loadAtStart = loadavg()[0]!;
  const measurements = await group.run(options);
  console.log(`\n${await writeGroup(name, measurements, options, group.notes?.(measurements) ?? [], loadAtStart)}\n`);
}
