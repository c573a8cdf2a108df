import type { Prisma } from '../../generated/prisma/client.js';
import { settingViewColumns } from '../../services/settings.js';
import { adminsOnly, type ResourcePolicy } from './policy.js';

/**
 * Settings: everyone reads them; admins change those that are not read-only (a
 * read-only one is refused by the service as METHOD_NOT_ALLOWED, whoever asks).
 */
export const settingPolicy: ResourcePolicy<{ id: string; value: string }, Prisma.SettingWhereInput, 'update'> = {
  type: 'setting',
  store: (services) => services.settings,
  where: () => ({}),
  rowColumns: settingViewColumns,
  allows: (access, setting, _verb, services) => access.actsAsAdmin() && !services.settings.view(setting).readOnly,
  gate: (principal, verb) => (verb === 'read' ? undefined : adminsOnly(principal)),
};
