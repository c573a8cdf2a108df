import type { Prisma } from '../../generated/prisma/client.js';
import { visibleUsers } from '../visibility.js';
import { adminsOnly, unscopedKeysOnly, type ResourcePolicy } from './policy.js';

/** What can be done to a user: admins update and delete anyone (and set passwords); a user changes their own password. */
export type UserVerb = 'update' | 'delete' | 'changeOwnPassword';

/**
 * Users: admins see and manage everyone; anyone else sees exactly themselves (so does
 * an admin's scoped key: users are beyond any cluster or project), and changes only
 * their own password, with an unscoped key.
 */
export const userPolicy: ResourcePolicy<{ id: string }, Prisma.UserWhereInput, UserVerb> = {
  type: 'user',
  store: (services) => services.users,
  where: (principal, verb) => (verb === 'changeOwnPassword' ? { id: principal?.userId ?? '' } : visibleUsers(principal)),
  rowColumns: { id: true },
  allows: (access, user, verb) =>
    verb === 'changeOwnPassword' ? !unscopedKeysOnly(access.principal) && user.id === access.principal?.userId : access.actsAsAdmin(),
  gate: (principal, verb) => (verb === 'read' ? undefined : verb === 'changeOwnPassword' ? unscopedKeysOnly(principal) : adminsOnly(principal)),
};
