import type { Prisma } from '../../generated/prisma/client.js';
import { visibleNodeTemplates } from '../visibility.js';
import { ownerOrAdmin, unscopedKeysOnly, type ResourcePolicy } from './policy.js';

/** Node templates: their owner and admins see and change them; a key scoped to a cluster or project reaches none. */
export const nodeTemplatePolicy: ResourcePolicy<{ id: string; ownerId: string }, Prisma.NodeTemplateWhereInput, 'update' | 'delete'> = {
  type: 'nodeTemplate',
  store: (services) => services.nodeTemplates,
  where: (principal) => visibleNodeTemplates(principal),
  rowColumns: { id: true, ownerId: true },
  allows: ownerOrAdmin,
  gate: (principal) => unscopedKeysOnly(principal),
};
