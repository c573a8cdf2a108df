import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { instanceActions, startInstances } from '../../helpers/instances.js';
import { databaseTargets } from '../../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');
const collection = '/v1/provisioning.cattle.io.clusters';

type WatchObject = {
  metadata: { name: string; resourceVersion: string; namespace: string };
  status?: { clusterName?: string };
  code?: number;
  reason?: string;
  kind?: string;
};
type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: WatchObject };

/** A `?watch=true` response read one JSON line at a time (blank heartbeat lines skipped). */
async function watch(
  server: TestApp,
  query: string,
  token = server.token,
): Promise<{ status: number; next(): Promise<WatchEvent | undefined>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}${collection}?watch=true${query}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (): Promise<WatchEvent | undefined> => {
    for (;;) {
      const end = buffer.indexOf('\n');
      if (end >= 0) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (line) return JSON.parse(line) as WatchEvent;
        continue;
      }
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return undefined;
      buffer += chunk.value;
    }
  };
  return { status: response.status, next, close: () => controller.abort() };
}

/**
 * Issue 14: watch on /v1 (Kubernetes' `?watch=true`), across two instances on one
 * PostgreSQL, with real resourceVersions: resumable, 410 Expired beyond the window,
 * and 409 Conflict for a PUT with a stale version.
 */
describe.skipIf(!postgresReachable)('/v1 watch and resourceVersion across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
  });
  afterAll(() => close?.());

  const v1 = (server: TestApp, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${collection}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...init.headers },
    });
  const revision = async () => ((await (await v1(b, '')).json()) as { revision: string }).revision;
  const createCluster = (name: string) => instanceActions(a, b, 'watch').createCluster(name);
  const describeCluster = (id: string, description: string) => instanceActions(a, b, 'watch').describeCluster(id, description);

  it('streams ADDED, MODIFIED and DELETED from a write on the other instance, each with its revision', async () => {
    const from = await revision();
    expect(from).toMatch(/^\d+$/);
    const stream = await watch(b, `&resourceVersion=${from}`);
    expect(stream.status).toBe(200);
    const id = await createCluster('watched-one');
    const added = await stream.next();
    expect(added).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watched-one', namespace: 'fleet-default' }, status: { clusterName: id } } });
    expect(BigInt(added!.object.metadata.resourceVersion)).toBeGreaterThan(BigInt(from));
    await describeCluster(id, 'changed');
    const modified = await stream.next();
    expect(modified).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'watched-one' } } });
    expect(BigInt(modified!.object.metadata.resourceVersion)).toBeGreaterThan(BigInt(added!.object.metadata.resourceVersion));
    await a.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id });
    const deleted = await stream.next();
    stream.close();
    expect(deleted).toMatchObject({ type: 'DELETED', object: { kind: 'Cluster', metadata: { name: 'watched-one', namespace: 'fleet-default' } } });
    expect(BigInt(deleted!.object.metadata.resourceVersion)).toBeGreaterThan(BigInt(modified!.object.metadata.resourceVersion));
  });

  it('without a resourceVersion, starts with the current objects (ADDED)', async () => {
    await createCluster('already-there');
    const stream = await watch(b, '');
    const names: string[] = [];
    for (let event = await stream.next(); event?.type === 'ADDED'; event = names.includes('already-there') ? undefined : await stream.next())
      names.push(event.object.metadata.name);
    stream.close();
    expect(names).toContain('already-there');
  });

  it('resumes from the last resourceVersion read without missing anything', async () => {
    const id = await createCluster('resumed-watch');
    const first = await watch(b, `&resourceVersion=${await revision()}`);
    await describeCluster(id, 'seen');
    const seen = (await first.next())!.object.metadata.resourceVersion;
    first.close();
    await describeCluster(id, 'while away 1');
    await describeCluster(id, 'while away 2');
    const resumed = await watch(b, `&resourceVersion=${seen}`);
    const missed = [await resumed.next(), await resumed.next()];
    resumed.close();
    expect(missed.map((event) => [event?.type, event?.object.metadata.name])).toEqual([
      ['MODIFIED', 'resumed-watch'],
      ['MODIFIED', 'resumed-watch'],
    ]);
    expect(BigInt(missed[0]!.object.metadata.resourceVersion)).toBeGreaterThan(BigInt(seen));
  });

  it('answers an ERROR event with a 410 Expired Status beyond the window, and 400 for a version it never gave', async () => {
    await createCluster('before-the-window');
    const newest = await a.app.database.prisma.change.findFirst({ orderBy: { revision: 'desc' } });
    await a.app.database.prisma.change.deleteMany({ where: { revision: { lt: newest!.revision } } });
    const stream = await watch(b, '&resourceVersion=1');
    expect(stream.status).toBe(200);
    expect(await stream.next()).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(await stream.next()).toBeUndefined();

    const bad = await fetch(`${b.url}${collection}?watch=true&resourceVersion=abc`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('refuses a watch without a credential with a Status', async () => {
    const response = await fetch(`${b.url}${collection}?watch=true`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ kind: 'Status', code: 401 });
  });

  it('gives objects a real resourceVersion, and a PUT with a stale one answers 409 Conflict', async () => {
    await createCluster('versioned');
    const read = async (server: TestApp) =>
      (await (await v1(server, '/fleet-default/versioned')).json()) as { metadata: { resourceVersion: string }; spec: Record<string, unknown> };
    const original = await read(b);
    expect(BigInt(original.metadata.resourceVersion)).toBeGreaterThan(0n);
    // Instance A writes with the version it read; the PUT's own answer carries the new one.
    const put = (server: TestApp, version: string | undefined, description: string) =>
      v1(server, '/fleet-default/versioned', {
        method: 'PUT',
        body: JSON.stringify({
          metadata: {
            name: 'versioned',
            namespace: 'fleet-default',
            ...(version ? { resourceVersion: version } : {}),
            annotations: { 'field.cattle.io/description': description },
          },
        }),
      });
    const accepted = await put(a, original.metadata.resourceVersion, 'first');
    expect(accepted.status).toBe(200);
    const after = ((await accepted.json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    expect(BigInt(after)).toBeGreaterThan(BigInt(original.metadata.resourceVersion));
    expect((await read(b)).metadata.resourceVersion).toBe(after);

    // B still holds the original version: its write must not silently undo A's.
    const stale = await put(b, original.metadata.resourceVersion, 'second');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: expect.stringContaining('the object has been modified'),
    });
    const kept = await read(a);
    expect(kept.metadata.resourceVersion).toBe(after);
    expect((kept as unknown as { metadata: { annotations: Record<string, string> } }).metadata.annotations['field.cattle.io/description']).toBe('first');

    expect((await put(b, after, 'second')).status).toBe(200);
    expect((await put(b, undefined, 'unconditional')).status).toBe(200);
    const nonsense = await put(b, 'not-a-version', 'x');
    expect(nonsense.status).toBe(422);
    expect(await nonsense.json()).toMatchObject({ kind: 'Status', reason: 'Invalid' });
  });
});
