import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { applyPendingMigrations } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { historyUpTo } from '../helpers/migration-history.js';
import { createScratchSchema, databaseTargets } from '../helpers/targets.js';

const logger = createLogger('silent');

/** Migrations that reshape data carry the rows over: replay up to before one, add rows the old way, apply the rest. */
describe.each(databaseTargets)('data kept across migrations on $name', (target) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function open(): Promise<Database> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-data-migration-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const scratch = target.name === 'postgres' ? await createScratchSchema(target.url) : undefined;
    if (scratch) cleanups.push(scratch.drop);
    // No start image: it holds every migration already, and this replays them from the first.
    const database = await openDatabase({ ...loadConfig({}), dataDir, ...(scratch ? { databaseUrl: scratch.url } : {}) }, { startImage: false });
    cleanups.push(() => database.close());
    return database;
  }

  it('turns each user’s global role into global role bindings', async () => {
    const database = await open();
    const before = await historyUpTo('20261123095313_role_templates_and_bindings');
    cleanups.push(() => rm(before, { recursive: true, force: true }));
    await applyPendingMigrations(database, logger, before);
    await database.prisma.$executeRawUnsafe(
      `INSERT INTO "User" ("id", "username", "passwordHash", "globalRole", "updatedAt") VALUES ('u-boss1', 'boss', 'x', 'admin', now()), ('u-plain', 'plain', 'x', 'user', now())`,
    );

    expect(await applyPendingMigrations(database, logger)).toContain('20261123103551_global_role_bindings');
    const bindings = await database.prisma.globalRoleBinding.findMany({
      orderBy: [{ userId: 'asc' }, { globalRoleId: 'asc' }],
      select: { userId: true, globalRoleId: true, id: true },
    });
    expect(bindings.map(({ userId, globalRoleId }) => [userId, globalRoleId])).toEqual([
      ['u-boss1', 'admin'],
      ['u-boss1', 'user'],
      ['u-plain', 'user'],
    ]);
    for (const binding of bindings) expect(binding.id).toMatch(/^grb-[0-9a-f]{10}$/);
  });

  it('gives every cluster made before registration tokens its default-token, each with a secret of its own', async () => {
    const database = await open();
    const before = await historyUpTo('20261207192937_kubernetes_metadata');
    cleanups.push(() => rm(before, { recursive: true, force: true }));
    await applyPendingMigrations(database, logger, before);
    await database.prisma.$executeRawUnsafe(
      `INSERT INTO "Cluster" ("id", "name", "updatedAt") VALUES ('c-older', 'older', now()), ('c-elder', 'elder', now())`,
    );

    expect(await applyPendingMigrations(database, logger)).toContain('20261207230946_cluster_registration_tokens');
    const tokens = await database.prisma.clusterRegistrationToken.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, clusterId: true, name: true, token: true },
    });
    expect(tokens.map(({ id, clusterId, name }) => [id, clusterId, name])).toEqual([
      ['c-elder:default-token', 'c-elder', 'default-token'],
      ['c-older:default-token', 'c-older', 'default-token'],
    ]);
    for (const { token } of tokens) expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0]!.token).not.toBe(tokens[1]!.token);
  });

  it('gives every role template binding made before principals its user’s local principal id', async () => {
    const database = await open();
    const before = await historyUpTo('20261207230946_cluster_registration_tokens');
    cleanups.push(() => rm(before, { recursive: true, force: true }));
    await applyPendingMigrations(database, logger, before);
    for (const statement of [
      `INSERT INTO "User" ("id", "username", "passwordHash", "updatedAt") VALUES ('u-ann01', 'ann', 'x', now()), ('u-bob02', 'bob', 'x', now())`,
      `INSERT INTO "RoleTemplate" ("id", "name", "context") VALUES ('cluster-member', 'Cluster Member', 'cluster'), ('project-member', 'Project Member', 'project')`,
      `INSERT INTO "Cluster" ("id", "name", "updatedAt") VALUES ('c-older', 'older', now())`,
      `INSERT INTO "Project" ("id", "clusterId", "name", "updatedAt") VALUES ('c-older:p-older', 'c-older', 'older', now())`,
      `INSERT INTO "ClusterRoleTemplateBinding" ("id", "clusterId", "userId", "roleTemplateId") VALUES ('c-older:crtb-1', 'c-older', 'u-ann01', 'cluster-member')`,
      `INSERT INTO "ProjectRoleTemplateBinding" ("id", "projectId", "userId", "roleTemplateId") VALUES ('p-older:prtb-1', 'c-older:p-older', 'u-bob02', 'project-member')`,
    ])
      await database.prisma.$executeRawUnsafe(statement);

    const applied = await applyPendingMigrations(database, logger);
    expect(applied).toContain('20261208022515_binding_user_principals');
    expect(applied).toContain('20261208035500_binding_principal_checks');
    expect(await database.prisma.clusterRoleTemplateBinding.findMany({ select: { userId: true, userPrincipalId: true } })).toEqual([
      { userId: 'u-ann01', userPrincipalId: 'local://u-ann01' },
    ]);
    expect(await database.prisma.projectRoleTemplateBinding.findMany({ select: { userId: true, userPrincipalId: true } })).toEqual([
      { userId: 'u-bob02', userPrincipalId: 'local://u-bob02' },
    ]);
    // The column is derived from userId: the database refuses a binding whose two disagree.
    await expect(
      database.prisma.$executeRawUnsafe(
        `INSERT INTO "ClusterRoleTemplateBinding" ("id", "clusterId", "userId", "userPrincipalId", "roleTemplateId") VALUES ('c-older:crtb-2', 'c-older', 'u-bob02', 'local://u-ann01', 'cluster-member')`,
      ),
    ).rejects.toThrow(/userPrincipalId_check/);
    await expect(database.prisma.$executeRawUnsafe(`UPDATE "ProjectRoleTemplateBinding" SET "userPrincipalId" = 'local://u-ann01'`)).rejects.toThrow(
      /userPrincipalId_check/,
    );
  });
});
