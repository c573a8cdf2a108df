import { z } from 'zod';
import { actsAsAdmin } from '../auth/principal.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';

const SettingSource = builder.enumType('SettingSource', {
  description: 'Where the value comes from: the default, the database, or the installation’s environment (read-only).',
  values: ['default', 'db', 'env'] as const,
});

const SettingNode = builder.prismaNode('Setting', {
  id: { field: 'id' },
  description: 'A server setting, addressed by its name: a fixed set, changed but never created or removed. An empty value restores the default.',
  fields: (t) => ({
    name: t.string({ resolve: (row) => row.id }),
    value: t.string({ description: 'The value in effect: the one set, or the default.', resolve: (row, _args, context) => context.services.settings.view(row).value }),
    default: t.string({ resolve: (row, _args, context) => context.services.settings.view(row).default }),
    customized: t.boolean({ resolve: (row, _args, context) => context.services.settings.view(row).customized }),
    source: t.field({ type: SettingSource, resolve: (row, _args, context) => context.services.settings.view(row).source }),
    readOnly: t.boolean({ resolve: (row, _args, context) => context.services.settings.view(row).readOnly }),
    description: t.string({ resolve: (row, _args, context) => context.services.settings.view(row).description }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({ description: 'Admins change settings that are not read-only.', resolve: (row, _args, context) => actsAsAdmin(context.principal) && !context.services.settings.view(row).readOnly }),
    builtin: t.boolean({ resolve: (row, _args, context) => context.services.settings.view(row).builtin }),
  }),
});

const settingList = defineListOptions<Prisma.SettingWhereInput, Prisma.SettingOrderByWithRelationInput>('Setting', {
  id: { filter: StringFilter },
  name: { filter: StringFilter, column: 'id' },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const settingValue = z.string().max(64 * 1024);

const UpdateSettingInput = builder.inputType('UpdateSettingInput', {
  fields: (t) => ({ value: t.string({ required: true, validate: settingValue }) }),
});

builder.queryFields((t) => ({
  setting: t.prismaField({
    type: 'Setting',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => context.services.settings.get(id, query),
  }),
  settings: t.connection(
    {
      type: SettingNode,
      args: { filter: t.arg({ type: settingList.Filter }), sort: t.arg({ type: settingList.Sort }) },
      resolve: (_root, args, context, info) => settingList.page({ args, context, info }, context.services.settings),
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  updateSetting: t.field({
    type: SettingNode,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSettingInput, required: true }) },
    resolve: (_root, { id, input }, context) => context.services.settings.update(id, input.value),
  }),
}));

