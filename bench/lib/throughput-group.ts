import { throughput, type LoadRequest } from './load.js';
import { benchAdminKey, startServer, type Running } from './servers.js';
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
}

/**
 * Starts every server the scenarios need once, warms each scenario up, then measures
 * them in interleaved rounds: each round runs every scenario once.
 */
export async function measureThroughput(scenarios: ThroughputScenario[], options: BenchOptions): Promise<Measurement[]> {
  const servers = new Map<string, Promise<Running>>();
  const serverOf = (scenario: ThroughputScenario) => {
    const key = `${scenario.server} ${JSON.stringify(scenario.env ?? {})}`;
    if (!servers.has(key)) servers.set(key, startServer(scenario.server, scenario.env));
    return servers.get(key)!;
  };
  const samples = new Map(scenarios.map((scenario) => [scenario.name, [] as number[]]));
  try {
    const prepared = [];
    for (const scenario of scenarios) {
      const server = await serverOf(scenario);
      const key = scenario.authenticated ? await benchAdminKey(server.url) : undefined;
      const credential: Record<string, string> = !key
        ? {}
        : { authorization: scenario.authenticated === 'basic' ? `Basic ${Buffer.from(key).toString('base64')}` : `Bearer ${key}` };
      const request = { ...scenario.request, headers: { ...scenario.request.headers, ...credential } };
      // Warm-up: JIT, caches, connection pools.
      await throughput(server.url, request, { ...options, seconds: 2 });
      prepared.push({ scenario, server, request });
    }
    await interleaved(options.rounds, prepared, async ({ scenario, server, request }, round) => {
      const value = await throughput(server.url, request, options);
      samples.get(scenario.name)!.push(value);
      console.log(`  round ${round + 1}: ${scenario.name}: ${Math.round(value)} req/s`);
    });
  } finally {
    await Promise.all([...servers.values()].map(async (server) => (await server.catch(() => undefined))?.stop()));
  }
  return scenarios.map((scenario) => ({
    scenario: scenario.name,
    unit: 'req/s',
    samples: samples.get(scenario.name)!,
    better: 'higher',
    ...(scenario.baseline ? { baseline: scenario.baseline } : {}),
    ...(scenario.target ? { target: scenario.target } : {}),
    ...(scenario.note ? { note: scenario.note } : {}),
  }));
}
