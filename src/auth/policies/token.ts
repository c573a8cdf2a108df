import type { Prisma } from '../../generated/prisma/client.js';
import { visibleTokens } from '../visibility.js';
import { unscopedKeysOnly, type ResourcePolicy } from './policy.js';

/**
 * API keys: users see and manage their own, admins everyone's. A key scoped to a
 * cluster or a project sees only itself and manages nothing (it could otherwise
 * re-activate or delete the user's wider keys), nor creates keys.
 */
export const tokenPolicy: ResourcePolicy<{ id: string; userId: string }, Prisma.TokenWhereInput, 'manage'> = {
  type: 'token',
  store: (services) => services.tokens,
  where: (principal, verb) => (verb === 'read' || !unscopedKeysOnly(principal) ? visibleTokens(principal) : { id: { in: [] } }),
  rowColumns: { id: true, userId: true },
  allows: (access, token) => !unscopedKeysOnly(access.principal) && (access.actsAsAdmin() || token.userId === access.principal?.userId),
  gate: (principal, verb) => (verb === 'create' ? unscopedKeysOnly(principal) : undefined),
};
