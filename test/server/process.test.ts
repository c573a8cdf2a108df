import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlAs, login } from '../helpers/app.js';
import { redisReachable, redisUrl, suiteKeyPrefix } from '../helpers/redis.js';
import { subscribeSse } from '../helpers/sse.js';
import { createScratchSchema, postgresReachable, postgresUrl } from '../helpers/targets.js';
import { subscribe } from '../helpers/v3-subscribe.js';
import { startUpstream } from '../proxy/helpers.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * The real process, as `npm start` runs it: banner, first-start admin, every face once,
 * signals and start-up errors. Each test spawns what `npm start` runs (`node
 * scripts/start.mjs`: the compiled server, its packages bundled in, rebuilt first if a
 * source changed) with its own environment. The other suites run the sources, so this
 * file is where a bundling mistake shows (a package that reads files next to itself, a
 * dynamic require, a lazily imported chunk). Not
 * through tsx: its signal relay can report a SIGTERM that arrives right after start-up
 * as death by signal (exit 143) before the server's own handler is known to it.
 */
const startScript = path.resolve('scripts/start.mjs');

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | NodeJS.Signals | null>;
}

function launch(env: Record<string, string>): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | NodeJS.Signals | null>;
} {
  const child = spawn(process.execPath, [startScript], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  // The signal when one ended it, so a failure says which.
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

async function start(env: Record<string, string>): Promise<Running> {
  const { child, output, exited } = launch(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output().stdout);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${output().stderr}`));
    });
  });
  return { child, url, stdout: () => output().stdout, stderr: () => output().stderr, exited };
}

/** SIGTERM, then how it ended: `0`, or the code or signal with what it printed on stderr. */
async function stop(running: Running): Promise<0 | string> {
  running.child.kill('SIGTERM');
  const ended = await running.exited;
  return ended === 0 ? 0 : `ended with ${ended}: ${running.stderr()}`;
}

describe('the server process', () => {
  let dataDir: string;
  /** The password the first start generated for `admin`, for the tests that log in. */
  let adminPassword = '';
  /** The first start, left running for the test of every face after it. */
  let firstStart: Running | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-process-'));
    // A source edited since the last build would make the first launch rebuild and say so
    // on stderr: build first, so each launch prints only its own lines (CI's install builds anyway).
    const { ensureBuilt } = (await import(path.resolve('scripts/build.mjs'))) as { ensureBuilt: () => Promise<void> };
    await ensureBuilt();
  }, 180_000);
  afterAll(async () => {
    if (firstStart) await stop(firstStart);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is built lean: the query compiler as bytes, not base64 text, and the chunks as one-byte text', async () => {
    const program = path.resolve('dist/program');
    const names = await readdir(program);
    expect(names.filter((name) => name.includes('base64'))).toEqual([]);
    expect(WebAssembly.validate(await readFile(path.join(program, 'query-compiler.wasm')))).toBe(true);
    // V8 keeps each module's text while the module lives, at two bytes a character when one
    // character is beyond Latin-1 (a typographic quote in a kept comment was enough). One
    // package's regular expression is left (about 0.7 MB of text); our own chunks, 1.5 MB
    // and more, would push a regression past this bound.
    let twoByteText = 0;
    for (const name of names.filter((file) => file.endsWith('.js'))) {
      const text = await readFile(path.join(program, name), 'utf8');
      if (/[\u0100-\uffff]/.test(text)) twoByteText += text.length;
    }
    expect(twoByteText).toBeLessThan(1_000_000);
  });

  it('starts on the embedded database, prints its URLs and the generated admin password once', async () => {
    const first = await start({ DATA_DIR: dataDir });
    expect(first.stdout()).toMatch(/GraphiQL\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(first.stdout()).toMatch(/\/v3\s+http:\/\/127\.0\.0\.1:\d+\/v3/);
    expect(first.stdout()).toMatch(/created user "admin" with password [A-Za-z0-9_-]{24}$/m);
    adminPassword = /with password ([A-Za-z0-9_-]{24})$/m.exec(first.stdout())![1]!;
    expect(await (await fetch(`${first.url}/ping`)).text()).toBe('pong');
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'ok' } });
    firstStart = first;
  });

  it('answers on every face: GraphQL, /v3, /v1, GraphiQL, the API UI, the console, the meta proxy, and live changes over SSE and WebSocket', async () => {
    const running = firstStart!;
    firstStart = undefined;
    const upstream = await startUpstream();
    let stopped: 0 | string;
    try {
      await everyFace(running.url, adminPassword, upstream.port);
      expect(upstream.seen.map(({ method, url }) => ({ method, url }))).toEqual([{ method: 'GET', url: '/smoke?through=proxy' }]);
    } finally {
      stopped = await stop(running);
      await upstream.close();
    }
    expect(stopped).toBe(0);
  });

  // What only a fleet of instances loads (Prisma's PostgreSQL adapter, node-postgres for
  // LISTEN, ioredis): each from its own chunk of the bundle, when first needed.
  it.skipIf(!postgresReachable || !redisReachable)('answers on PostgreSQL and Redis, as each instance of a fleet does', async () => {
    const schema = await createScratchSchema(postgresUrl);
    const running = await start({
      DATABASE_URL: schema.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `${suiteKeyPrefix}process:`,
      CATTLE_BOOTSTRAP_PASSWORD: 'fleet-password-123',
    });
    let stopped: 0 | string;
    try {
      expect(await (await fetch(`${running.url}/healthz`)).json()).toMatchObject({ status: 'ok', database: { status: 'ok' }, redis: { status: 'ok' } });
      const token = await login(running.url, 'admin', 'fleet-password-123');
      const sse = await subscribeSse(running.url, token, 'subscription { resourceChanges(types: ["Cluster"]) { verb id } }');
      const created = await graphqlAs(running.url, token, 'mutation { createCluster(input: { name: "fleet" }) { id } }');
      expect(created.errors).toBeUndefined();
      expect(await sse.next()).toEqual({ data: { resourceChanges: { verb: 'CREATE', id: created.data!.createCluster.id } } });
      sse.close();
    } finally {
      stopped = await stop(running);
      await schema.drop();
    }
    expect(stopped).toBe(0);
  });

  it('prints no password on the next start of the same DATA_DIR', async () => {
    const second = await start({ DATA_DIR: dataDir });
    expect(second.stdout()).not.toMatch(/password/);
    expect(await stop(second)).toBe(0);
  });

  it('does not print a password it was given', async () => {
    const otherDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-process-'));
    const running = await start({ DATA_DIR: otherDir, CATTLE_BOOTSTRAP_PASSWORD: 'given-secret-password' });
    expect(running.stdout()).not.toMatch(/given-secret-password|password/);
    expect(await stop(running)).toBe(0);
    await rm(otherDir, { recursive: true, force: true });
  });

  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const running = await start({ DATA_DIR: dataDir });
    const { port, hostname } = new URL(running.url);
    // Logging in needs no credential, so it can stand for any request in flight.
    const body = JSON.stringify({
      query: 'mutation($input: LoginInput!) { login(input: $input) { userId } }',
      variables: { input: { username: 'admin', password: adminPassword } },
    });
    // Send the headers and half the body, signal, then finish the body.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const pending = request(
        { host: hostname, port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, text }));
        },
      );
      pending.on('error', reject);
      pending.write(body.slice(0, 10));
      setTimeout(() => {
        running.child.kill('SIGTERM');
        setTimeout(() => pending.end(body.slice(10)), 300);
      }, 200);
    });
    const { status, text } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text).data.login.userId).toMatch(/^u-/);
    expect(await running.exited).toBe(0);
    // Stopped means stopped: the port no longer answers.
    await expect(fetch(`${running.url}/ping`)).rejects.toThrow();
  });

  it.each([
    ['a DATABASE_URL that is not PostgreSQL', { DATABASE_URL: 'mysql://root@127.0.0.1/test' }, /^error: DATABASE_URL: /],
    ['a PostgreSQL that does not answer', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' }, /^error: DATABASE_URL: cannot connect/],
    ['an invalid PORT', { PORT: 'eighty' }, /^error: PORT: /],
    ['an invalid LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^error: LOG_LEVEL: /],
  ])('exits 1 with one clear line for %s', async (_case, env, message) => {
    const { output, exited } = launch({ DATA_DIR: dataDir, ...env });
    expect(await exited).toBe(1);
    const { stderr, stdout } = output();
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr + stdout).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with one clear line when DATA_DIR is not writable', async () => {
    const file = path.join(dataDir, 'not-a-directory');
    await writeFile(file, '');
    const { output, exited } = launch({ DATA_DIR: path.join(file, 'data') });
    expect(await exited).toBe(1);
    expect(output().stderr.trim()).toMatch(/^error: DATA_DIR: .* is not a writable directory/);
  });

  it('exits 1 with one clear line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const otherDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-process-'));
    const { output, exited } = launch({ DATA_DIR: otherDir, PORT: String(port) });
    expect(await exited).toBe(1);
    expect(output().stderr.trim()).toBe(`error: PORT: ${port} is already in use on 127.0.0.1`);
    blocker.close();
    await rm(otherDir, { recursive: true, force: true });
  });

  it('refuses to open a data directory another server is using', async () => {
    const running = await start({ DATA_DIR: dataDir });
    const { output, exited } = launch({ DATA_DIR: dataDir });
    expect(await exited).toBe(1);
    expect(output().stderr.trim()).toMatch(/^error: DATA_DIR: .* is in use by another server \(pid \d+\)$/);
    expect(await stop(running)).toBe(0);
  });
});

/**
 * One request or stream on each face of a running server, with exact answers: each face
 * loads its own part of the bundle (several lazily, as chunks of their own), and static
 * pages read files from node_modules and dashboard/dist.
 */
async function everyFace(url: string, adminPassword: string, upstreamPort: number): Promise<void> {
  const token = await login(url, 'admin', adminPassword);
  expect(token).toMatch(/^token-[a-z0-9]+:[\w-]+$/);
  const admin = { url, token };
  const graphql = (query: string, variables?: Record<string, unknown>) => graphqlAs(url, token, query, variables);
  // Norman's socket is in place at its first ping, up to five seconds away: open it first
  // and check the pages and the proxy meanwhile.
  const socketOpening = subscribe(admin, '?resourceTypes=cluster');
  socketOpening.catch(() => undefined);

  expect(await (await fetch(`${url}/ping`)).text()).toBe('pong');

  // GraphiQL: the page and its stylesheet, served from @graphql-yoga/graphiql's own files.
  const graphiql = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
  expect(graphiql.status).toBe(200);
  expect(graphiql.headers.get('content-type')).toMatch(/^text\/html/);
  const graphiqlPage = await graphiql.text();
  expect(graphiqlPage).toContain('<title>Management API — GraphiQL</title>');
  await expectAsset(url, graphiqlPage, /href="(\/graphiql-assets\/[^"]+\/graphiql\.css)"/, 'text/css; charset=utf-8');

  // The /v3 API UI for a browser, and its script.
  const browser = { authorization: `Bearer ${token}`, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', accept: 'text/html' };
  const apiUi = await fetch(`${url}/v3/clusters`, { headers: browser });
  expect(apiUi.status).toBe(200);
  expect(apiUi.headers.get('content-type')).toMatch(/^text\/html/);
  const apiUiPage = await apiUi.text();
  expect(apiUiPage).toContain('"resourceType":"cluster"');
  await expectAsset(url, apiUiPage, /<script src="(\/api-ui\/[0-9a-f]{12}\/api-ui\.js)" defer>/, 'text/javascript; charset=utf-8');

  // The console: its page and its script, from dashboard/dist.
  const consolePage = await fetch(`${url}/dashboard`);
  expect(consolePage.status).toBe(200);
  const consoleHtml = await consolePage.text();
  expect(consoleHtml).toContain('<title>Management console</title>');
  await expectAsset(url, consoleHtml, /src="(\/dashboard\/assets\/[^"]+\.js)"/, 'text/javascript; charset=utf-8');

  // The meta proxy, to a local upstream put on the allow list.
  const allowed = await graphql('mutation { updateSetting(id: "whitelist-domain", input: { value: "127.0.0.1" }) { value } }');
  expect(allowed).toEqual({ data: { updateSetting: { value: '127.0.0.1' } } });
  const proxied = await fetch(`${url}/meta/proxy/http:/127.0.0.1:${upstreamPort}/smoke?through=proxy`, { headers: { authorization: `Bearer ${token}` } });
  expect(proxied.status).toBe(200);
  expect(await proxied.json()).toMatchObject({ method: 'GET', url: '/smoke?through=proxy', headers: { host: `127.0.0.1:${upstreamPort}` } });

  // Live changes over SSE (from the revision before the write) and WebSocket, then a
  // GraphQL mutation they both hear of.
  const since = await graphql('{ changeRevision }');
  expect(since.errors).toBeUndefined();
  const sse = await subscribeSse(
    url,
    token,
    'subscription($since: String) { resourceChanges(types: ["Cluster"], since: $since) { verb type id node { ... on Cluster { name } } } }',
    {
      since: since.data!.changeRevision,
    },
  );
  expect(sse.status).toBe(200);
  const socket = await socketOpening;
  const created = await graphql('mutation { createCluster(input: { name: "smoke", description: "every face" }) { id name description } }');
  expect(created.errors).toBeUndefined();
  const id = created.data!.createCluster.id as string;
  expect(created.data!.createCluster).toEqual({ id, name: 'smoke', description: 'every face' });
  expect(await sse.next()).toEqual({ data: { resourceChanges: { verb: 'CREATE', type: 'Cluster', id, node: { name: 'smoke' } } } });
  sse.close();
  // Norman pings every five seconds from the socket's start: after checks that took longer (a
  // busy machine), a ping comes before the change.
  let told = await socket.next();
  while (told.name === 'ping') told = await socket.next();
  expect(told).toMatchObject({ name: 'resource.create', data: { id, type: 'cluster', name: 'smoke', description: 'every face' } });
  socket.close();

  // A kubeconfig (its YAML writer is loaded with the first one).
  const kubeconfig = await graphql('mutation($id: ID!) { generateClusterKubeconfig(id: $id) { config } }', { id });
  expect(kubeconfig.errors).toBeUndefined();
  expect(kubeconfig.data!.generateClusterKubeconfig.config).toMatch(/^apiVersion: v1\nkind: Config\n/);

  // The same cluster through GraphQL, /v3 and /v1.
  const read = await graphql('query($id: ID!) { cluster(id: $id) { id name } }', { id });
  expect(read).toEqual({ data: { cluster: { id, name: 'smoke' } } });
  const norman = await v3(admin, 'GET', `/v3/clusters/${id}`);
  expect(norman.status).toBe(200);
  expect(norman.body).toMatchObject({ id, type: 'cluster', name: 'smoke', description: 'every face' });
  const list = await v3(admin, 'GET', '/v3/clusters?name=smoke');
  expect(list.status).toBe(200);
  expect(list.body).toMatchObject({ type: 'collection', resourceType: 'cluster', data: [{ id, name: 'smoke' }] });
  const steve = await v3(admin, 'GET', '/v1/provisioning.cattle.io.clusters/fleet-default/smoke');
  expect(steve.status).toBe(200);
  expect(steve.body).toMatchObject({
    id: 'fleet-default/smoke',
    apiVersion: 'provisioning.cattle.io/v1',
    kind: 'Cluster',
    metadata: { name: 'smoke', namespace: 'fleet-default' },
    status: { clusterName: id },
  });

  await expectRequestErrors(url, token);
}

/**
 * Refused documents and variables come back with their own codes (README, "Errors") from the
 * compiled program too: the bundle once held a second copy of graphql-js's parser, whose
 * syntax errors Yoga did not know as GraphQL errors and answered as unexpected ones.
 */
async function expectRequestErrors(url: string, token: string): Promise<void> {
  const post = async (body: Record<string, unknown>) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { errors?: { message: string; locations?: unknown; extensions?: { code?: string } }[] },
    };
  };
  const syntax = await post({ query: '{ me { id }' });
  expect(syntax).toEqual({
    status: 400,
    body: {
      errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 12 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
    },
  });
  const invalid = await post({ query: '{ me { nonsense } }' });
  expect(invalid.status).toBe(400);
  expect(invalid.body.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  const badVariable = await post({ query: 'query($first: Int) { clusters(first: $first) { totalCount } }', variables: { first: 'many' } });
  expect(badVariable.status).toBe(400);
  expect(badVariable.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
}

/** Finds an asset's URL in a page by `pattern` and fetches it: 200, of `type`, not empty. */
async function expectAsset(url: string, page: string, pattern: RegExp, type: string): Promise<void> {
  const asset = pattern.exec(page)?.[1];
  expect(asset, `no ${pattern} in the page`).toBeDefined();
  const response = await fetch(`${url}${asset}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(type);
  expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
}
