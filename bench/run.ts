// Measures throughput and latency as RATIOS against baselines measured in the same
// run on the same machine (absolute numbers depend on the machine; ratios much
// less). Writes the table into BENCHMARKS.md between the markers.
//
// Usage: npm run bench [-- --seconds 10 --connections 50 --group api|proxy]
// (--group runs one group of scenarios and rewrites only its table.)
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

const { values: options } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, connections: { type: 'string', default: '50' }, group: { type: 'string' } },
});
const seconds = Number(options.seconds);
const connections = Number(options.connections);

type Group = 'api' | 'auth' | 'proxy';

interface Scenario {
  name: string;
  /** Each group has its own table in BENCHMARKS.md; baselines are within the group. */
  group: Group;
  server: 'raw' | 'yoga-hello' | 'app' | 'undici-forward' | 'http-proxy-forward';
  env?: Record<string, string>;
  request: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> };
  /** Log in as the bench admin first and send its key (every API operation needs a caller): as Bearer (true) or Basic. */
  authenticated?: boolean | 'basic';
  /** The scenario(s) whose throughput this one is divided by. */
  baseline?: string | string[];
}

const clustersQuery = JSON.stringify({ query: '{ clusters(first: 20) { totalCount edges { node { id name state projects { totalCount } } } } }' });
// What /v3 selects for a cluster, asked through GraphQL: the fair comparison for /v3.
const clustersAllFields = JSON.stringify({
  query: '{ clusters(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node { annotations created creatorId description id labels name state transitioning transitioningMessage } } } }',
});
const json = { 'content-type': 'application/json' };
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const scratchSchemas: string[] = [];

const rootPath = { method: 'GET' as const, path: '/v3', headers: { accept: 'application/json' } };
const scenarios: Scenario[] = [
  // What a credential costs per request: SHA-256 of the secret against a cached row, the
  // rate-limit count and the setting it reads. Same route, same answer, with and without.
  { name: 'this server: GET /ping (no credential)', group: 'auth', server: 'app', request: { method: 'GET', path: '/ping' } },
  { name: 'this server: GET /v3 root, Bearer key', group: 'auth', server: 'app', authenticated: true, request: rootPath, baseline: 'this server: GET /ping (no credential)' },
  { name: 'this server: GET /v3 root, Basic key', group: 'auth', server: 'app', authenticated: 'basic', request: rootPath, baseline: 'this server: GET /v3 root, Bearer key' },
  { name: 'raw node:http, fixed bytes (the limit)', group: 'api', server: 'raw', request: { method: 'GET', path: '/' } },
  { name: 'graphql-yoga hello world (the peer)', group: 'api', server: 'yoga-hello', request: { method: 'POST', path: '/graphql', body: '{"query":"{ hello }"}', headers: json }, baseline: 'raw node:http, fixed bytes (the limit)' },
  { name: 'this server: GET /ping', group: 'api', server: 'app', request: { method: 'GET', path: '/ping' }, baseline: 'raw node:http, fixed bytes (the limit)' },
  { name: 'this server: GraphQL 20 clusters + project counts (PGlite)', group: 'api', server: 'app', authenticated: true, request: { method: 'POST', path: '/graphql', body: clustersQuery, headers: json }, baseline: 'graphql-yoga hello world (the peer)' },
  { name: 'this server: GraphQL 20 clusters, all fields (PGlite)', group: 'api', server: 'app', authenticated: true, request: { method: 'POST', path: '/graphql', body: clustersAllFields, headers: json }, baseline: 'graphql-yoga hello world (the peer)' },
  { name: 'this server: /v3 20 clusters (PGlite)', group: 'api', server: 'app', authenticated: true, request: { method: 'GET', path: '/v3/clusters?limit=20', headers: { accept: 'application/json' } }, baseline: 'this server: GraphQL 20 clusters, all fields (PGlite)' },
];
if (wanted('api') && (await postgresReachable())) {
  scenarios.push({
    name: 'this server: GraphQL 20 clusters + project counts (PostgreSQL)',
    group: 'api',
    server: 'app',
    authenticated: true,
    env: { BENCH_DATABASE_URL: await scratchSchemaUrl() },
    request: { method: 'POST', path: '/graphql', body: clustersQuery, headers: json },
    baseline: 'graphql-yoga hello world (the peer)',
  });
}

// The proxy group forwards to one upstream (raw node:http, fixed bytes), started once.
const upstream = wanted('proxy') ? await startServer({ server: 'raw' }) : undefined;
if (upstream) {
  const env = { BENCH_UPSTREAM: `http://127.0.0.1:${upstream.port}` };
  const limit = 'undici forwarding to the upstream (the limit)';
  scenarios.push(
    { name: limit, group: 'proxy', server: 'undici-forward', env, request: { method: 'GET', path: '/' } },
    { name: 'http-proxy bare forward (the peer)', group: 'proxy', server: 'http-proxy-forward', env, request: { method: 'GET', path: '/' }, baseline: limit },
    {
      name: 'this server: /meta/proxy/ to the upstream (PGlite)',
      group: 'proxy',
      server: 'app',
      env,
      authenticated: true,
      request: { method: 'GET', path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/` },
      baseline: [limit, 'http-proxy bare forward (the peer)'],
    },
  );
}

interface Result {
  scenario: Scenario;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const results: Result[] = [];
for (const scenario of scenarios.filter((candidate) => wanted(candidate.group))) {
  const { child, port } = await startServer(scenario);
  try {
    const key = scenario.authenticated ? await benchAdminKey(port) : undefined;
    const credential = !key ? {} : { authorization: scenario.authenticated === 'basic' ? `Basic ${Buffer.from(key).toString('base64')}` : `Bearer ${key}` };
    const outcome = await autocannon({
      url: `http://127.0.0.1:${port}${scenario.request.path}`,
      method: scenario.request.method,
      ...(scenario.request.body ? { body: scenario.request.body } : {}),
      headers: { ...scenario.request.headers, ...credential },
      connections,
      duration: seconds,
    });
    results.push({
      scenario,
      requestsPerSecond: outcome.requests.average,
      p50: outcome.latency.p50,
      p99: outcome.latency.p99,
      errors: outcome.errors + outcome.non2xx,
    });
    console.log(`${scenario.name}: ${Math.round(outcome.requests.average)} req/s, p99 ${outcome.latency.p99} ms`);
  } finally {
    child.kill('SIGTERM');
  }
}

for (const group of ['api', 'auth', 'proxy'] as const) {
  if (wanted(group)) await writeReport(group, results.filter((result) => result.scenario.group === group));
}
upstream?.child.kill('SIGTERM');
await dropScratchSchemas();

function wanted(group: Group): boolean {
  return options.group === undefined || options.group === group;
}

/** The session key of the admin that bench/servers/app.ts creates. */
async function benchAdminKey(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/v3-public/localProviders/local?action=login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'admin', password: 'bench-password-123' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`bench login failed: ${response.status}`);
  // The bench measures serving, not refusing: lift the per-user limit (it is still counted).
  const raised = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${body.token}` },
    body: JSON.stringify({ query: 'mutation { updateSetting(id: "api-rate-limit", input: { value: "1000000000" }) { value } }' }),
  });
  if (!raised.ok) throw new Error(`bench could not lift api-rate-limit: ${raised.status}`);
  return body.token;
}

async function startServer(scenario: Pick<Scenario, 'server' | 'env'>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), [`bench/servers/${scenario.server}.ts`], {
    env: { ...process.env, ...scenario.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${scenario.server} exited with ${code}`)));
  });
  return { child, port };
}

async function writeReport(group: Group, rows: Result[]): Promise<void> {
  const byName = new Map(rows.map((row) => [row.scenario.name, row]));
  const table = [
    '| scenario | req/s | p50 ms | p99 ms | errors | ratio | against |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((row) => {
      const baselines = [row.scenario.baseline ?? []].flat().filter((name) => byName.has(name));
      const ratios = baselines.map((name) => `${(row.requestsPerSecond / byName.get(name)!.requestsPerSecond).toFixed(2)}×`);
      return `| ${row.scenario.name} | ${Math.round(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${row.errors} | ${ratios.join('<br>') || '1.00×'} | ${baselines.join('<br>') || '—'} |`;
    }),
  ].join('\n');
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${connections} connections, ${seconds} s per scenario, load generator on the same machine.`;
  const file = 'BENCHMARKS.md';
  const current = await readFile(file, 'utf8');
  // Each group's table sits between its own markers, so one group can be re-measured alone.
  const marker = group === 'api' ? 'results' : `${group}-results`;
  const updated = current.replace(new RegExp(`<!-- ${marker}:start -->[\\s\\S]*<!-- ${marker}:end -->`), `<!-- ${marker}:start -->\n${stamp}\n\n${table}\n<!-- ${marker}:end -->`);
  await writeFile(file, updated);
  console.log(`\n${table}\n\nWritten to ${file}.`);
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema per run, so the seed data starts from nothing; dropped at the end. */
async function scratchSchemaUrl(): Promise<string> {
  const schema = `bench_${Date.now().toString(36)}`;
  scratchSchemas.push(schema);
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
}

async function dropScratchSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const schema of scratchSchemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
