// What the audit log costs the list request (GET /v3/clusters?limit=20, PGlite):
// three servers — AUDIT_LEVEL 0, 1 and 3 — started side by side, measured in
// interleaved rounds (0, 1, 3, then again in rotated order) so that the machine's
// drift hits every level alike; the ratio of each level to level 0 is the median
// over the rounds. Besides requests per second it reads the CPU time each server
// process tree spent per request (/proc): on a machine shared with other work the
// throughput swings with their load, while CPU per request barely does, and for a
// CPU-bound server throughput is its inverse. Writes its table into BENCHMARKS.md
// between the audit markers.
//
// Usage: npx tsx bench/audit.ts [--rounds 3 --seconds 6 --connections 20]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { treeCpuMs } from './lib/rss.js';
import { benchAdminKey, type Running, startServer } from './lib/servers.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '6' }, connections: { type: 'string', default: '20' } },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const levels = ['0', '1', '3'] as const;
const budget: Record<string, number> = { '1': 0.05, '3': 0.15 };

const logDirectory = await mkdtemp(path.join(tmpdir(), 'cattle-graph-audit-bench-'));
const servers = await Promise.all(levels.map((level) => serve(level)));
const samples = new Map<string, number[]>(levels.map((level) => [level, []]));
/** CPU milliseconds per request, per level and round. */
const cpuSamples = new Map<string, number[]>(levels.map((level) => [level, []]));
try {
  // Untimed first: the JIT and the database caches warm up before anything is compared.
  // After 3 s a server still grew faster round by round (level 0 from 5.9 to 3.6 CPU ms per
  // request over five rounds), which the rotation could only partly even out.
  for (const server of servers) await load(server, 15);
  for (let round = 0; round < rounds; round += 1) {
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
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
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
async function serve(level: string): Promise<Running & { key: string }> {
  const server = await startServer('app', { BENCH_AUDIT_LEVEL: level, BENCH_AUDIT_LOG_PATH: path.join(logDirectory, `level-${level}.log`) });
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
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}: GET /v3/clusters?limit=20 (PGlite), ${rounds} interleaved rounds, ${connections} connections, ${seconds} s each.`;
  const current = await readFile('BENCHMARKS.md', 'utf8');
  const block = `<!-- audit-results:start -->\n${stamp}\n\n${table}\n<!-- audit-results:end -->`;
  const marked = /<!-- audit-results:start -->[\s\S]*<!-- audit-results:end -->/;
  await writeFile(
    'BENCHMARKS.md',
    marked.test(current) ? current.replace(marked, block) : `${current.trimEnd()}\n\n## What the audit log costs (\`npx tsx bench/audit.ts\`)\n\n${block}\n`,
  );
  console.log(`\n${table}\n\nWritten to BENCHMARKS.md.`);
}
