// Resident memory of the server as `npm start` runs it (compiled), idle after a short
// warm-up, on PGlite and on PostgreSQL, against a bare PGlite + node:http process; then
// a soak: mixed load for --soak-minutes (1 by default, 10 for the target), RSS
// sampled every 10 s, growth = last sample / first sample after the first minute.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { launchUntilPing } from '../lib/process-start.js';
import { postgresReachable, scratchSchema } from '../lib/postgres.js';
import { rssMb, sleep } from '../lib/rss.js';
import { benchAdminKey } from '../lib/servers.js';
import { interleaved, summary } from '../lib/stats.js';
import type { BenchGroup, BenchOptions, Measurement } from '../lib/types.js';

const bare = 'bare PGlite (defaults) + node:http, idle';
const embedded = 'this server on PGlite, idle after warm-up';
const postgres = 'this server on PostgreSQL, idle after warm-up';
const json = { 'content-type': 'application/json' };
const listQuery = JSON.stringify({ query: '{ clusters(first: 20) { totalCount edges { node { id name state projects { totalCount } } } } }' });
let soakNote = '';

export const group: BenchGroup = {
  name: 'memory',
  async run(options) {
    const schema = (await postgresReachable()) ? scratchSchema() : undefined;
    const scenarios = [bare, embedded, ...(schema ? [postgres] : [])];
    const samples = new Map(scenarios.map((name) => [name, [] as number[]]));
    const scratch = await mkdtemp(path.join(tmpdir(), 'cattle-graph-bench-memory-'));
    try {
      await interleaved(options.rounds, scenarios, async (name, round) => {
        const value =
          name === bare
            ? await bareIdle()
            : await serverIdle(name === postgres ? { DATABASE_URL: schema!.url } : { DATA_DIR: await mkdtemp(path.join(scratch, 'data-')) });
        samples.get(name)!.push(value);
        console.log(`  round ${round + 1}: ${name}: ${value.toFixed(0)} MB`);
      });
      soakNote = await soak(options, await mkdtemp(path.join(scratch, 'soak-')));
    } finally {
      await rm(scratch, { recursive: true, force: true });
      await schema?.drop();
    }
    return scenarios.map(
      (name): Measurement => ({
        scenario: name,
        unit: 'MB',
        samples: samples.get(name)!,
        better: 'lower',
        ...(name === bare ? {} : { baseline: [bare], target: name === embedded ? '≤ 350 MB' : '≤ 120 MB' }),
      }),
    );
  },
  notes: () => ["Ratio: the bare PGlite process's RSS over this one's (above 1 means leaner than the bare floor).", soakNote],
};

async function bareIdle(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/servers/pglite-bare.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`pglite-bare exited with ${code}`)));
  });
  for (let request = 0; request < 20; request += 1) await fetch(`http://127.0.0.1:${port}/`).then((response) => response.text());
  await sleep(3_000);
  const value = await rssMb(child.pid!);
  child.kill('SIGTERM');
  await exited;
  return value;
}

/** The compiled server (the program `npm start` runs), warmed up with a login, GraphQL and /v3 reads, then left idle for 3 s. */
async function serverIdle(env: Record<string, string>): Promise<number> {
  const launched = await launchUntilPing(process.execPath, ['scripts/start.mjs'], { ...env, CATTLE_BOOTSTRAP_PASSWORD: 'bench-password-123' });
  try {
    await warmUp(`http://127.0.0.1:${launched.port}`);
    await sleep(3_000);
    return await rssMb(launched.pid);
  } finally {
    await launched.stop();
  }
}

async function warmUp(url: string): Promise<string> {
  const key = await benchAdminKey(url);
  const headers = { ...json, authorization: `Bearer ${key}` };
  for (let request = 0; request < 20; request += 1) {
    await fetch(`${url}/graphql`, { method: 'POST', headers, body: listQuery }).then((response) => response.text());
    await fetch(`${url}/v3/clusters`, { headers }).then((response) => response.text());
  }
  return key;
}

/** Mixed reads and writes on PGlite for the soak's length; RSS every 10 s. */
async function soak(options: BenchOptions, dataDir: string): Promise<string> {
  const launched = await launchUntilPing(process.execPath, ['scripts/start.mjs'], { DATA_DIR: dataDir, CATTLE_BOOTSTRAP_PASSWORD: 'bench-password-123' });
  const url = `http://127.0.0.1:${launched.port}`;
  try {
    const key = await warmUp(url);
    const headers = { ...json, authorization: `Bearer ${key}` };
    const created = (await fetch(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: 'mutation { createCluster(input: { name: "soak" }) { id } }' }),
    }).then((response) => response.json())) as {
      data: { createCluster: { id: string } };
    };
    const id = created.data.createCluster.id;
    const rss: number[] = [];
    const sampler = setInterval(() => void rssMb(launched.pid).then((value) => rss.push(value)), 10_000);
    const outcome = await autocannon({
      url,
      connections: 10,
      duration: options.soakMinutes * 60,
      headers,
      requests: [
        { method: 'POST', path: '/graphql', body: listQuery },
        { method: 'GET', path: '/v3/clusters?limit=20' },
        { method: 'GET', path: `/v3/clusters/${id}` },
        { method: 'POST', path: '/graphql', body: JSON.stringify({ query: `mutation { updateCluster(id: "${id}", input: { description: "soak" }) { id } }` }) },
        { method: 'GET', path: '/v3/settings' },
      ],
    });
    clearInterval(sampler);
    // What stays, not where a collection happened to fall: the lowest sample of each
    // half of the run after its first minute (caches and JIT settle in it), or of the
    // whole run when it is that short. A single late sample can land on either side of
    // the garbage collector's sawtooth.
    const settled = rss.length > 8 ? rss.slice(6) : rss;
    const half = Math.max(1, Math.floor(settled.length / 2));
    const early = Math.min(...settled.slice(0, half));
    const late = Math.min(...settled.slice(half));
    return `Soak (PGlite, ${options.soakMinutes} min, 10 connections, list/get/update/settings mixed, ${Math.round(outcome.requests.average)} req/s, ${outcome.errors + outcome.non2xx} errors): RSS ${summary(rss)} MB over the run, sampled every 10 s; lowest sample ${early.toFixed(0)} MB in the first half → ${late.toFixed(0)} MB in the second (${(((late - early) / early) * 100).toFixed(1)} %; target ≤ +10 %).`;
  } finally {
    await launched.stop();
  }
}
