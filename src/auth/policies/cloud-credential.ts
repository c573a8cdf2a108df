import type { Prisma } from '../../generated/prisma/client.js';
import { visibleCloudCredentials } from '../visibility.js';
import { ownerOrAdmin, unscopedKeysOnly, type ResourcePolicy } from './policy.js';

/**
 * Cloud credentials: their owner and admins see and change them. A key scoped to a
 * cluster or a project is refused them all (PERMISSION_DENIED, the same for every id,
 * so it learns nothing of which exist).
 */
export const cloudCredentialPolicy: ResourcePolicy<{ id: string; ownerId: string }, Prisma.CloudCredentialWhereInput, 'update' | 'delete'> = {
  type: 'cloudCredential',
  store: (services) => services.cloudCredentials,
  where: (principal) => visibleCloudCredentials(principal),
  rowColumns: { id: true, ownerId: true },
  allows: ownerOrAdmin,
  gate: (principal) => unscopedKeysOnly(principal),
};
