import type { Prisma } from '../../generated/prisma/client.js';
import type { ProjectVerb } from '../role-templates.js';
import { projectsWhere } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/**
 * Projects: admins, the project's members, and the members of its cluster whose role
 * reaches its projects (cluster owners). A scoped key reaches its project, or the
 * projects of its cluster.
 */
export const projectPolicy: ResourcePolicy<{ id: string; clusterId: string }, Prisma.ProjectWhereInput, ProjectVerb> = {
  type: 'project',
  store: (services) => services.projects,
  where: projectsWhere,
  rowColumns: { id: true, clusterId: true },
  allows: (access, project, verb) => access.onProject(project, verb),
};
