import type { Prisma } from '../../generated/prisma/client.js';
import { projectsWhere } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/**
 * Project role template bindings: whoever sees the project sees its bindings; those
 * who manage its members (admins, owners of the project or its cluster) relabel and
 * remove them.
 */
export const projectRoleTemplateBindingPolicy: ResourcePolicy<
  { id: string; projectId: string; project: { clusterId: string } },
  Prisma.ProjectRoleTemplateBindingWhereInput,
  'update' | 'delete'
> = {
  type: 'projectRoleTemplateBinding',
  store: (services) => services.projectRoleBindings,
  where: (principal, verb) => ({ project: projectsWhere(principal, verb === 'read' ? 'read' : 'manageMembers') }),
  rowColumns: { id: true, projectId: true, project: { select: { clusterId: true } } },
  allows: (access, binding) => access.onProject({ id: binding.projectId, clusterId: binding.project.clusterId }, 'manageMembers'),
};
