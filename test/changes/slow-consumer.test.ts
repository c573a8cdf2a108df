import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { startInstances } from '../helpers/instances.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');
const clusters = 20;

/**
 * Issue 14: a subscriber that stops reading is cut off once its bounded buffer fills
 * (reason `slow`), and the server holds no more than that bound for it meanwhile:
 * nothing is buffered without limit. The stream is a /v1 watch on instance B; the
 * writes come from another connection to the shared PostgreSQL.
 */
describe.skipIf(!postgresReachable)('a slow consumer is cut off with a bounded buffer', () => {
  let b: TestApp;
  let databaseUrl: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startInstances(2);
    const a = started.instances[0]!;
    b = started.instances[1]!;
    databaseUrl = started.databaseUrl;
    close = started.close;
    for (let index = 0; index < clusters; index += 1)
      await a.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name: `flooded-${index}` });
  });
  afterAll(() => close?.());

  it('fills to the bound, ends the stream as slow, closes the connection, and frees what it held', async () => {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema')!;
    url.searchParams.delete('schema');
    const writer = new pg.Client({ connectionString: url.toString(), options: `-c search_path="${schema}"` });
    await writer.connect();
    // Large objects (64 KB of annotations each) fill the socket buffers after a few dozen events.
    await writer.query(`UPDATE "Cluster" SET annotations = jsonb_build_object('bulk', repeat('x', 65536))`);

    const memoryBefore = process.memoryUsage();
    // A client that opens a watch and never reads from it.
    const revision = (
      (await (await fetch(`${b.url}/v1/provisioning.cattle.io.clusters`, { headers: { authorization: `Bearer ${b.token}` } })).json()) as { revision: string }
    ).revision;
    const target = new URL(`${b.url}/v1/provisioning.cattle.io.clusters?watch=true&resourceVersion=${revision}`);
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      request(
        { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers: { authorization: `Bearer ${b.token}` } },
        resolve,
      )
        .on('error', reject)
        .end(),
    );
    expect(response.statusCode).toBe(200);
    response.pause();
    expect(b.app.streams.stats().open).toBe(1);

    // Sample what the server holds after every batch the feed delivers, until the stream is cut.
    let mostBuffered = 0;
    let cut = false;
    const stopSampling = b.app.changes.subscribe(() => {
      const stats = b.app.streams.stats();
      mostBuffered = Math.max(mostBuffered, stats.mostBuffered);
      cut ||= (stats.ended.slow ?? 0) > 0;
    });
    let statements = 0;
    const written = { changes: 0 };
    while (!cut && statements < 500) {
      const result = await writer.query(`UPDATE "Cluster" SET description = $1`, [`flood ${statements}`]);
      written.changes += result.rowCount ?? 0;
      statements += 1;
      // Let this instance hear the batch before the next one (the sampler runs on delivery).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const cutWhen = b.app.streams.stats();
    const memoryAtCut = process.memoryUsage();
    stopSampling();
    await writer.end();

    expect(cut).toBe(true);
    expect(cutWhen.ended.slow).toBe(1);
    expect(cutWhen.open).toBe(0);
    expect(mostBuffered).toBeGreaterThan(0);
    expect(mostBuffered).toBeLessThanOrEqual(cutWhen.maxBuffered);

    // The client, reading at last, finds the connection closed by the server after far fewer events than were written.
    let lines = 0;
    response.on('data', (chunk: Buffer) => (lines += chunk.toString().split('\n').length - 1));
    response.resume();
    await new Promise((resolve) => response.once('close', resolve));
    expect(lines).toBeLessThan(written.changes);
    console.log(
      JSON.stringify({
        writtenChanges: written.changes,
        eventsReceivedBeforeCut: lines,
        mostBuffered,
        maxBuffered: cutWhen.maxBuffered,
        heapDeltaMB: Math.round((memoryAtCut.heapUsed - memoryBefore.heapUsed) / 2 ** 20),
        rssDeltaMB: Math.round((memoryAtCut.rss - memoryBefore.rss) / 2 ** 20),
      }),
    );
  });
});
