// Live changes under load (issue 14): 1,000 concurrent GraphQL-over-SSE subscribers on
// one instance (PGlite, the server in its own process, the clients here), in interleaved
// rounds (the order of "with" and "without" alternates round by round):
//  - memory per idle subscriber: the server's RSS with 1,000 idle subscribers minus its
//    RSS just before they connected, ÷ 1,000, both read after a forced collection, in
//    rounds of their own after the bursts;
//  - p50/p99 from a write being sent to its event reaching a subscriber, for a burst of
//    100 writes (10 at a time) — an upper bound of commit → delivery, the write included;
//  - the writes' own latency with the subscribers against the same burst without them, and
//    against the same burst beside one CPU-bound process at nice 10: what any work of the
//    delivery process's and the clients' priority, on the same two cores, costs the writes
//    with no subscriber at all (the machine's floor for the ratio above).
// The subscribers live in processes of their own (BENCH_SUBSCRIBER_PROCESSES, 2 by default;
// ../lib/subscriber-fleet.ts), the writes are sent from this one. Those processes run at a
// lower priority (nice 10, as the server's delivery process does): on two cores their
// thousand sockets' reads would otherwise take turns with the server's thread at its own
// priority, a cost that subscribers on other machines — every real one — do not put on
// the server (BENCHMARKS.md, subscribers, has the same run at both priorities).
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { epochNow, type FleetReply, type FleetRequest } from '../lib/fleet-protocol.js';
import { mainThreadCpuMs, sleep, treeCpuMs, treeRssMb } from '../lib/rss.js';
import { benchAdminKey, startServer, type Running } from '../lib/servers.js';
import type { BenchGroup, Measurement } from '../lib/types.js';

const subscriberCount = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const fleetCount = Math.max(1, Number(process.env.BENCH_SUBSCRIBER_PROCESSES ?? 2));
/** The subscriber processes' niceness (BENCH_SUBSCRIBER_NICENESS=0 runs them beside the server as equals). */
const fleetNiceness = Number(process.env.BENCH_SUBSCRIBER_NICENESS ?? 10);
const writeCount = 100;
const json = { 'content-type': 'application/json' };
const idle = `memory per idle subscriber (${subscriberCount} SSE subscribers)`;
const p50 = `write sent → event delivered, p50 (${writeCount} writes × ${subscriberCount} subscribers)`;
const p99 = `write sent → event delivered, p99`;
const without = `${writeCount} writes, mean latency, no subscribers`;
const withSubscribers = `${writeCount} writes, mean latency, ${subscriberCount} subscribers`;
const besideBusy = `${writeCount} writes, mean latency, no subscribers, one CPU-bound process at nice ${fleetNiceness} beside the server`;
const cpuWithout = `server CPU time, ${writeCount} writes, no subscribers`;
const cpuWith = `server CPU time, ${writeCount} writes and their events to ${subscriberCount} subscribers`;
const threadWithout = `the server's serving thread, CPU time, ${writeCount} writes, no subscribers`;
const threadWith = `the server's serving thread, CPU time, ${writeCount} writes and their events`;
const cpuClients = `the subscribers' CPU time receiving those events (${subscriberCount} clients in ${fleetCount} processes at nice ${fleetNiceness})`;
let deliveredNote = '';
let retried = 0;

export const group: BenchGroup = {
  name: 'subscribers',
  async run(options) {
    const server = await startServer('app', { BENCH_CLUSTERS: String(writeCount) }, ['--expose-gc']);
    const fleets = Array.from({ length: fleetCount }, () => new Fleet());
    const samples = new Map<string, number[]>(
      [idle, p50, p99, without, withSubscribers, besideBusy, cpuWithout, cpuWith, threadWithout, threadWith, cpuClients].map((name) => [name, []]),
    );
    const delivered: string[] = [];
    try {
      const key = await benchAdminKey(server.url);
      const graphql = async <T = unknown>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
        const send = () =>
          fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...json, authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
        // A kept-alive connection the server closed as it was reused (ECONNRESET): once more, on a fresh one.
        const response = await send().catch(() => {
          retried += 1;
          return send();
        });
        const body = (await response.json()) as { data?: T; errors?: unknown[] };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body.data!;
      };
      for (const setting of ['stream-max-per-user', 'stream-max-per-instance'])
        await graphql(`mutation { updateSetting(id: "${setting}", input: { value: "100000" }) { id } }`);
      const ids = (
        await graphql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(`{ clusters(first: ${writeCount}) { edges { node { id } } } }`)
      ).clusters.edges.map((edge) => edge.node.id);
      const burst = (onSent?: (id: string, at: number) => void) =>
        writeBurst(ids, onSent, (id, description) =>
          graphql(`mutation($id: ID!, $d: String!) { updateCluster(id: $id, input: { description: $d }) { id } }`, { id, d: description }),
        );
      // Warm-up, unmeasured: a burst alone and a round with subscribers, so that the first
      // measured round does not pay for compiling the delivery path (it read ~1.5× the
      // p99 of later rounds in every run without it).
      await burst();
      await withSubscriberRound(server, fleets, key, burst);

      for (let round = 0; round < options.rounds; round += 1) {
        const order = (['without', 'with', 'busy'] as const).map((_, index, all) => all[(index + round) % all.length]!);
        for (const scenario of order) {
          if (scenario === 'busy') {
            const latencies = await besideBusyProcess(burst);
            samples.get(besideBusy)!.push(mean(latencies));
            console.log(`  round ${round + 1}: ${besideBusy}: ${mean(latencies).toFixed(1)} ms`);
            continue;
          }
          if (scenario === 'without') {
            const cpuBefore = await treeCpuMs(server.child.pid!);
            const threadBefore = await mainThreadCpuMs(server.child.pid!);
            const latencies = await burst();
            samples.get(cpuWithout)!.push((await treeCpuMs(server.child.pid!)) - cpuBefore);
            samples.get(threadWithout)!.push((await mainThreadCpuMs(server.child.pid!)) - threadBefore);
            samples.get(without)!.push(mean(latencies));
            console.log(`  round ${round + 1}: ${without}: ${mean(latencies).toFixed(1)} ms`);
            continue;
          }
          const result = await withSubscriberRound(server, fleets, key, burst);
          samples.get(p50)!.push(result.p50);
          samples.get(p99)!.push(result.p99);
          samples.get(withSubscribers)!.push(result.writeMean);
          samples.get(cpuWith)!.push(result.cpuMs);
          samples.get(threadWith)!.push(result.threadCpuMs);
          samples.get(cpuClients)!.push(result.clientCpuMs);
          delivered.push(`${result.delivered}/${subscriberCount * writeCount}`);
          console.log(
            `  round ${round + 1}: p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, writes ${result.writeMean.toFixed(1)} ms, server CPU ${result.cpuMs.toFixed(0)} ms, delivered ${result.delivered}`,
          );
        }
      }
      // Idle memory in rounds of its own, after the bursts: its forced collections (see
      // collected()) would otherwise come before some bursts and not others.
      for (let round = 0; round < options.rounds; round += 1) {
        const kb = await idleMemoryPerSubscriber(server, fleets, key);
        samples.get(idle)!.push(kb);
        console.log(`  idle round ${round + 1}: ${kb.toFixed(1)} KB/subscriber`);
      }
    } finally {
      for (const fleet of fleets) fleet.stop();
      await server.stop();
    }
    deliveredNote = `Events delivered per round (of writes × subscribers): ${delivered.join(', ')}; writes retried after a reset connection: ${retried}. Ratios come from interleaved rounds.`;
    const measurement = (scenario: string, unit: string, extra: Partial<Measurement> = {}): Measurement => ({
      scenario,
      unit,
      samples: samples.get(scenario)!,
      better: 'lower',
      ...extra,
    });
    return [
      measurement(idle, 'KB', { target: '≤ 50 KB' }),
      measurement(p50, 'ms'),
      measurement(p99, 'ms', { target: '≤ 250 ms' }),
      measurement(without, 'ms'),
      measurement(withSubscribers, 'ms', { baseline: [without, besideBusy], target: '≥ 0.91× no subscribers (within 10 %)' }),
      measurement(besideBusy, 'ms', { baseline: [without] }),
      measurement(cpuWithout, 'ms'),
      measurement(cpuWith, 'ms', { baseline: [cpuWithout] }),
      measurement(threadWithout, 'ms'),
      measurement(threadWith, 'ms', { baseline: [threadWithout] }),
      measurement(cpuClients, 'ms'),
    ];
  },
  notes: () => [deliveredNote],
};

/** The server's RSS with the subscribers connected and idle minus before they were, per subscriber (KB), each read after a collection. */
async function idleMemoryPerSubscriber(server: Running, fleets: Fleet[], key: string): Promise<number> {
  await collected(server);
  const before = await treeRssMb(server.child.pid!);
  await openSubscribers(server, fleets, key);
  await sleep(2_000);
  await collected(server);
  const kb = (((await treeRssMb(server.child.pid!)) - before) * 1024) / subscriberCount;
  await closeSubscribers(fleets);
  return kb;
}

/** The subscribers, shared among the fleets, each with its stream open. */
async function openSubscribers(server: Running, fleets: Fleet[], key: string): Promise<void> {
  await Promise.all(
    fleets.map((fleet, index) =>
      fleet.ask({ open: { url: server.url, key, count: Math.floor(subscriberCount / fleets.length) + (index < subscriberCount % fleets.length ? 1 : 0) } }),
    ),
  );
}

async function closeSubscribers(fleets: Fleet[]): Promise<void> {
  await Promise.all(fleets.map((fleet) => fleet.ask({ close: true })));
  await sleep(1_000);
}

async function withSubscriberRound(server: Running, fleets: Fleet[], key: string, burst: (onSent: (id: string, at: number) => void) => Promise<number[]>) {
  const sentAt = new Map<string, number>();
  await openSubscribers(server, fleets, key);
  await sleep(2_000);
  const cpuBefore = await treeCpuMs(server.child.pid!);
  const threadBefore = await mainThreadCpuMs(server.child.pid!);
  const fleetCpuBefore = await fleetCpuMs(fleets);
  const latencies = await burst((id, at) => sentAt.set(id, at));
  // Until every event arrived, or 15 s passed (then the shortfall is reported).
  const delivered = async () => (await Promise.all(fleets.map((fleet) => fleet.ask({ count: true })))).reduce((sum, reply) => sum + countOf(reply), 0);
  for (let waited = 0; (await delivered()) < subscriberCount * writeCount && waited < 15_000; waited += 100) await sleep(100);
  // The server's work for the burst and its deliveries (the wait adds an idle server's ticks only).
  const cpuMs = (await treeCpuMs(server.child.pid!)) - cpuBefore;
  const threadCpuMs = (await mainThreadCpuMs(server.child.pid!)) - threadBefore;
  const clientCpuMs = (await fleetCpuMs(fleets)) - fleetCpuBefore;
  const deliveries: number[] = [];
  for (const fleet of fleets) {
    const reply = await fleet.ask({ report: true });
    if (!('deliveries' in reply)) throw new Error(`a subscriber fleet answered ${JSON.stringify(reply)}`);
    for (const [id, at] of reply.deliveries) {
      const sent = sentAt.get(id);
      if (sent !== undefined) deliveries.push(at - sent);
    }
  }
  await closeSubscribers(fleets);
  const sorted = deliveries.sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return { p50: percentile(50), p99: percentile(99), writeMean: mean(latencies), delivered: deliveries.length, cpuMs, threadCpuMs, clientCpuMs };
}

/**
 * Asks the server to collect its garbage (bench/servers/app.ts, SIGUSR2) and gives it a
 * moment. Without it the idle reading moved with the collector: a round right after a
 * burst read −83 KB a subscriber (that burst's garbage collected while they connected),
 * another +57 KB (2026-12-06 13:16). The delivery process, if running, is not collected:
 * it holds the sockets and little else. Only for the idle readings: bursts after a forced
 * collection ran slower (the server's CPU for 100 writes without subscribers read 740 ms in
 * a run that collected before every burst, 445 ms in the run before it), so none follows one.
 */
async function collected(server: Running): Promise<void> {
  server.child.kill('SIGUSR2');
  await sleep(500);
}

const countOf = (reply: FleetReply) => ('delivered' in reply ? reply.delivered : 0);
const fleetCpuMs = async (fleets: Fleet[]) => (await Promise.all(fleets.map((fleet) => treeCpuMs(fleet.pid)))).reduce((sum, ms) => sum + ms, 0);

/** A process of subscribers (../lib/subscriber-fleet.ts), asked one thing at a time. */
class Fleet {
  private readonly child: ChildProcess = fork(new URL('../lib/subscriber-fleet.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    setPriority(this.child.pid!, fleetNiceness);
  }

  get pid(): number {
    return this.child.pid!;
  }

  ask(message: FleetRequest): Promise<FleetReply> {
    const reply = this.queue.then(
      () =>
        new Promise<FleetReply>((resolve, reject) => {
          this.child.once('message', (answer: FleetReply) => ('failed' in answer ? reject(new Error(answer.failed)) : resolve(answer)));
          this.child.send(message);
        }),
    );
    this.queue = reply.catch(() => undefined);
    return reply;
  }

  stop(): void {
    this.child.kill();
  }
}

/** `burst` with one process spinning on the CPU at the subscribers' niceness beside it. */
async function besideBusyProcess(burst: () => Promise<number[]>): Promise<number[]> {
  const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => busy.once('exit', resolve));
  try {
    setPriority(busy.pid!, fleetNiceness);
    // Let the scheduler place it before the writes start.
    await sleep(200);
    return await burst();
  } finally {
    busy.kill('SIGKILL');
    await exited;
  }
}

/** 100 updates, 10 at a time; each write's latency. */
async function writeBurst(
  ids: string[],
  onSent: ((id: string, at: number) => void) | undefined,
  write: (id: string, description: string) => Promise<unknown>,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let start = 0; start < ids.length; start += 10) {
    await Promise.all(
      ids.slice(start, start + 10).map(async (id) => {
        const began = epochNow();
        onSent?.(id, began);
        await write(id, `bench ${began}`);
        latencies.push(epochNow() - began);
      }),
    );
  }
  return latencies;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
