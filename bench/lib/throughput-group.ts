import { throughput, type LoadRequest } from './load.js';
import { benchAdminKey, startServer, type Running } from './servers.js';
import { treeCpuMs } from './rss.js';
import { interleaved } from './stats.js';
import type { BenchOptions, Measurement } from './types.js';

export interface ThroughputScenario {
  name: string;
  /** A file in bench/servers/. Scenarios with the same server and env share one process. */
  server: string;
  env?: Record<string, string>;
  request: LoadRequest;
  /** Log in as the bench admin first and send its key, as Bearer (true) or Basic. */
  authenticated?: boolean | 'basic';
  baseline?: string[];
  target?: string;
  note?: string;
  /**
   * Also report the server's CPU time per request (µs), round by round: throughput on a
   * two-core machine shared with the load generator swings with whatever else runs, CPU
   * per request hardly does. Baselines and target apply to it as to the rate.
   */
  serverCpu?: { target?: string };
}

/** `request` with the bench admin's key, as Bearer (true) or Basic; as it is without `authenticated`. */
export async function withCredential(url: string, request: LoadRequest, authenticated: ThroughputScenario['authenticated']): Promise<LoadRequest> {
  if (!authenticated) return request;
  const key = await benchAdminKey(url);
  const authorization = authenticated === 'basic' ? `Basic ${Buffer.from(key).toString('base64')}` : `Bearer ${key}`;
  return { ...request, headers: { ...request.headers, authorization } };
}

/** The name of a scenario's CPU-per-request measurement. */
const cpuPerRequest = (scenario: string) => `${scenario}: server CPU per request`;

export interface ThroughputGroupOptions {
  /**
   * New server processes for every round (each warmed up again), where starting one is
   * cheap. Two processes of one build differ by as much as 10–30 % in rate and CPU a
   * request (BENCHMARKS.md, auth and proxy): with one process per scenario for the whole
   * run, one slow process sets every round's ratio; with one per round, it sets one round's.
   */
  processPerRound?: boolean;
  /** Untimed load before a scenario's first measurement on a server (2 s unless a group needs its servers settled longer). */
  warmupSeconds?: number;
}

/**
 * Starts the servers the scenarios need (once, or once per round), warms each scenario
 * up, then measures them in interleaved rounds: each round runs every scenario once.
 */
export async function measureThroughput(
  scenarios: ThroughputScenario[],
  options: BenchOptions,
  { processPerRound = false, warmupSeconds = 2 }: ThroughputGroupOptions = {},
): Promise<Measurement[]> {
  let servers = new Map<string, Promise<Running>>();
  const stopServers = async () => {
    const stopping = [...servers.values()];
    servers = new Map();
    await Promise.all(stopping.map(async (server) => (await server.catch(() => undefined))?.stop()));
  };
  const serverOf = (scenario: ThroughputScenario) => {
    const key = `${scenario.server} ${JSON.stringify(scenario.env ?? {})}`;
    if (!servers.has(key)) servers.set(key, startServer(scenario.server, scenario.env));
    return servers.get(key)!;
  };
  /** The scenario's server, with the scenario's credential on its request, warmed up. */
  const prepare = async (scenario: ThroughputScenario) => {
    const server = await serverOf(scenario);
    const request = await withCredential(server.url, scenario.request, scenario.authenticated);
    // Warm-up: JIT, caches, connection pools.
    await throughput(server.url, request, { ...options, seconds: warmupSeconds });
    return { server, request };
  };
  const samples = new Map(scenarios.flatMap((scenario) => [scenario.name, cpuPerRequest(scenario.name)].map((name) => [name, [] as number[]])));
  try {
    // One process per scenario for the run: started and warmed up here, before the rounds.
    const forTheRun = new Map<ThroughputScenario, Awaited<ReturnType<typeof prepare>>>();
    if (!processPerRound) for (const scenario of scenarios) forTheRun.set(scenario, await prepare(scenario));
    let serversRound = 0;
    await interleaved(options.rounds, scenarios, async (scenario, round) => {
      if (processPerRound && round !== serversRound) {
        await stopServers();
        serversRound = round;
      }
      const { server, request } = forTheRun.get(scenario) ?? (await prepare(scenario));
      const cpuBefore = await treeCpuMs(server.child.pid!);
      const value = await throughput(server.url, request, options);
      const cpuMicros = (((await treeCpuMs(server.child.pid!)) - cpuBefore) * 1000) / (value * options.seconds);
      samples.get(scenario.name)!.push(value);
      samples.get(cpuPerRequest(scenario.name))!.push(cpuMicros);
      console.log(`  round ${round + 1}: ${scenario.name}: ${Math.round(value)} req/s, ${Math.round(cpuMicros)} µs of server CPU a request`);
    });
  } finally {
    await stopServers();
  }
  const rates = scenarios.map(
    (scenario): Measurement => ({
      scenario: scenario.name,
      unit: 'req/s',
      samples: samples.get(scenario.name)!,
      better: 'higher',
      ...(scenario.baseline ? { baseline: scenario.baseline } : {}),
      ...(scenario.target ? { target: scenario.target } : {}),
      ...(scenario.note ? { note: scenario.note } : {}),
    }),
  );
  const cpu = scenarios
    .filter((scenario) => scenario.serverCpu)
    .map(
      (scenario): Measurement => ({
        scenario: cpuPerRequest(scenario.name),
        unit: 'µs',
        samples: samples.get(cpuPerRequest(scenario.name))!,
        better: 'lower',
        ...(scenario.baseline ? { baseline: scenario.baseline.map(cpuPerRequest) } : {}),
        ...(scenario.serverCpu?.target ? { target: scenario.serverCpu.target } : {}),
      }),
    );
  return [...rates, ...cpu];
}
