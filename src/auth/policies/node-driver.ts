import type { Prisma } from '../../generated/prisma/client.js';
import { adminsOnly, type ResourcePolicy } from './policy.js';

/** What can be done to a driver beyond reading it; activating and deactivating are updates. */
export type NodeDriverVerb = 'update' | 'delete';

/**
 * Node drivers: everyone reads them (the console offers their machine configs);
 * only admins change them, and built-in drivers are never removed.
 */
export const nodeDriverPolicy: ResourcePolicy<{ id: string; builtin: boolean }, Prisma.NodeDriverWhereInput, NodeDriverVerb> = {
  type: 'nodeDriver',
  store: (services) => services.nodeDrivers,
  where: () => ({}),
  rowColumns: { id: true, builtin: true },
  allows: (access, driver, verb) => access.actsAsAdmin() && !(verb === 'delete' && driver.builtin),
  gate: (principal, verb) => (verb === 'read' ? undefined : adminsOnly(principal)),
};
