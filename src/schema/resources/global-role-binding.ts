import { globalRoleBindingPolicy } from '../../auth/policies/global-role-binding.js';
import { builder } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { GlobalRole } from './user.js';
import { defineResource } from './define-resource.js';
import { linkedResource, linkTargets } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields, metadataUpdateInput } from '../kubernetes-metadata.js';

/** Everything that makes a GlobalRoleBinding a resource: admins grant and remove global roles; users see their own. */

const CreateGlobalRoleBindingInput = builder.inputType('CreateGlobalRoleBindingInput', {
  description: 'A user and the global role to grant them.',
  fields: (t) => ({
    userId: t.id({ description: fieldDocs.userId, required: true }),
    globalRoleId: t.field({ description: 'The global role granted (Rancher’s `globalRoleId`): ADMIN or USER.', type: GlobalRole, required: true }),
    ...metadataInputFields(t),
  }),
});

defineResource('GlobalRoleBinding', {
  description: 'Grants a user a global role. Every user holds `user`; `admin` may do anything.',
  policy: globalRoleBindingPolicy,
  fields: (t) => ({
    userId: t.exposeID('userId', { description: fieldDocs.userId }),
    user: linkedResource(
      t,
      'userId',
      linkTargets.user,
      'The bound user (`userId`, Rancher’s `userId`). Null when the caller may not see that user: only admins see other users.',
    ),
    globalRoleId: t.field({
      description: 'The global role granted (Rancher’s `globalRoleId`): ADMIN or USER.',
      type: GlobalRole,
      select: { globalRoleId: true },
      resolve: (binding) => (binding.globalRoleId === 'admin' ? 'admin' : 'user'),
    }),
    ...metadataFields(t),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
  }),
  list: {
    id: { filter: StringFilter },
    userId: { filter: StringFilter },
    globalRoleId: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateGlobalRoleBindingInput,
    run: (context, input, query) => context.services.globalRoleBindings.bind(input, query),
  },
  update: {
    input: metadataUpdateInput('GlobalRoleBinding', 'a global role binding'),
    verb: 'update',
    allowedDescription: 'Admins change bindings’ labels and annotations; the user and role are fixed.',
    run: (context, { id, input, query, scope }) => context.services.globalRoleBindings.writeMetadata(id, input, query, scope),
  },
  remove: {
    verb: 'delete',
    allowedDescription: 'Admins remove bindings, but not their own admin role.',
    run: (context, { id, query, scope }) => context.services.globalRoleBindings.unbind(id, context.principal!.userId, query, scope),
  },
});
