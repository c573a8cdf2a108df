import { z } from 'zod';
import { actsAsAdmin } from '../auth/principal.js';
import type { Prisma } from '../generated/prisma/client.js';
import { settingView } from '../services/settings.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';

const SettingSource = builder.enumType('SettingSource', { values: ['default', 'db'] as const });

const SettingNode = builder.prismaNode('Setting', {
  id: { field: 'id' },
  description: 'A server setting, addressed by its name. An empty value restores the default.',
  fields: (t) => ({
    name: t.string({ resolve: (row) => row.id }),
    value: t.string({ description: 'The value in effect: the one set, or the default.', resolve: (row) => settingView(row).value }),
    default: t.string({ resolve: (row) => settingView(row).default }),
    customized: t.boolean({ resolve: (row) => settingView(row).customized }),
    source: t.field({ type: SettingSource, resolve: (row) => settingView(row).source }),
    readOnly: t.boolean({ resolve: (row) => settingView(row).readOnly }),
    description: t.string({ resolve: (row) => settingView(row).description }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({ description: 'Admins change settings that are not read-only.', resolve: (row, _args, context) => actsAsAdmin(context.principal) && !settingView(row).readOnly }),
    builtin: t.boolean({ resolve: (row) => settingView(row).builtin }),
    canRemove: t.boolean({ description: 'Admins remove only settings admins added.', resolve: (row, _args, context) => actsAsAdmin(context.principal) && !settingView(row).builtin }),
  }),
});

const settingList = defineListOptions<Prisma.SettingWhereInput, Prisma.SettingOrderByWithRelationInput>('Setting', {
  id: { filter: StringFilter },
  name: { filter: StringFilter, column: 'id' },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const settingName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'setting names are lowercase letters, digits, - and .');
const settingValue = z.string().max(64 * 1024);

const CreateSettingInput = builder.inputType('CreateSettingInput', {
  fields: (t) => ({ name: t.string({ required: true, validate: settingName }), value: t.string({ defaultValue: '', validate: settingValue }) }),
});

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
  createSetting: t.field({
    type: SettingNode,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateSettingInput, required: true }) },
    resolve: (_root, { input }, context) => context.services.settings.create(input.name, input.value ?? ''),
  }),
  updateSetting: t.field({
    type: SettingNode,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSettingInput, required: true }) },
    resolve: (_root, { id, input }, context) => context.services.settings.update(id, input.value),
  }),
  deleteSetting: t.field({
    type: SettingNode,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => context.services.settings.delete(id),
  }),
}));

