import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { instanceActions, nextChange, startInstances } from '../helpers/instances.js';
import { subscribeSse } from '../helpers/sse.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

type Event = { data?: { resourceChanges: { revision: string; verb: string; id: string } } };
const clusterChanges = `subscription($since: String) { resourceChanges(types: ["Cluster"], since: $since) { revision verb id } }`;

/**
 * Issue 14: revisions follow commit order. Two overlapping transactions that commit in
 * the opposite order of their first writes must not let a reader resuming from the
 * revision it saw skip the one that committed last.
 */
describe.skipIf(!postgresReachable)('change feed: revision order is commit order', () => {
  let a: TestApp;
  let b: TestApp;
  let databaseUrl: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    databaseUrl = started.databaseUrl;
    close = started.close;
  });
  afterAll(() => close?.());

  /** A raw connection on the instances' schema, to hold a transaction open across another's commit. */
  async function connection(): Promise<pg.Client> {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema')!;
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString(), options: `-c search_path="${schema}"` });
    await client.connect();
    return client;
  }

  const createCluster = (name: string) => instanceActions(a, b, 'committer').createCluster(name);

  it('a transaction that wrote first but committed last is delivered after, and a resume from the other one still gets it', async () => {
    const [early, late, marker] = [await createCluster('writes-first'), await createCluster('commits-first'), await createCluster('marker')];
    const start = await instanceActions(a, b, 'committer').now();
    const first = await connection();
    const second = await connection();
    try {
      await first.query('BEGIN');
      await first.query(`UPDATE "Cluster" SET description = 'first to write' WHERE id = $1`, [early]);
      await second.query('BEGIN');
      await second.query(`UPDATE "Cluster" SET description = 'first to commit' WHERE id = $1`, [late]);
      await second.query('COMMIT');

      const live = await subscribeSse<Event>(b.url, b.token, clusterChanges, { since: start });
      const seen = (await live.next())!.data!.resourceChanges;
      expect([seen.verb, seen.id]).toEqual(['UPDATE', late]);

      const arrived = nextChange(b, (change) => change.id === early);
      await first.query('COMMIT');
      const committedLast = await arrived;
      expect(committedLast.revision).toBeGreaterThan(BigInt(seen.revision));
      const next = (await live.next())!.data!.resourceChanges;
      live.close();
      expect([next.id, next.revision]).toEqual([early, committedLast.revision.toString()]);

      // A client that disconnected right after `seen` resumes from it: the late commit is
      // the first thing it hears, before anything written afterwards.
      await a.graphql(`mutation($id: ID!) { updateCluster(id: $id, input: { description: "after" }) { id } }`, { id: marker });
      const resumed = await subscribeSse<Event>(b.url, b.token, clusterChanges, { since: seen.revision });
      const replayed = [(await resumed.next())!.data!.resourceChanges.id, (await resumed.next())!.data!.resourceChanges.id];
      resumed.close();
      expect(replayed).toEqual([early, marker]);
    } finally {
      await first.end();
      await second.end();
    }
  });
});
