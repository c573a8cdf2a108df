import type { Context } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Principal } from './principal.js';

/**
 * What a caller may see, as Prisma `where` fragments, so that lists, counts and
 * single reads all filter in SQL and an invisible resource is indistinguishable
 * from a missing one (NOT_FOUND). Admins see everything their key's scope allows;
 * other users see the clusters they created and the projects inside them or that
 * they created. A key scoped to a cluster or a project narrows that further.
 *
 * (Role templates and bindings — members and read-only users — come next and will
 * widen these fragments; the callers do not change.)
 */
export function visibleClusters(principal: Principal | null): Prisma.ClusterWhereInput {
  if (!principal) return { id: { in: [] } };
  const scope: Prisma.ClusterWhereInput = principal.clusterId
    ? { id: principal.clusterId }
    : principal.projectId
      ? { projects: { some: { id: principal.projectId } } }
      : {};
  return principal.isAdmin ? scope : { AND: [scope, { creatorId: principal.userId }] };
}

export function visibleProjects(principal: Principal | null): Prisma.ProjectWhereInput {
  if (!principal) return { id: { in: [] } };
  const scope: Prisma.ProjectWhereInput = principal.projectId ? { id: principal.projectId } : principal.clusterId ? { clusterId: principal.clusterId } : {};
  if (principal.isAdmin) return scope;
  return { AND: [scope, { OR: [{ creatorId: principal.userId }, { cluster: { creatorId: principal.userId } }] }] };
}

/** Keys scoped to a cluster or project reach nothing global (users, settings, drivers, other keys' owners…). */
export function requireUnscopedKey(context: Context): void {
  if (context.principal?.clusterId || context.principal?.projectId) {
    throw new ApiError('PERMISSION_DENIED', 'a key scoped to a cluster or project cannot do this');
  }
}

/** Throws NOT_FOUND unless `where` (the caller's visibility and the id) matches a row. */
export async function ensureVisible(found: Promise<unknown>, type: string, id: string): Promise<void> {
  if (!(await found)) throw notFound(type, id);
}
