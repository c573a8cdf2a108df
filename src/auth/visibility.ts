import type { Prisma, ProjectSecretKind } from '../generated/prisma/client.js';
import { actsAsAdmin, type Principal } from './principal.js';
import { clusterTemplatesGranting, templatesGrantingOnProjects, type ClusterVerb, type ProjectVerb } from './role-templates.js';

/**
 * What a caller may do, as Prisma `where` fragments, so that lists, counts, single
 * reads and permission checks all filter in SQL, and a resource the caller may not
 * see is indistinguishable from a missing one (NOT_FOUND).
 *
 * The rule is always: what the user's roles allow ∩ what the key's scope allows.
 * Admins' roles allow everything; other users' come from their cluster and project
 * role template bindings (src/auth/role-templates.ts says which verbs each grants).
 *
 * Combine a fragment with other conditions through `AND`, never by spreading it
 * next to them: a fragment may constrain `id` itself (a scoped key's cluster) and
 * a spread would silently replace the id being asked for.
 */
const nothing = { id: { in: [] as string[] } };

export function clustersWhere(principal: Principal | null, verb: ClusterVerb = 'read'): Prisma.ClusterWhereInput {
  if (!principal) return nothing;
  const scope = clusterScope(principal, verb);
  if (!scope) return nothing;
  if (principal.isAdmin) return scope;
  const userId = principal.userId;
  const granted: Prisma.ClusterWhereInput[] = [{ bindings: { some: { userId, roleTemplateId: { in: clusterTemplatesGranting(verb) } } } }];
  // Belonging to any of its projects lets a user see the cluster around it.
  if (verb === 'read') granted.push({ projects: { some: { bindings: { some: { userId } } } } });
  return { AND: [scope, { OR: granted }] };
}

export function projectsWhere(principal: Principal | null, verb: ProjectVerb = 'read'): Prisma.ProjectWhereInput {
  if (!principal) return nothing;
  const scope: Prisma.ProjectWhereInput = principal.projectId ? { id: principal.projectId } : principal.clusterId ? { clusterId: principal.clusterId } : {};
  if (principal.isAdmin) return scope;
  const userId = principal.userId;
  return {
    AND: [
      scope,
      {
        OR: [
          { bindings: { some: { userId, roleTemplateId: { in: templatesGrantingOnProjects('project', verb) } } } },
          { cluster: { bindings: { some: { userId, roleTemplateId: { in: templatesGrantingOnProjects('cluster', verb) } } } } },
        ],
      },
    ],
  };
}

/** What can be done to a project's resources: see them, or change them. */
export type ResourceVerb = Extract<ProjectVerb, 'read' | 'manageResources'>;

/**
 * Namespaces in a project follow the project's verbs; namespaces outside any project
 * (and what they hold) are the cluster's, seen and changed only by those who manage
 * its namespaces (cluster owners, admins).
 */
export function namespacesWhere(principal: Principal | null, verb: ResourceVerb = 'read'): Prisma.NamespaceWhereInput {
  if (!principal) return nothing;
  return {
    OR: [
      { AND: [{ projectId: { not: null } }, { project: projectsWhere(principal, verb) }] },
      { AND: [{ projectId: null }, { cluster: clustersWhere(principal, 'manageNamespaces') }] },
    ],
  };
}

/** Workloads, secrets, services and ingresses are reached through their namespace, whose rule they share. */
export const workloadsWhere = (principal: Principal | null, verb: ResourceVerb = 'read'): Prisma.WorkloadWhereInput => ({
  namespace: namespacesWhere(principal, verb),
});
export const namespacedSecretsWhere = (principal: Principal | null, verb: ResourceVerb = 'read'): Prisma.NamespacedSecretWhereInput => ({
  namespace: namespacesWhere(principal, verb),
});
export const servicesWhere = (principal: Principal | null, verb: ResourceVerb = 'read'): Prisma.ServiceWhereInput => ({
  namespace: namespacesWhere(principal, verb),
});
export const ingressesWhere = (principal: Principal | null, verb: ResourceVerb = 'read'): Prisma.IngressWhereInput => ({
  namespace: namespacesWhere(principal, verb),
});

/**
 * Typed project secrets of one kind: the namespaced ones share their namespace's rule;
 * the project-wide ones (no namespace) their project's.
 */
export const projectSecretsWhere = (
  principal: Principal | null,
  verb: ResourceVerb,
  kind: ProjectSecretKind,
  namespaced: boolean,
): Prisma.ProjectSecretWhereInput => ({
  AND: [{ kind }, namespaced ? { namespace: namespacesWhere(principal, verb) } : { namespaceId: null, projectScope: projectsWhere(principal, verb) }],
});

/** A key scoped to a project reaches its cluster only to read it; one scoped to a cluster, only that cluster. */
function clusterScope(principal: Principal, verb: ClusterVerb): Prisma.ClusterWhereInput | null {
  if (principal.projectId) return verb === 'read' ? { projects: { some: { id: principal.projectId } } } : null;
  return principal.clusterId ? { id: principal.clusterId } : {};
}

/**
 * Admins see every user; anyone else sees exactly themselves. So does an admin's key
 * scoped to a cluster or project: users are global, beyond any such scope.
 */
export function visibleUsers(principal: Principal | null): Prisma.UserWhereInput {
  return actsAsAdmin(principal) ? {} : { id: principal?.userId ?? '' };
}

/**
 * Users see their own keys; admins see everyone's. A key scoped to a cluster or a
 * project sees only itself: otherwise it could re-activate, delete or list the
 * user's wider keys (or, for an admin, everyone's).
 */
export function visibleTokens(principal: Principal | null): Prisma.TokenWhereInput {
  if (!principal) return nothing;
  if (principal.clusterId || principal.projectId) return { id: principal.tokenId };
  return principal.isAdmin ? {} : { userId: principal.userId };
}

/** Owners see their cloud credentials; admins see everyone's; a scoped key sees none. */
export const visibleCloudCredentials = (principal: Principal | null): Prisma.CloudCredentialWhereInput => ownedRows(principal);

/** Rows with an owner (credentials, node templates): their owner's and admins', none for a scoped key. */
function ownedRows(principal: Principal | null): { ownerId?: string; id?: { in: string[] } } {
  if (!principal || principal.clusterId || principal.projectId) return nothing;
  return principal.isAdmin ? {} : { ownerId: principal.userId };
}

/** Node templates are their owner's, as cloud credentials are: owners and admins, no scoped key. */
export const visibleNodeTemplates = (principal: Principal | null): Prisma.NodeTemplateWhereInput => ownedRows(principal);

/** A cluster's node pools follow the cluster: those who read it read them, those who change it change them. */
export const nodePoolsWhere = (principal: Principal | null, verb: 'read' | 'update' = 'read'): Prisma.NodePoolWhereInput => ({
  cluster: clustersWhere(principal, verb),
});

/**
 * A cluster's registration tokens are credentials (an agent registers the cluster with one):
 * those who may change the cluster (its owners, admins) see and manage them; its members
 * and project members, who read the cluster, do not.
 */
export const clusterRegistrationTokensWhere = (principal: Principal | null): Prisma.ClusterRegistrationTokenWhereInput => ({
  cluster: clustersWhere(principal, 'update'),
});

export const visibleClusters = (principal: Principal | null) => clustersWhere(principal, 'read');
export const visibleProjects = (principal: Principal | null) => projectsWhere(principal, 'read');
