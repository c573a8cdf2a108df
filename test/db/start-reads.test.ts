import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { NodeDriverService } from '../../src/services/node-drivers.js';
import { SettingService } from '../../src/services/settings.js';
import { createScratchSchema, databaseTargets } from '../helpers/targets.js';

/**
 * src/db/start-reads.ts: a start that finds everything in place sends plain SQL only, so
 * Prisma's query compiler plans nothing (statements of its query API name each table
 * with its schema, `"public"."User"`; the start's own SQL does not), and what it seeds
 * is still restored when missing.
 */
describe.each(databaseTargets)('a start on an existing database, on $name', (target) => {
  let config: Config;
  let scratch: Awaited<ReturnType<typeof createScratchSchema>> | undefined;
  beforeAll(async () => {
    scratch = target.name === 'postgres' ? await createScratchSchema(target.url) : undefined;
    config = {
      ...loadConfig({}),
      port: 0,
      host: '127.0.0.1',
      dataDir: await mkdtemp(path.join(tmpdir(), 'cattle-graph-start-reads-')),
      logLevel: 'silent',
      bootstrapPassword: 'admin-password-for-tests',
      ...(scratch ? { databaseUrl: scratch.url } : {}),
    };
    await (await startApp(config, createLogger('silent'))).close();
  });
  afterAll(async () => {
    await scratch?.drop();
    await rm(config.dataDir, { recursive: true, force: true });
  });

  const restart = async (): Promise<{ app: App; statements: Array<{ sql: string; via: 'prisma' | 'read' }> }> => {
    const statements: Array<{ sql: string; via: 'prisma' | 'read' }> = [];
    const app = await startApp(config, createLogger('silent'), { onQuery: (sql, via) => statements.push({ sql, via }) });
    return { app, statements: [...statements] };
  };

  it('reads with plain SQL and writes nothing', async () => {
    const { app, statements } = await restart();
    await app.close();
    const sql = statements.map((statement) => statement.sql);
    expect(sql.length).toBeGreaterThan(3);
    expect(sql.filter((text) => /"[^"]+"\."[A-Z]\w*"/.test(text))).toEqual([]);
    expect(sql.filter((text) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(text))).toEqual([]);
    // On the embedded database the start's reads go to PGlite itself: Prisma's client
    // (whose first query builds its query compiler) sends nothing before the server listens.
    if (target.name !== 'postgres') expect(statements.filter((statement) => statement.via === 'prisma')).toEqual([]);
  });

  it('restores a built-in node driver and a setting that went missing, and keeps what is there', async () => {
    const { app } = await restart();
    try {
      const prisma = app.database.prisma;
      await prisma.setting.update({ where: { id: 'api-rate-limit' }, data: { value: '77' } });
      await prisma.setting.delete({ where: { id: 'ui-pl' } });
      await prisma.nodeDriver.delete({ where: { id: 'linode' } });
      await new SettingService(prisma).seed(app.database.read);
      await new NodeDriverService(prisma).seedBuiltins(app.database.read);
      expect(await prisma.setting.findUnique({ where: { id: 'ui-pl' }, select: { value: true } })).toEqual({ value: '' });
      expect(await prisma.setting.findUnique({ where: { id: 'api-rate-limit' }, select: { value: true } })).toEqual({ value: '77' });
      expect(await prisma.nodeDriver.findUnique({ where: { id: 'linode' }, select: { builtin: true } })).toEqual({ builtin: true });
    } finally {
      await app.close();
    }
  });
});
