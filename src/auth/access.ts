import type { PrismaClient } from '../db/database.js';
import { actsAsAdmin, type Principal } from './principal.js';
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
 * A yes or no, at once when nothing needs reading (an admin, bindings already read):
 * a list's `canUpdate`/`canRemove` ask it for every row, and a promise per row and
 * field is work and garbage the executor then waits on.
 */
export type Decision = boolean | Promise<boolean>;

/** `next` of a value that may still be coming: at once when it is here, once it comes otherwise. */
export function whenKnown<T, R>(value: T | Promise<T>, next: (value: T) => R): R | Promise<Awaited<R>> {
  // `then` flattens what `next` returns, as the type says; TypeScript's `then` typing does not.
  return value instanceof Promise ? (value.then(next) as Promise<Awaited<R>>) : next(value);
}

/** A read a request makes at most once: its promise while it runs, its value from then on. */
class ReadOnce<T> {
  private state: Promise<T> | { readonly value: T } | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): T | Promise<T> {
    this.state ??= this.read().then((value) => {
      this.state = { value };
      return value;
    });
    return this.state instanceof Promise ? this.state : this.state.value;
  }
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
  /** The caller's role bindings, read on the first question that needs them. */
  private readonly bindings = new ReadOnce(() => this.readBindings());
  /** The cluster of the project a project-scoped key is bound to. */
  private readonly keyProjectCluster = new ReadOnce(() => this.clusterOfProject(this.principal!.projectId!));

  constructor(
    private readonly prisma: PrismaClient,
    /** Who is asking (policies of global types compare rows with it). */
    readonly principal: Principal | null,
  ) {}

  /** The same questions for another caller (a stream's subscriber after its rights changed). */
  as(principal: Principal | null): Access {
    return new Access(this.prisma, principal);
  }

  /** The cluster of a project, or undefined once it is gone (judging an event about a removed row). */
  async clusterOfProject(projectId: string): Promise<string | undefined> {
    return (await this.prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } }))?.clusterId;
  }

  /** Admin rights, which only an unscoped key carries (types only admins change ask this). */
  actsAsAdmin(): boolean {
    return actsAsAdmin(this.principal);
  }

  onCluster(clusterId: string, verb: ClusterVerb): Decision {
    const principal = this.principal;
    if (!principal) return false;
    if (principal.projectId) {
      if (verb !== 'read') return false;
      return whenKnown(this.keyProjectCluster.get(), (projectClusterId) => projectClusterId === clusterId && this.grantsOnCluster(principal, clusterId, verb));
    }
    if (principal.clusterId && principal.clusterId !== clusterId) return false;
    return this.grantsOnCluster(principal, clusterId, verb);
  }

  onProject(project: { id: string; clusterId: string }, verb: ProjectVerb): Decision {
    const principal = this.principal;
    if (!principal) return false;
    if (principal.projectId && principal.projectId !== project.id) return false;
    if (principal.clusterId && principal.clusterId !== project.clusterId) return false;
    if (principal.isAdmin) return true;
    const grants = (roles: string[] | undefined) => (roles ?? []).some((id) => roleTemplate(id)?.projectVerbs.includes(verb));
    return whenKnown(this.bindings.get(), (bindings) => grants(bindings.projects.get(project.id)) || grants(bindings.clusters.get(project.clusterId)));
  }

  /** A namespace (or what it holds): its project's verb, or, outside any project, managing the cluster's namespaces. */
  onNamespace(namespace: { clusterId: string; projectId: string | null }, verb: 'read' | 'manageResources'): Decision {
    return namespace.projectId
      ? this.onProject({ id: namespace.projectId, clusterId: namespace.clusterId }, verb)
      : this.onCluster(namespace.clusterId, 'manageNamespaces');
  }

  /** What the principal's own rights say of a cluster its key may reach. */
  private grantsOnCluster(principal: Principal, clusterId: string, verb: ClusterVerb): Decision {
    if (principal.isAdmin) return true;
    return whenKnown(
      this.bindings.get(),
      (bindings) =>
        (bindings.clusters.get(clusterId) ?? []).some((id) => roleTemplate(id)?.clusterVerbs.includes(verb)) ||
        (verb === 'read' && bindings.clustersWithProjectRoles.has(clusterId)),
    );
  }

  private async readBindings(): Promise<Bindings> {
    const userId = this.principal!.userId;
    const [clusterRows, projectRows] = await Promise.all([
      this.prisma.clusterRoleTemplateBinding.findMany({ where: { userId }, select: { clusterId: true, roleTemplateId: true } }),
      // Projects first, their bindings second (Prisma reads a relation in a statement of
      // its own): a project deleted between the two reads is simply absent, where reading
      // bindings first would meet a binding whose required project is already gone.
      this.prisma.project.findMany({
        where: { bindings: { some: { userId } } },
        select: { id: true, clusterId: true, bindings: { where: { userId }, select: { roleTemplateId: true } } },
      }),
    ]);
    const clusters = new Map<string, string[]>();
    for (const row of clusterRows) clusters.set(row.clusterId, [...(clusters.get(row.clusterId) ?? []), row.roleTemplateId]);
    const projects = new Map<string, string[]>();
    const clustersWithProjectRoles = new Set<string>();
    for (const project of projectRows) {
      if (project.bindings.length === 0) continue;
      projects.set(
        project.id,
        project.bindings.map((binding) => binding.roleTemplateId),
      );
      clustersWithProjectRoles.add(project.clusterId);
    }
    return { clusters, projects, clustersWithProjectRoles };
  }
}
