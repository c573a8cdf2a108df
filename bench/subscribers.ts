// Live changes under load (issue 14): N concurrent GraphQL-over-SSE subscribers on one
// instance (embedded database), then a burst of 100 writes. Reports
//  - heap per idle subscriber (server and the in-process clients together: an upper bound),
//  - p50/p99 from a write being sent to its event reaching each subscriber (an upper
//    bound of commit → delivery: it includes the write itself),
//  - the writes' own latency with subscribers / without (rounds interleaved before and after).
//
// Usage: npx tsx --expose-gc bench/subscribers.ts [-- --subscribers 1000]
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { startTestApp, type TestApp } from '../test/helpers/app.js';

const { values } = parseArgs({ options: { subscribers: { type: 'string', default: '1000' }, writes: { type: 'string', default: '100' } } });
const subscriberCount = Number(values.subscribers);
const writeCount = Number(values.writes);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const app = await startTestApp({ name: 'pglite' });
await app.graphql(`mutation { updateSetting(id: "stream-max-per-user", input: { value: "100000" }) { id } }`);
await app.graphql(`mutation { updateSetting(id: "stream-max-per-instance", input: { value: "100000" }) { id } }`);
const clusterIds: string[] = [];
for (let index = 0; index < writeCount; index += 1)
  clusterIds.push((await app.graphql(`mutation { createCluster(input: { name: "bench-${index}" }) { id } }`)).data!.createCluster.id);

/** Sent-at times of the writes in flight, by cluster id. */
const sentAt = new Map<string, number>();
const deliveries: number[] = [];

const baselineBefore = await writeBurst(app);
gc();
const heapBefore = process.memoryUsage().heapUsed;
const subscribers = await Promise.all(Array.from({ length: subscriberCount }, () => subscribe(app)));
await new Promise((resolve) => setTimeout(resolve, 1_000));
gc();
const heapIdle = process.memoryUsage().heapUsed;
const withSubscribers = await writeBurst(app);
// Let the last deliveries land.
await new Promise((resolve) => setTimeout(resolve, 3_000));
for (const close of subscribers) close();
await new Promise((resolve) => setTimeout(resolve, 500));
const baselineAfter = await writeBurst(app);

const sorted = deliveries.sort((a, b) => a - b);
const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const baseline = mean([...baselineBefore, ...baselineAfter]);
console.log(
  JSON.stringify(
    {
      subscribers: subscriberCount,
      writes: writeCount,
      heapPerIdleSubscriberKB: Math.round((heapIdle - heapBefore) / subscriberCount / 102.4) / 10,
      deliveries: sorted.length,
      expectedDeliveries: subscriberCount * writeCount,
      deliveryP50ms: Math.round(percentile(50)),
      deliveryP99ms: Math.round(percentile(99)),
      writeMeanMsWithout: Math.round(baseline * 10) / 10,
      writeMeanMsWith: Math.round(mean(withSubscribers) * 10) / 10,
      writeLatencyRatio: Math.round((mean(withSubscribers) / baseline) * 100) / 100,
    },
    null,
    2,
  ),
);
await app.close();
process.exit(0);

/** 100 updates, 10 at a time; returns each write's latency. */
async function writeBurst(server: TestApp): Promise<number[]> {
  const latencies: number[] = [];
  for (let start = 0; start < clusterIds.length; start += 10) {
    await Promise.all(
      clusterIds.slice(start, start + 10).map(async (id) => {
        const began = performance.now();
        sentAt.set(id, began);
        await server.graphql(`mutation($id: ID!, $d: String!) { updateCluster(id: $id, input: { description: $d }) { id } }`, { id, d: String(began) });
        latencies.push(performance.now() - began);
      }),
    );
  }
  return latencies;
}

/** One SSE subscriber over a raw socket (no per-client parsing beyond finding the id). */
function subscribe(server: TestApp): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query: 'subscription { resourceChanges(types: ["Cluster"]) { id } }' });
    const url = new URL(`${server.url}/graphql`);
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${server.token}` },
      },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          for (const match of chunk.matchAll(/"id":"([^"]+)"/g)) {
            const began = sentAt.get(match[1]!);
            if (began !== undefined) deliveries.push(performance.now() - began);
          }
        });
        resolve(() => outgoing.destroy());
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
