import type { Prisma } from '../../generated/prisma/client.js';
import type { ResourcePolicy } from './policy.js';

/** Role templates: everyone reads them (to know what a role means); nobody changes them. */
export const roleTemplatePolicy: ResourcePolicy<{ id: string }, Prisma.RoleTemplateWhereInput, never> = {
  type: 'roleTemplate',
  store: (services) => services.roleTemplates,
  where: () => ({}),
  rowColumns: { id: true },
  allows: () => false,
};
