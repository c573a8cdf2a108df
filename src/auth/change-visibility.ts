import type { Change } from '../changes/change.js';
import type { PrismaClient } from '../db/database.js';
import { rememberNewest } from '../bounded-maps.js';
import type { Access } from './access.js';
import { actsAsAdmin, type Principal } from './principal.js';

/**
 * Whether a subscriber may learn that an object was removed. The row is gone, so the
 * usual read-through-your-rights check cannot run; the rule judges the object as it
 * was just before the delete: by what the change says about the row (its user,
 * project, cluster), by what this stream already showed, and by the bindings the same
 * transaction removed with it — deleting a cluster deletes the bindings that made it
 * visible, and the feed recorded those removals (each with its user) under the same
 * transaction. Anything else stays unsaid: a subscriber never learns of an object it
 * could not read, not even its id.
 *
 * Created and updated objects need none of this: protocols read them with the
 * subscriber's rights and skip what comes back empty.
 */
export async function mayLearnOfRemoval(
  change: Change,
  principal: Principal,
  access: Access,
  prisma: PrismaClient,
  shown: (id: string) => boolean,
): Promise<boolean> {
  if (shown(change.id)) return true;
  const scoped = Boolean(principal.clusterId || principal.projectId);
  if (actsAsAdmin(principal)) return true;
  if (change.type === 'Token') return change.id === principal.tokenId || (!scoped && change.userId === principal.userId);
  if (change.type === 'User') return !scoped && change.id === principal.userId;
  if (change.type === 'Cluster') return couldReadRemovedCluster(change, principal, await removedWith(prisma, change.transactionId));
  const projectId = change.type === 'Project' ? change.id : change.projectId;
  if (projectId && ['Project', 'Namespace', 'Workload', 'NamespacedSecret', 'ProjectSecret', 'ProjectRoleTemplateBinding'].includes(change.type)) {
    const removed = await removedWith(prisma, change.transactionId);
    if (!(principal.projectId && principal.projectId !== projectId) && removed.projectMembers.get(projectId)?.has(principal.userId)) return true;
    const clusterId =
      change.clusterId ??
      removed.projectClusters.get(projectId) ??
      (await prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } }))?.clusterId;
    // A project removed with its cluster and no binding of the subscriber's in it leaves nothing to judge by.
    return clusterId !== undefined && access.onProject({ id: projectId, clusterId }, 'read');
  }
  if (change.type === 'Namespace' && change.clusterId) return access.onCluster(change.clusterId, 'manageNamespaces');
  return false;
}

/** What one transaction removed that granted access: whose bindings, on which clusters and projects. */
interface RemovedBindings {
  clusterMembers: Map<string, Set<string>>;
  projectMembers: Map<string, Set<string>>;
  /** The cluster of each project removed (a cascade from its cluster, or on its own). */
  projectClusters: Map<string, string>;
}

/**
 * A cluster the subscriber could read just before it was deleted: a binding of theirs
 * on it, or on one of its projects (every cluster and project role reads; see
 * clustersWhere), was removed with it. A key scoped to a cluster or a project reaches
 * only that one.
 */
function couldReadRemovedCluster(change: Change, principal: Principal, removed: RemovedBindings): boolean {
  if (principal.clusterId && principal.clusterId !== change.id) return false;
  const projects = [...removed.projectClusters].filter(([, clusterId]) => clusterId === change.id).map(([projectId]) => projectId);
  if (principal.projectId)
    return (
      projects.includes(principal.projectId) &&
      Boolean(removed.projectMembers.get(principal.projectId)?.has(principal.userId) || removed.clusterMembers.get(change.id)?.has(principal.userId))
    );
  return Boolean(
    removed.clusterMembers.get(change.id)?.has(principal.userId) || projects.some((projectId) => removed.projectMembers.get(projectId)?.has(principal.userId)),
  );
}

/**
 * Every subscriber of this instance judges the same removal: the transaction's removals
 * are read once (a few recent transactions are kept, per database: embedded databases
 * in one process number their transactions alike).
 */
const recentByDatabase = new WeakMap<PrismaClient, Map<bigint, Promise<RemovedBindings>>>();
const rememberedTransactions = 32;
const nothingRemoved: RemovedBindings = { clusterMembers: new Map(), projectMembers: new Map(), projectClusters: new Map() };

function removedWith(prisma: PrismaClient, transactionId: bigint | null): Promise<RemovedBindings> {
  if (transactionId === null) return Promise.resolve(nothingRemoved);
  let recentTransactions = recentByDatabase.get(prisma);
  if (!recentTransactions) {
    recentTransactions = new Map();
    recentByDatabase.set(prisma, recentTransactions);
  }
  let removed = recentTransactions.get(transactionId);
  if (!removed) {
    removed = readRemovedBindings(prisma, transactionId);
    rememberNewest(recentTransactions, transactionId, removed, rememberedTransactions);
    removed.catch(() => recentTransactions!.delete(transactionId));
  }
  return removed;
}

async function readRemovedBindings(prisma: PrismaClient, transactionId: bigint): Promise<RemovedBindings> {
  const rows = await prisma.change.findMany({
    where: { transactionId, verb: 'remove', type: { in: ['ClusterRoleTemplateBinding', 'ProjectRoleTemplateBinding', 'Project'] } },
    select: { type: true, objectId: true, clusterId: true, projectId: true, userId: true },
  });
  const removed: RemovedBindings = { clusterMembers: new Map(), projectMembers: new Map(), projectClusters: new Map() };
  const add = (map: Map<string, Set<string>>, key: string, userId: string) => map.set(key, (map.get(key) ?? new Set()).add(userId));
  for (const row of rows) {
    if (row.type === 'Project' && row.clusterId) removed.projectClusters.set(row.objectId, row.clusterId);
    else if (row.type === 'ClusterRoleTemplateBinding' && row.clusterId && row.userId) add(removed.clusterMembers, row.clusterId, row.userId);
    else if (row.type === 'ProjectRoleTemplateBinding' && row.projectId && row.userId) add(removed.projectMembers, row.projectId, row.userId);
  }
  return removed;
}
