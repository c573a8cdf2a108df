// The clusters-list comparison (issue 11): the query
//   clusters(first: 100) { edges { node { id name state created labels projects { totalCount } } } }
// on 100 clusters × 3 projects, answered by this server, by the peer (graphql-yoga +
// graphql-js SDL + Prisma findMany with _count, no auth) and by the limit (node:http +
// one SQL + JSON.stringify), on PostgreSQL and on PGlite. The three run side by side and
// are measured in interleaved rounds; ratios are taken within a round, then the median
// and range over the rounds are reported.
//
// Usage: npm run bench:clusters [-- --seconds 5 --connections 50 --rounds 3]
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchAdminKey, startServer } from './lib/servers.js';
import { clustersListQuery } from './servers/cluster-fixture.js';

const { values: options } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' }, rounds: { type: 'string', default: '3' } },
});
const seconds = Number(options.seconds);
const connections = Number(options.connections);
const rounds = Number(options.rounds);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const body = JSON.stringify({ query: clustersListQuery });

type Contender = 'this server' | 'peer' | 'limit';
const serverFile: Record<Contender, string> = { 'this server': 'app-clusters', peer: 'peer-yoga-prisma', limit: 'limit-sql' };

interface Running {
  child: ChildProcess;
  port: number;
  headers: Record<string, string>;
}

const lines: string[] = [];
const loadAtStart = loadavg()[0]!;
const scratch = `bench_clusters_${Date.now().toString(36)}`;
for (const engine of ['PostgreSQL', 'PGlite'] as const) {
  const env: Record<string, string> = engine === 'PostgreSQL' ? { BENCH_DATABASE_URL: withSchema(postgresUrl, scratch) } : {};
  // Ours first: on PostgreSQL it migrates and seeds the schema the others then share.
  const servers = {} as Record<Contender, Running>;
  try {
    for (const contender of ['this server', 'peer', 'limit'] as const)
      servers[contender] = await start(serverFile[contender], env, contender === 'this server');
    await checkSameAnswer(servers);
    const rates: Record<Contender, number[]> = { 'this server': [], peer: [], limit: [] };
    for (let round = 0; round < rounds; round += 1) {
      for (const contender of ['limit', 'peer', 'this server'] as const) {
        const rate = await measure(servers[contender]);
        rates[contender].push(rate);
        console.log(`${engine} round ${round + 1}: ${contender} ${Math.round(rate)} req/s`);
      }
    }
    lines.push(...report(engine, rates));
  } finally {
    for (const running of Object.values(servers)) running.child.kill('SIGTERM');
  }
}
await dropSchema(scratch);
await writeReport();

async function measure(server: Running): Promise<number> {
  const outcome = await autocannon({
    url: `http://127.0.0.1:${server.port}/graphql`,
    method: 'POST',
    body,
    headers: server.headers,
    connections,
    duration: seconds,
  });
  if (outcome.errors + outcome.non2xx > 0) throw new Error(`${outcome.errors + outcome.non2xx} failed requests`);
  return outcome.requests.average;
}

/** All three must answer the same data, or the comparison means nothing. */
async function checkSameAnswer(servers: Record<Contender, Running>): Promise<void> {
  const answers = await Promise.all(
    Object.values(servers).map(async (server) => {
      const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, { method: 'POST', headers: server.headers, body });
      return (await response.json()) as unknown;
    }),
  );
  if (!answers.every((answer) => isDeepStrictEqual(answer, answers[0])))
    throw new Error(`the servers disagree: ${answers.map((answer) => JSON.stringify(answer).slice(0, 300)).join('\n')}`);
}

function report(engine: string, rates: Record<Contender, number[]>): string[] {
  const ratio = (of: Contender, to: Contender) =>
    summary(
      rates[of].map((rate, index) => rate / rates[to][index]!),
      (value) => `${value.toFixed(2)}×`,
    );
  return [
    `| ${engine} | ${summary(rates.limit, Math.round)} | ${summary(rates.peer, Math.round)} | ${summary(rates['this server'], Math.round)} | ${ratio('this server', 'peer')} | ${ratio('this server', 'limit')} |`,
  ];
}

/** Median, and the range over the rounds. */
function summary(values: number[], format: (value: number) => string | number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${format(median)} (${format(sorted[0]!)}–${format(sorted.at(-1)!)})`;
}

async function writeReport(): Promise<void> {
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}: ${rounds} interleaved rounds of ${seconds} s, ${connections} connections, load generator on the same machine (load average, 1 min: ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end); median (range) of req/s, ratios taken within each round.`,
    '',
    '| database | limit req/s | peer req/s | this server req/s | this server ÷ peer | this server ÷ limit |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...lines,
  ].join('\n');
  const file = 'BENCHMARKS.md';
  const current = await readFile(file, 'utf8');
  const block = `<!-- clusters-list-results:start -->\n${table}\n<!-- clusters-list-results:end -->`;
  const updated = current.includes('<!-- clusters-list-results:start -->')
    ? current.replace(/<!-- clusters-list-results:start -->[\s\S]*<!-- clusters-list-results:end -->/, block)
    : `${current.trimEnd()}\n\n## The clusters list against the peer and the limit\n\n\`${clustersListQuery}\` on 100 clusters × 3 projects (bench/clusters-list.ts). The peer is graphql-yoga + a graphql-js SDL schema + Prisma \`findMany\` with \`include: { _count }\`, no authentication (bench/servers/peer-yoga-prisma.ts); the limit is node:http + one SQL statement + \`JSON.stringify\` (bench/servers/limit-sql.ts); same database and data.\n\n${block}\n`;
  await writeFile(file, updated);
  console.log(`\n${table}\n\nWritten to ${file}.`);
}

async function start(file: string, env: Record<string, string>, authenticated: boolean): Promise<Running> {
  const { child, port, url } = await startServer(file, env);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // Ours needs a caller: the bench admin's session key, with the per-user rate limit lifted (still counted).
  if (authenticated) headers.authorization = `Bearer ${await benchAdminKey(url)}`;
  return { child, port, headers };
}

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
