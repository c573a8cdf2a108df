import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installChangeCapture } from '../../src/changes/capture.js';
import { createLogger } from '../../src/logger.js';
import { databaseTargets } from '../helpers/targets.js';
import { type AuditedApp, startAuditedApp } from './helpers.js';

/**
 * The audit log is bookkeeping, not a resource: its rows never reach the change feed
 * (one per request would put every request through the feed's commit lock and wake
 * every stream), and a database where they once did loses that trigger at start.
 */
describe.each(databaseTargets)('audit entries and the change feed on $name', (target) => {
  let server: AuditedApp;
  beforeAll(async () => {
    server = await startAuditedApp(target, 1);
  });
  afterAll(() => server?.close());

  const announcedAuditEvents = () => server.app.database.prisma.change.count({ where: { type: 'AuditEvent' } });

  it('stores entries without announcing them', async () => {
    await server.graphql('{ clusters(first: 1) { totalCount } }');
    await server.graphql('mutation { createCluster(input: { name: "announced" }) { id } }');
    await server.entries();
    await expect.poll(() => server.app.database.prisma.auditEvent.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await server.app.database.prisma.change.count({ where: { type: 'Cluster' } })).toBeGreaterThanOrEqual(1);
    expect(await announcedAuditEvents()).toBe(0);
  });

  it('drops a capture trigger an earlier version put on the audit table', async () => {
    const { prisma, schema } = server.app.database;
    const triggers = () =>
      prisma.$queryRaw<
        Array<{ name: string }>
      >`SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relname = 'AuditEvent' AND NOT t.tgisinternal`;
    await prisma.$executeRawUnsafe(
      `CREATE CONSTRAINT TRIGGER cattle_capture_change AFTER INSERT OR UPDATE OR DELETE ON "${schema}"."AuditEvent" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".cattle_capture_change()`,
    );
    expect(await triggers()).toEqual([{ name: 'cattle_capture_change' }]);
    await installChangeCapture(server.app.database, createLogger('silent'));
    expect(await triggers()).toEqual([]);
  });
});
