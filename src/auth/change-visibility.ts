import type { Change } from '../changes/change.js';
import type { PrismaClient } from '../db/database.js';
import type { Access } from './access.js';
import { actsAsAdmin, type Principal } from './principal.js';

/**
 * Whether a subscriber may learn that an object was removed. The row is gone, so the
 * usual read-through-your-rights check cannot run; the rule falls back on what the
 * change says about the row (its user, project, cluster) and on what this stream
 * already showed. Anything else stays unsaid: a subscriber never learns of an object
 * it could not read, not even its id.
 *
 * Created and updated objects need none of this: protocols read them with the
 * subscriber's rights and skip what comes back empty.
 */
export async function mayLearnOfRemoval(change: Change, principal: Principal, access: Access, prisma: PrismaClient, shown: (id: string) => boolean): Promise<boolean> {
  if (shown(change.id)) return true;
  const scoped = Boolean(principal.clusterId || principal.projectId);
  if (actsAsAdmin(principal)) return true;
  if (change.type === 'Token') return change.id === principal.tokenId || (!scoped && change.userId === principal.userId);
  if (change.type === 'User') return !scoped && change.id === principal.userId;
  const projectId = change.type === 'Project' ? change.id : change.projectId;
  if (projectId && ['Project', 'Namespace', 'Workload', 'NamespacedSecret', 'ProjectRoleTemplateBinding'].includes(change.type)) {
    const clusterId = change.clusterId ?? (await prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } }))?.clusterId;
    // A project removed with its cluster leaves nothing to judge by: only those shown it hear of it.
    return clusterId !== undefined && access.onProject({ id: projectId, clusterId }, 'read');
  }
  if (change.type === 'Namespace' && change.clusterId) return access.onCluster(change.clusterId, 'manageNamespaces');
  return false;
}
