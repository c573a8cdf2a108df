import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { applyPendingMigrations } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp } from '../helpers/app.js';
import { migrationNames } from '../helpers/migration-history.js';
import { createScratchSchema, databaseTargets, postgresUrl, withClient } from '../helpers/targets.js';

const logger = createLogger('silent');

describe.skipIf(!databaseTargets.some((target) => target.name === 'postgres'))('migrations on one shared PostgreSQL', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('two instances starting at once apply each migration exactly once, as `prisma migrate deploy` records it', async () => {
    const scratch = await createScratchSchema(postgresUrl);
    cleanups.push(scratch.drop);
    const [first, second] = await Promise.all([
      startTestApp({ name: 'postgres', url: postgresUrl }, { databaseUrl: scratch.url }),
      startTestApp({ name: 'postgres', url: postgresUrl }, { databaseUrl: scratch.url }),
    ]);
    cleanups.push(
      () => first.close(),
      () => second.close(),
    );

    const schema = new URL(scratch.url).searchParams.get('schema')!;
    const rows = await withClient(postgresUrl, (client) =>
      client.query(
        `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "${schema}"."_prisma_migrations" ORDER BY migration_name`,
      ),
    );
    expect(rows.rows.map((row) => row.migration_name)).toEqual(await migrationNames());
    for (const row of rows.rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // Both instances serve the same data, and the admin was created once.
    await first.graphql(`mutation { createCluster(input: { name: "shared" }) { id } }`);
    const seen = await second.graphql(`{ clusters(filter: { name: { eq: "shared" } }) { totalCount } }`);
    expect(seen.data).toEqual({ clusters: { totalCount: 1 } });
    const admins = await withClient(postgresUrl, (client) => client.query(`SELECT count(*)::int AS n FROM "${schema}"."User" WHERE username = 'admin'`));
    expect(admins.rows[0].n).toBe(1);
  });

  it('applies nothing the second time and creates a schema named in the URL', async () => {
    const schema = `t_fresh_${Date.now().toString(36)}`;
    const url = new URL(postgresUrl);
    url.searchParams.set('schema', schema);
    cleanups.push(() => withClient(postgresUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '/nonexistent' });
    try {
      expect(await applyPendingMigrations(database, logger)).toEqual(await migrationNames());
      expect(await applyPendingMigrations(database, logger)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
