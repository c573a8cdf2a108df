import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clustersWhere, namespacesWhere, projectsWhere } from '../../src/auth/visibility.js';
import type { Principal } from '../../src/auth/principal.js';
import type { PrismaClient } from '../../src/db/database.js';
import { sqlCount, sqlFindMany, type FindManyArgs } from '../../src/db/sql-reads/index.js';
import { boundUserColumns } from '../../src/services/role-bindings.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

/**
 * src/db/sql-reads: a list read written as SQL must answer exactly what Prisma's query
 * API answers for the same arguments — the same rows, in the same order, with the same
 * values and types. Both run here side by side on generated filters over rows made to
 * sit on every edge (NULLs, LIKE wildcards in names, ties in the sort column, parents
 * without children, optional relations unset).
 */
type Model = 'Cluster' | 'Project' | 'Namespace' | 'NodeDriver';
/** The models the generated filters cover. */
type Generated = Exclude<Model, 'NodeDriver'>;
const delegateOf = (prisma: PrismaClient, model: Model) =>
  ({ Cluster: prisma.cluster, Project: prisma.project, Namespace: prisma.namespace, NodeDriver: prisma.nodeDriver })[model] as unknown as {
    findMany(args: FindManyArgs): Promise<unknown[]>;
    count(args: { where: unknown }): Promise<number>;
  };

const names = ['alpha', 'al%pha', 'al_ha', 'Alpha', 'beta', 'b%', '_x', 'gamma', 'gam', ''];
const strings = fc.constantFrom('alpha', 'al', 'a', '%', '_', 'pha', 'beta', 'Alpha', 'zzz', '');
const instants = fc.constantFrom(...[0, 1, 2, 3].map((day) => new Date(Date.UTC(2026, 0, 1 + day, 12))));
const users = fc.constantFrom('u-a', 'u-b', 'u-none');
const optionalIds = fc.constantFrom(null, 'u-a', 'u-b');

/** One condition on a column, in each spelling Prisma takes. */
function stringCondition(values: fc.Arbitrary<string | null>, nullable: boolean) {
  const plain = values.filter((value) => nullable || value !== null);
  return fc.oneof(
    plain,
    plain.map((value) => ({ equals: value })),
    plain.map((value) => ({ not: value })),
    fc
      .array(
        values.filter((value) => value !== null),
        { maxLength: 3 },
      )
      .map((list) => ({ in: list })),
    fc
      .array(
        values.filter((value) => value !== null),
        { maxLength: 3 },
      )
      .map((list) => ({ notIn: list })),
    fc.record({ gt: strings, lte: strings }, { requiredKeys: [] }),
    strings.map((value) => ({ startsWith: value })),
    strings.map((value) => ({ endsWith: value })),
    strings.map((value) => ({ contains: value })),
    strings.map((value) => ({ not: { startsWith: value } })),
  );
}
const nameCondition = stringCondition(strings, false);
const creatorCondition = stringCondition(optionalIds, true);
const dateCondition = fc.oneof(
  instants,
  fc.record({ gt: instants, lt: instants, gte: instants, lte: instants }, { requiredKeys: [] }),
  fc.array(instants, { maxLength: 2 }).map((list) => ({ in: list })),
);

const projectLeaf = fc.oneof(
  nameCondition.map((name) => ({ name })),
  creatorCondition.map((creatorId) => ({ creatorId })),
  dateCondition.map((createdAt) => ({ createdAt })),
  fc.constantFrom('c-0', 'c-1', 'c-5').map((clusterId) => ({ clusterId })),
  users.map((userId) => ({ bindings: { some: { userId } } })),
  // A single related row whose column may be NULL: where Prisma's join and EXISTS part under NOT, isNot and every.
  optionalIds.map((creatorId) => ({ cluster: { creatorId: { not: creatorId } } })),
);
const clusterLeaf = fc.oneof(
  nameCondition.map((name) => ({ name })),
  creatorCondition.map((creatorId) => ({ creatorId })),
  dateCondition.map((createdAt) => ({ createdAt })),
  fc.constantFrom('provisioning', 'active', 'error').map((state) => ({ state })),
  fc.array(fc.constantFrom('provisioning', 'active', 'error'), { maxLength: 2 }).map((list) => ({ state: { in: list } })),
  fc.constantFrom(0n, 1n, 2n).map((resourceVersion) => ({ resourceVersion: { gte: resourceVersion } })),
  users.map((userId) => ({ bindings: { some: { userId, roleTemplateId: { in: ['cluster-owner', 'cluster-member'] } } } })),
  fc
    .record({ quantifier: fc.constantFrom('some', 'none', 'every'), inner: projectLeaf })
    .map(({ quantifier, inner }) => ({ projects: { [quantifier]: inner } })),
);
const namespaceLeaf = fc.oneof(
  nameCondition.map((name) => ({ name })),
  fc.constantFrom(null, { not: null }, 'p-0').map((projectId) => ({ projectId })),
  projectLeaf.map((project) => ({ project })),
  projectLeaf.map((project) => ({ project: { is: project } })),
  projectLeaf.map((project) => ({ project: { isNot: project } })),
  fc.constant({ project: null }),
  clusterLeaf.map((cluster) => ({ cluster })),
);

/** Leaves combined under AND / OR / NOT, as arrays or single objects, two levels deep. */
function tree(leaf: fc.Arbitrary<object>): fc.Arbitrary<object> {
  const level = (inner: fc.Arbitrary<object>) =>
    fc.oneof(
      inner,
      fc.array(inner, { maxLength: 3 }).map((all) => ({ AND: all })),
      fc.array(inner, { maxLength: 3 }).map((any) => ({ OR: any })),
      fc.array(inner, { maxLength: 2 }).map((none) => ({ NOT: none })),
      inner.map((one) => ({ NOT: one })),
      fc.tuple(inner, inner).map(([first, second]) => ({ ...first, AND: [second] })),
    );
  return level(level(leaf));
}

const selections: Record<Generated, FindManyArgs['select'][]> = {
  Cluster: [
    { id: true, name: true, state: true, createdAt: true, labels: true, _count: { select: { projects: true } } },
    {
      id: true,
      resourceVersion: true,
      creatorId: true,
      machinePools: true,
      _count: { select: { projects: { where: { name: { startsWith: 'p' } } }, bindings: true } },
    },
    undefined,
  ],
  Project: [{ id: true, name: true, clusterId: true, creatorId: true, _count: { select: { namespaces: true } } }, undefined],
  Namespace: [{ id: true, name: true, projectId: true, labels: true }, undefined],
};
const sortColumns: Record<Generated, string[]> = {
  Cluster: ['name', 'createdAt', 'state', 'creatorId'],
  Project: ['name', 'creatorId'],
  Namespace: ['name', 'projectId'],
};
const leaves: Record<Generated, fc.Arbitrary<object>> = { Cluster: clusterLeaf, Project: projectLeaf, Namespace: namespaceLeaf };

function readArgs(model: Generated): fc.Arbitrary<FindManyArgs> {
  return fc.record({
    select: fc.constantFrom(...selections[model]),
    where: tree(leaves[model]),
    orderBy: fc
      .tuple(fc.constantFrom(...sortColumns[model]), fc.constantFrom('asc' as const, 'desc' as const))
      .map(([column, direction]) => [{ [column]: direction }, { id: direction }]),
    take: fc.integer({ min: 0, max: 12 }),
  });
}

describe.each(databaseTargets)('SQL list reads against Prisma’s query API, on $name', (target) => {
  let server: TestApp;
  let prisma: PrismaClient;

  beforeAll(async () => {
    server = await startTestApp(target);
    prisma = server.app.database.prisma;
    for (const id of ['u-a', 'u-b']) await prisma.user.create({ data: { id, username: id, passwordHash: 'x' } });
    for (const [index, name] of names.entries()) {
      await prisma.cluster.create({
        data: {
          id: `c-${index}`,
          name: `${name}-${index}`,
          // Ties in the sort column: the id decides.
          description: index % 3 === 0 ? 'same' : `d${index}`,
          state: (['provisioning', 'active', 'error'] as const)[index % 3]!,
          creatorId: index % 4 === 0 ? null : index % 2 ? 'u-a' : 'u-b',
          createdAt: new Date(Date.UTC(2026, 0, 1 + (index % 4), 12)),
          resourceVersion: BigInt(index % 3),
          labels: { team: `t${index % 2}` },
          machinePools: index % 2 ? [{ name: 'pool', quantity: index }] : [],
        },
      });
      for (let project = 0; project < index % 4; project += 1) {
        await prisma.project.create({
          data: {
            id: `p-${index}-${project}`,
            clusterId: `c-${index}`,
            name: `${names[(index + project) % names.length]}-p${project}`,
            creatorId: project % 2 ? 'u-a' : null,
          },
        });
      }
      await prisma.namespace.create({
        data: {
          id: `n-${index}`,
          clusterId: `c-${index}`,
          projectId: index % 4 ? `p-${index}-0` : null,
          name: `${name}-ns`,
          labels: index % 2 ? { a: '1' } : {},
        },
      });
    }
    await prisma.project.create({ data: { id: 'p-0', clusterId: 'c-0', name: 'alpha', creatorId: 'u-b' } });
    // A namespace whose project's cluster has no creator: a NULL one relation away.
    await prisma.namespace.create({ data: { id: 'n-x', clusterId: 'c-0', projectId: 'p-0', name: 'beta-ns' } });
    await prisma.clusterRoleTemplateBinding.create({ data: { id: 'crtb-1', clusterId: 'c-1', ...boundUserColumns('u-a'), roleTemplateId: 'cluster-owner' } });
    await prisma.clusterRoleTemplateBinding.create({ data: { id: 'crtb-2', clusterId: 'c-2', ...boundUserColumns('u-b'), roleTemplateId: 'cluster-member' } });
    await prisma.projectRoleTemplateBinding.create({
      data: { id: 'prtb-1', projectId: 'p-5-0', ...boundUserColumns('u-b'), roleTemplateId: 'project-member' },
    });
  });
  afterAll(() => server.close());

  /** Both answer alike; `false` when the read was left to Prisma (then nothing is compared). */
  const same = async (model: Model, args: FindManyArgs): Promise<boolean> => {
    const ours = sqlFindMany(prisma, model, args);
    const ourCount = sqlCount(prisma, model, args.where);
    if (!ours || !ourCount) return false;
    const [rows, expected] = await Promise.all([ours, delegateOf(prisma, model).findMany(args)]);
    expect(rows, JSON.stringify(args, replacer)).toEqual(expected);
    expect(await ourCount, JSON.stringify(args.where, replacer)).toBe(await delegateOf(prisma, model).count({ where: args.where }));
    return true;
  };
  const written = async (model: Model, args: FindManyArgs) =>
    expect(await same(model, args), `not written as SQL: ${JSON.stringify(args, replacer)}`).toBe(true);

  for (const model of ['Cluster', 'Project', 'Namespace'] as const) {
    it(`answers generated ${model} reads exactly as Prisma does`, async () => {
      let asSql = 0;
      await fc.assert(
        fc.asyncProperty(readArgs(model), async (args) => {
          if (await same(model, args)) asSql += 1;
        }),
        // A fixed sample: the bound below is a statement about the generator's mix, which
        // varies from one random sample to the next (Project: 100–113 of 120 written in twelve
        // runs, so `> 100` failed about one run in twelve on either database).
        { numRuns: 120, seed: 20261206 },
      );
      // Left to Prisma: single related rows under an odd number of NOTs. Most reads are written.
      expect(asSql).toBeGreaterThan(model === 'Namespace' ? 40 : 100);
    });
  }

  it('answers every visibility rule for members, scoped keys and admins as Prisma does', async () => {
    const principals: Principal[] = [
      { userId: 'u-a', isAdmin: false } as Principal,
      { userId: 'u-b', isAdmin: false } as Principal,
      { userId: 'u-b', isAdmin: false, projectId: 'p-5-0' } as Principal,
      { userId: 'u-a', isAdmin: true, clusterId: 'c-1' } as Principal,
      { userId: 'admin', isAdmin: true } as Principal,
    ];
    for (const principal of [...principals, null]) {
      for (const verb of ['read', 'update', 'manageNamespaces'] as const)
        await written('Cluster', { where: clustersWhere(principal, verb), orderBy: [{ id: 'asc' }] });
      await written('Project', { where: projectsWhere(principal), orderBy: [{ id: 'asc' }] });
      await written('Namespace', { where: namespacesWhere(principal, 'manageResources'), orderBy: [{ id: 'asc' }] });
    }
  });

  it('reads list columns (a driver’s whitelistDomains), booleans and every column when nothing is selected', async () => {
    await written('NodeDriver', {
      select: { id: true, whitelistDomains: true, active: true, builtin: true },
      where: { active: true },
      orderBy: [{ id: 'asc' }],
    });
    await written('NodeDriver', { orderBy: [{ name: 'desc' }] });
    await written('Cluster', { where: { name: { startsWith: 'al' } }, orderBy: [{ id: 'asc' }] });
  });

  it('leaves to Prisma what it does not write: related rows, JSON and list filters, modes, cursors', () => {
    expect(sqlFindMany(prisma, 'Project', { select: { id: true, cluster: { select: { id: true } } } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Cluster', { where: { labels: { equals: {} } } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'NodeDriver', { where: { whitelistDomains: { has: 'x' } } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Cluster', { where: { name: { contains: 'a', mode: 'insensitive' } } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Cluster', { cursor: { id: 'c-1' } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Cluster', { where: { projects: { name: 'x' } } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Cluster', { where: { nonsense: 1 } })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Cluster', { orderBy: [{ projects: { _count: 'asc' } }] })).toBeUndefined();
    expect(sqlFindMany(prisma, 'Namespace', { where: { NOT: { project: { name: 'alpha' } } } })).toBeUndefined();
    // isNot asks whether its condition is false: a single related row inside it (NULL in Prisma's join) is Prisma's too.
    expect(sqlFindMany(prisma, 'Namespace', { where: { project: { isNot: { cluster: { creatorId: { not: 'u-a' } } } } } })).toBeUndefined();
    expect(sqlCount(prisma, 'Nothing', {})).toBeUndefined();
  });

  it('sends values as parameters, never in the text', async () => {
    const hostile = `x'); DROP TABLE "Cluster"; --`;
    await written('Cluster', { where: { OR: [{ name: hostile }, { name: { contains: hostile } }] }, select: { id: true } });
    expect(await prisma.cluster.count()).toBe(names.length);
  });
});

/** BigInt and Date in failure messages. */
function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}
