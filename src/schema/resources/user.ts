import { z } from 'zod';
import { userPolicy } from '../../auth/policies/user.js';
import { fieldRateLimit } from '../../graphql/field-limits.js';
import { builder } from '../builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter } from '../list-options.js';
import { description, displayName } from '../validators.js';
import { defineResource } from './define-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  displayName: 'The name shown to people (Rancher’s `name` of a user): 1–253 characters.',
  enabled: 'The user may log in and their keys work (Rancher’s `enabled`); false locks them out without deleting them.',
  globalRole: 'Their global role (Rancher’s global role binding): ADMIN or USER.',
} as const;

/** Everything that makes a User a resource: admins manage users; a user sees themselves (`me`) and changes their own password. */

export const GlobalRole = builder.enumType('GlobalRole', {
  description: '`admin` may do anything; `user` what their own resources and bindings allow.',
  values: {
    admin: { description: 'May do anything, through an unscoped key.' },
    user: { description: 'May do what their own resources and role bindings allow; every user holds it.' },
  } as const,
});

const username = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_.@]*$/, 'usernames are letters, digits and - _ . @');
const password = z.string().max(1024);
const newPasswordDoc = 'The new password: 12–1024 characters, not the username.';

const CreateUserInput = builder.inputType('CreateUserInput', {
  description: 'A new local user with a password; a USER unless `globalRole` says ADMIN.',
  fields: (t) => ({
    username: t.string({
      description:
        'The name the user logs in with (Rancher’s `username`): 1–253 letters, digits and `- _ . @`, starting with a letter or digit; unique, and fixed once created.',
      required: true,
      validate: username,
    }),
    password: t.string({ required: true, description: 'At least 12 characters, not the username.', validate: password }),
    displayName: t.string({ description: docs.displayName, validate: displayName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    enabled: t.boolean({
      description: docs.enabled,
      defaultValue: true,
    }),
    globalRole: t.field({ description: docs.globalRole, type: GlobalRole, defaultValue: 'user' }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'The fields of a user to change; the username and password are not among them (setUserPassword, changeUserPassword).',
  fields: (t) => ({
    displayName: t.string({ description: docs.displayName, validate: displayName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    enabled: t.boolean({ description: docs.enabled }),
    globalRole: t.field({ description: docs.globalRole, type: GlobalRole }),
  }),
});

const SetPasswordInput = builder.inputType('SetPasswordInput', {
  description: 'A new password an admin sets for a user.',
  fields: (t) => ({ newPassword: t.string({ required: true, description: newPasswordDoc, validate: password }) }),
});
const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  description: 'The caller’s current password and the new one.',
  fields: (t) => ({
    currentPassword: t.string({ required: true, description: 'The password the caller logs in with now, to prove it is them.', validate: password }),
    newPassword: t.string({ required: true, description: newPasswordDoc, validate: password }),
  }),
});

defineResource('User', {
  description: 'A person or robot that logs in and owns API keys. Passwords are write-only.',
  policy: userPolicy,
  rowPermissions: false,
  fields: (t) => ({
    username: t.exposeString('username', {
      description:
        'The name the user logs in with (Rancher’s `username`): 1–253 letters, digits and `- _ . @`, starting with a letter or digit; unique, and fixed once created.',
    }),
    displayName: t.exposeString('displayName', { description: docs.displayName }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    enabled: t.exposeBoolean('enabled', {
      description: docs.enabled,
    }),
    globalRole: t.field({
      type: GlobalRole,
      description: 'The strongest global role the user is bound to (see globalRoleBindings).',
      select: { globalBindings: { where: { globalRoleId: 'admin' }, select: { id: true } } },
      resolve: (user) => (user.globalBindings.length > 0 ? 'admin' : 'user'),
    }),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
    me: t.boolean({ description: 'This is the caller.', resolve: (user, _args, context) => context.principal?.userId === user.id }),
  }),
  list: {
    id: { filter: StringFilter },
    username: { filter: StringFilter },
    displayName: { filter: StringFilter },
    enabled: { filter: BooleanFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
    me: { filter: BooleanFilter, column: 'id', isCaller: true },
  },
  create: {
    input: CreateUserInput,
    run: (context, input, query) => context.services.users.create(input, query),
  },
  update: {
    input: UpdateUserInput,
    verb: 'update',
    run: (context, { id, input, query, scope }) => context.services.users.update(id, input, context.principal!.userId, query, scope),
  },
  remove: {
    verb: 'delete',
    run: (context, { id, query, scope }) => context.services.users.remove(id, context.principal!.userId, query, scope),
  },
  nodeActions: {
    // Rancher's user actions are lower case (its user schema and generated clients):
    // /v3 lists these by those names, and still runs them by the derived ones.
    setPassword: {
      input: SetPasswordInput,
      verb: 'update',
      extensions: { norman: { action: 'setpassword' } },
      description: 'An admin sets a user’s password.',
      run: (context, { id, input, query, scope }) => context.services.users.setPassword(id, input.newPassword, query, scope),
    },
    changePassword: {
      input: ChangePasswordInput,
      verb: 'changeOwnPassword',
      // Rancher's `changepassword` is a collection action: it changes the caller's own.
      defaultTarget: { description: 'the caller', id: (context) => context.principal!.userId },
      // Proving the current password is a guess like a login.
      extensions: { ...fieldRateLimit({ max: 5, window: '1m' }), norman: { action: 'changepassword' } },
      description: 'A user changes their own password (the id, if given, must be theirs).',
      run: (context, { id, input, query, scope }) => context.services.users.changeOwnPassword(id, input.currentPassword, input.newPassword, query, scope),
    },
  },
});

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    description: 'The user behind the credential of this request.',
    resolve: (query, _root, _args, context) => context.services.users.get(context.principal!.userId, query),
  }),
);
