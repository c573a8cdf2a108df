import type { PrismaClient } from '../db/database.js';
import type { Principal } from './principal.js';
import { roleTemplate, type ClusterVerb, type ProjectVerb } from './role-templates.js';

interface Bindings {
  /** clusterId → role template ids bound on it. */
  clusters: Map<string, string[]>;
  /** projectId → role template ids bound on it. */
  projects: Map<string, string[]>;
  /** Clusters in which the user belongs to at least one project. */
  clustersWithProjectRoles: Set<string>;
}

/**
 * Per-request answers to "may this caller do X to this row?", for the fields that
 * tell a client what it may do (canUpdate, canRemove, availableActions) on every
 * row of a list. The caller's bindings are read once, on first use, so a list of
 * any length costs two queries. The rules are those of visibility.ts — that file
 * filters rows in SQL, this one answers for rows already loaded — and the
 * authorization matrix test holds the two to the same answers.
 */
export class Access {
  private bindings: Promise<Bindings> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly principal: Principal | null,
  ) {}

  async onCluster(clusterId: string, verb: ClusterVerb): Promise<boolean> {
    const principal = this.principal;
    if (!principal) return false;
    if (principal.projectId) {
      if (verb !== 'read' || (await this.projectCluster(principal.projectId)) !== clusterId) return false;
    } else if (principal.clusterId && principal.clusterId !== clusterId) return false;
    if (principal.isAdmin) return true;
    const bindings = await this.load();
    if ((bindings.clusters.get(clusterId) ?? []).some((id) => roleTemplate(id)?.clusterVerbs.includes(verb))) return true;
    return verb === 'read' && bindings.clustersWithProjectRoles.has(clusterId);
  }

  async onProject(project: { id: string; clusterId: string }, verb: ProjectVerb): Promise<boolean> {
    const principal = this.principal;
    if (!principal) return false;
    if (principal.projectId && principal.projectId !== project.id) return false;
    if (principal.clusterId && principal.clusterId !== project.clusterId) return false;
    if (principal.isAdmin) return true;
    const bindings = await this.load();
    const grants = (roles: string[] | undefined) => (roles ?? []).some((id) => roleTemplate(id)?.projectVerbs.includes(verb));
    return grants(bindings.projects.get(project.id)) || grants(bindings.clusters.get(project.clusterId));
  }

  /** A namespace (or what it holds): its project's verb, or, outside any project, managing the cluster's namespaces. */
  onNamespace(namespace: { clusterId: string; projectId: string | null }, verb: 'read' | 'manageResources'): Promise<boolean> {
    return namespace.projectId ? this.onProject({ id: namespace.projectId, clusterId: namespace.clusterId }, verb) : this.onCluster(namespace.clusterId, 'manageNamespaces');
  }

  private load(): Promise<Bindings> {
    this.bindings ??= this.read();
    return this.bindings;
  }

  private async read(): Promise<Bindings> {
    const userId = this.principal!.userId;
    const [clusterRows, projectRows] = await Promise.all([
      this.prisma.clusterRoleTemplateBinding.findMany({ where: { userId }, select: { clusterId: true, roleTemplateId: true } }),
      this.prisma.projectRoleTemplateBinding.findMany({ where: { userId }, select: { projectId: true, roleTemplateId: true, project: { select: { clusterId: true } } } }),
    ]);
    const clusters = new Map<string, string[]>();
    for (const row of clusterRows) clusters.set(row.clusterId, [...(clusters.get(row.clusterId) ?? []), row.roleTemplateId]);
    const projects = new Map<string, string[]>();
    for (const row of projectRows) projects.set(row.projectId, [...(projects.get(row.projectId) ?? []), row.roleTemplateId]);
    return { clusters, projects, clustersWithProjectRoles: new Set(projectRows.map((row) => row.project.clusterId)) };
  }

  private projectClusterId: Promise<string | undefined> | undefined;

  /** The cluster of the project a project-scoped key is bound to. */
  private projectCluster(projectId: string): Promise<string | undefined> {
    this.projectClusterId ??= this.prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } }).then((row) => row?.clusterId);
    return this.projectClusterId;
  }
}
