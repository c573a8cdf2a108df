import { z } from 'zod';
import { settingPolicy } from '../../auth/policies/setting.js';
import { settingViewColumns } from '../../services/settings.js';
import { builder } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { defineResource } from './define-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/** Everything that makes a Setting a resource: a fixed set, addressed by name (its id), read by all, changed by admins. */

const SettingSource = builder.enumType('SettingSource', {
  description: 'Where the value comes from: the default, the database, or the installation’s environment (read-only).',
  values: {
    default: { description: 'Nobody set it: the built-in default is in effect.' },
    db: { description: 'Set through the API and stored in the database.' },
    env: { description: 'Set by the installation’s environment (`CATTLE_<NAME>`): read-only through the API.' },
  } as const,
});

const UpdateSettingInput = builder.inputType('UpdateSettingInput', {
  description: 'A setting’s new value, and its labels and annotations.',
  fields: (t) => ({
    value: t.string({ required: true, description: 'The new value, at most 64 KiB; empty restores the default.', validate: z.string().max(64 * 1024) }),
    ...metadataInputFields(t),
  }),
});

defineResource('Setting', {
  description: 'A server setting, addressed by its name: a fixed set, changed but never created or removed. An empty value restores the default.',
  policy: settingPolicy,
  fields: (t) => {
    // Every field but `created` is a view of the row: the stored value, the definition and the environment.
    const viewed = { select: settingViewColumns };
    return {
      name: t.string({ ...viewed, description: 'The setting’s name, which is also its id (Rancher’s `name`, as `server-url`).', resolve: (row) => row.id }),
      value: t.string({
        ...viewed,
        description: 'The value in effect: the one set, or the default.',
        resolve: (row, _args, context) => context.services.settings.view(row).value,
      }),
      default: t.string({
        ...viewed,
        description: 'The built-in default (Rancher’s `default`), in effect while nothing is set.',
        resolve: (row, _args, context) => context.services.settings.view(row).default,
      }),
      customized: t.boolean({
        ...viewed,
        description: 'A value other than the default is set (Rancher’s `customized`).',
        resolve: (row, _args, context) => context.services.settings.view(row).customized,
      }),
      source: t.field({
        ...viewed,
        type: SettingSource,
        description: 'Where the value in effect comes from (Rancher’s `source`).',
        resolve: (row, _args, context) => context.services.settings.view(row).source,
      }),
      readOnly: t.boolean({
        ...viewed,
        description: 'It cannot be changed through the API, because the environment sets it (Rancher’s `readOnly`).',
        resolve: (row, _args, context) => context.services.settings.view(row).readOnly,
      }),
      description: t.string({
        description: fieldDocs.description,
        ...viewed,
        resolve: (row, _args, context) => context.services.settings.view(row).description,
      }),
      builtin: t.boolean({
        ...viewed,
        description: 'One of the server’s own settings (all are; Rancher’s `builtin`).',
        resolve: (row, _args, context) => context.services.settings.view(row).builtin,
      }),
      ...metadataFields(t),
      created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
    };
  },
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter, column: 'id' },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  // No create and no remove: the set is fixed (CHANGELOG, stop 20).
  update: {
    input: UpdateSettingInput,
    verb: 'update',
    allowedDescription: 'Admins change settings that are not read-only.',
    run: (context, { id, input, query, scope }) => context.services.settings.update(id, input, query, scope),
  },
});
