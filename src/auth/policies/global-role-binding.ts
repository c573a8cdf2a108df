import type { Prisma } from '../../generated/prisma/client.js';
import { visibleUsers } from '../visibility.js';
import { adminsOnly, type ResourcePolicy } from './policy.js';

/**
 * Global role bindings: admins see and manage every binding (but never remove their
 * own admin role; relabelling it takes nothing away); anyone else sees their own.
 */
export const globalRoleBindingPolicy: ResourcePolicy<
  { id: string; userId: string; globalRoleId: string },
  Prisma.GlobalRoleBindingWhereInput,
  'update' | 'delete'
> = {
  type: 'globalRoleBinding',
  store: (services) => services.globalRoleBindings,
  where: (principal) => ({ user: visibleUsers(principal) }),
  rowColumns: { id: true, userId: true, globalRoleId: true },
  allows: (access, binding, verb) =>
    access.actsAsAdmin() && (verb === 'update' || !(binding.userId === access.principal?.userId && binding.globalRoleId === 'admin')),
  gate: (principal, verb) => (verb === 'read' ? undefined : adminsOnly(principal)),
};
