import { spawn, type ChildProcess } from 'node:child_process';
import { builtServer } from './built-servers.js';

export interface Running {
  child: ChildProcess;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts bench/servers/<name>.ts, compiled as the program is (./built-servers.ts), in production mode, and waits for its "listening <port>" line.
 * BENCH_SERVER_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) go to the server's node only:
 * Node refuses `--cpu-prof` in NODE_OPTIONS, and the load generator's profile is not the one wanted.
 * `extraNodeFlags` are a scenario's own (the auth group profiles one server).
 * The server is node itself, not the tsx CLI: behind tsx's process and its signal relay, a
 * server under load that was stopped wrote no profile at all.
 */
export async function startServer(name: string, env: Record<string, string> = {}, extraNodeFlags: string[] = []): Promise<Running> {
  const nodeFlags = [...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...extraNodeFlags];
  const child = spawn(process.execPath, [...nodeFlags, await builtServer(name)], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const json = { 'content-type': 'application/json' };

/** The session key of the admin that bench/servers/app.ts creates, with the per-user limit lifted (it is still counted). */
export async function benchAdminKey(url: string): Promise<string> {
  const response = await fetch(`${url}/v3-public/localProviders/local?action=login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'admin', password: 'bench-password-123' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`bench login failed: ${response.status}`);
  const raised = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${body.token}` },
    body: JSON.stringify({ query: 'mutation { updateSetting(id: "api-rate-limit", input: { value: "1000000000" }) { value } }' }),
  });
  if (!raised.ok) throw new Error(`bench could not lift api-rate-limit: ${raised.status}`);
  return body.token;
}
