// What the audit log costs the list request (GET /v3/clusters?limit=20, PGlite):
// three servers — AUDIT_LEVEL 0, 1 and 3 — measured in interleaved rounds (the order
// rotates each round) so that the machine's drift hits every level alike; the ratio
// of each level to level 0 is the median over the rounds. Every round starts three
// new processes: two processes of one build can differ by more than the audit costs
// (10–30 % on some machines), and with one process per level for the whole run such
// a difference would be read as the audit's. Besides requests per second it reads
// the CPU time each server process tree spent per request (/proc): on a machine
// shared with other work the throughput swings with their load, while CPU per
// request barely does, and for a CPU-bound server throughput is its inverse. Writes
// its table into BENCHMARKS.md between the audit markers.
//
// Usage: npx tsx bench/audit.ts [--rounds 3 --seconds 6 --warmup 10 --connections 20]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { treeCpuMs } from './lib/rss.js';
import { benchAdminKey, type Running, startServer } from './lib/servers.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const levels = ['0', '1', '3'] as const;
const budget: Record<string, number> = { '1': 0.05, '3': 0.15 };

const logDirectory = await mkdtemp(path.join(tmpdir(), 'cattle-graph-audit-bench-'));
const samples = new Map<string, number[]>(levels.map((level) => [level, []]));
/** CPU milliseconds per request, per level and round. */
const cpuSamples = new Map<string, number[]>(levels.map((level) => [level, []]));
try {
  for (let round = 0; round < rounds; round += 1) {
    const servers = await Promise.all(levels.map((level) => serve(level, round)));
    try {
      // Untimed first: the JIT and the database caches warm up before anything is compared.
      for (const server of servers) await load(server, warmup);
      // Rotate the order each round: no level always runs first (or last) on a warming machine.
      const order = levels.map((_, index) => levels[(index + round) % levels.length]!);
      for (const level of order) {
        const server = servers[levels.indexOf(level)]!;
        const cpuBefore = await treeCpuMs(server.child.pid!);
        const outcome = await load(server, seconds);
        if (outcome.errors + outcome.non2xx > 0) throw new Error(`level ${level}: ${outcome.errors} errors, ${outcome.non2xx} non-2xx`);
        // The entries of the last requests are written a moment later: their cost belongs to this run.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const perRequest = ((await treeCpuMs(server.child.pid!)) - cpuBefore) / outcome.requests.total;
        samples.get(level)!.push(outcome.requests.average);
        cpuSamples.get(level)!.push(perRequest);
        console.log(`round ${round + 1}, AUDIT_LEVEL ${level}: ${Math.round(outcome.requests.average)} req/s, ${perRequest.toFixed(2)} CPU ms/request`);
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
} finally {
  await rm(logDirectory, { recursive: true, force: true });
}
await report();

function load(server: { url: string; key: string }, duration: number) {
  return autocannon({
    url: `${server.url}/v3/clusters?limit=20`,
    headers: { accept: 'application/json', authorization: `Bearer ${server.key}` },
    connections,
    duration,
  });
}

/** One server process at `level`, logged in as the bench admin with the request limit lifted. */
async function serve(level: string, round: number): Promise<Running & { key: string }> {
  const server = await startServer('app', { BENCH_AUDIT_LEVEL: level, BENCH_AUDIT_LOG_PATH: path.join(logDirectory, `round-${round}-level-${level}.log`) });
  return { ...server, key: await benchAdminKey(server.url) };
}

async function report(): Promise<void> {
  const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  const base = samples.get('0')!;
  const cpuBase = cpuSamples.get('0')!;
  const rows = levels.map((level) => {
    const own = samples.get(level)!;
    const cpu = cpuSamples.get(level)!;
    const ratio = median(own.map((value, round) => value / base[round]!));
    // Throughput a CPU-bound server can reach is the inverse of its CPU per request.
    const cpuRatio = median(cpu.map((value, round) => cpuBase[round]! / value));
    const cost = 1 - cpuRatio;
    const verdict = budget[level] === undefined ? '—' : `${cost <= budget[level]! ? 'within' : 'OVER'} ${budget[level]! * 100} %`;
    return `| AUDIT_LEVEL ${level} | ${own.map((value) => Math.round(value)).join(' / ')} | ${ratio.toFixed(3)}× | ${cpu.map((value) => value.toFixed(2)).join(' / ')} | ${cpuRatio.toFixed(3)}× | ${level === '0' ? '—' : `${(cost * 100).toFixed(1)} %`} | ${verdict} |`;
  });
  const table = [
    '| server | req/s per round | median req/s ratio to level 0 | CPU ms per request, per round | median CPU-throughput ratio | cost | budget |',
    '| --- | --- | ---: | --- | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}: GET /v3/clusters?limit=20 (PGlite), ${rounds} interleaved rounds (three new processes each), ${connections} connections, ${warmup} s of warm-up and ${seconds} s measured each.`;
  const current = await readFile('BENCHMARKS.md', 'utf8');
  const block = `<!-- audit-results:start -->\n${stamp}\n\n${table}\n<!-- audit-results:end -->`;
  const marked = /<!-- audit-results:start -->[\s\S]*<!-- audit-results:end -->/;
  await writeFile(
    'BENCHMARKS.md',
    marked.test(current) ? current.replace(marked, block) : `${current.trimEnd()}\n\n## What the audit log costs (\`npx tsx bench/audit.ts\`)\n\n${block}\n`,
  );
  console.log(`\n${table}\n\nWritten to BENCHMARKS.md.`);
}
