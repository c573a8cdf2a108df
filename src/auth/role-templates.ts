/**
 * The built-in role templates and what each one permits. Rancher expresses these as
 * Kubernetes RBAC rules; here they are a closed set of verbs, so every check is a
 * lookup and every visibility rule can be pushed down to SQL as "has a binding to a
 * template that grants this verb".
 *
 * A cluster template can also grant verbs on every project of its cluster (the
 * cluster owner administers all of them); a project template grants verbs on its
 * project only, and being bound to any project lets a user see that project's cluster.
 */
/** `manageNamespaces`: namespaces outside any project (those inside one follow the project's verbs). */
export type ClusterVerb = 'read' | 'update' | 'delete' | 'manageMembers' | 'createProjects' | 'manageNamespaces';
export type ProjectVerb = 'read' | 'update' | 'delete' | 'manageMembers' | 'manageResources';

export interface RoleTemplateDefinition {
  id: string;
  name: string;
  description: string;
  context: 'cluster' | 'project';
  clusterVerbs: readonly ClusterVerb[];
  /** For cluster templates: verbs on every project of the cluster; for project templates: on the project. */
  projectVerbs: readonly ProjectVerb[];
}

const allProjectVerbs: readonly ProjectVerb[] = ['read', 'update', 'delete', 'manageMembers', 'manageResources'];

export const builtinRoleTemplates: readonly RoleTemplateDefinition[] = [
  {
    id: 'cluster-owner',
    name: 'Cluster Owner',
    description: 'Full control of the cluster, its members and all of its projects.',
    context: 'cluster',
    clusterVerbs: ['read', 'update', 'delete', 'manageMembers', 'createProjects', 'manageNamespaces'],
    projectVerbs: allProjectVerbs,
  },
  {
    id: 'cluster-member',
    name: 'Cluster Member',
    description: 'Sees the cluster and creates projects in it (becoming their owner); sees only the projects they are a member of.',
    context: 'cluster',
    clusterVerbs: ['read', 'createProjects'],
    projectVerbs: [],
  },
  {
    id: 'project-owner',
    name: 'Project Owner',
    description: 'Full control of the project, its members and its resources.',
    context: 'project',
    clusterVerbs: [],
    projectVerbs: allProjectVerbs,
  },
  {
    id: 'project-member',
    name: 'Project Member',
    description: 'Manages the resources of the project (namespaces, workloads, secrets) but not the project or its members.',
    context: 'project',
    clusterVerbs: [],
    projectVerbs: ['read', 'manageResources'],
  },
  {
    id: 'read-only',
    name: 'Read-only',
    description: 'Sees the project and its resources.',
    context: 'project',
    clusterVerbs: [],
    projectVerbs: ['read'],
  },
];

/** The role a creator receives on what they create. */
export const clusterCreatorRole = 'cluster-owner';
export const projectCreatorRole = 'project-owner';

const byId = new Map(builtinRoleTemplates.map((template) => [template.id, template]));

export function roleTemplate(id: string): RoleTemplateDefinition | undefined {
  return byId.get(id);
}

/** Ids of the cluster templates that grant `verb` on the cluster itself. */
export function clusterTemplatesGranting(verb: ClusterVerb): string[] {
  return builtinRoleTemplates.filter((template) => template.clusterVerbs.includes(verb)).map((template) => template.id);
}

/** Ids of the templates of `context` that grant `verb` on a project (directly, or on all of a cluster's projects). */
export function templatesGrantingOnProjects(context: 'cluster' | 'project', verb: ProjectVerb): string[] {
  return builtinRoleTemplates.filter((template) => template.context === context && template.projectVerbs.includes(verb)).map((template) => template.id);
}
