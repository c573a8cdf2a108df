// What the audit log costs a request (issue 16): the list GET /v3/clusters?limit=20 on
// PGlite, on servers at AUDIT_LEVEL 0, 1 and 3, each level against level 0 in the same
// rounds, by rate and by server CPU per request. Budgets: level 1 at most 5 %, level 3 at
// most 15 % of level 0's throughput. New processes every round: two processes of one
// build differ by as much as the audit costs (two level-0 processes under this list for
// 80 s settled at 2.17 and 2.05 ms of CPU a request), and each is warmed for 10 s: a
// fresh server's first 8 s under this list ran 25 % slower than the rest.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureThroughput, type ThroughputScenario } from '../lib/throughput-group.js';
import type { BenchGroup } from '../lib/types.js';

const levelName = (level: number) => `GET /v3/clusters?limit=20 (PGlite), AUDIT_LEVEL ${level}`;
const budgets = [
  { level: 1, target: '≥ 0.95× (cost ≤ 5 %)' },
  { level: 3, target: '≥ 0.85× (cost ≤ 15 %)' },
];

export const group: BenchGroup = {
  name: 'audit',
  async run(options) {
    const logDirectory = await mkdtemp(path.join(tmpdir(), 'cattle-graph-audit-bench-'));
    const scenario = (level: number): ThroughputScenario => ({
      name: levelName(level),
      server: 'app',
      // Each level its file: the JSON-lines sink writes what the table sink stores, and more at level 3.
      env: { BENCH_AUDIT_LEVEL: String(level), BENCH_AUDIT_LOG_PATH: path.join(logDirectory, `level-${level}.log`) },
      authenticated: true,
      request: { method: 'GET', path: '/v3/clusters?limit=20', headers: { accept: 'application/json' } },
      serverCpu: {},
    });
    const scenarios = [scenario(0), ...budgets.map(({ level, target }) => ({ ...scenario(level), baseline: [levelName(0)], target, serverCpu: { target } }))];
    try {
      return await measureThroughput(scenarios, options, { processPerRound: true, warmupSeconds: 10 });
    } finally {
      await rm(logDirectory, { recursive: true, force: true });
    }
  },
  notes: () => [
    'Entries are written in batches about every 200 ms: the last batch of a measurement is written after it, on the same server (under 0.1 % of a measurement).',
  ],
};
