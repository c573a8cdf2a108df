import { z } from 'zod';
import { requireUnscopedKey, visibleUsers } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { ApiError, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { fieldRateLimit } from '../graphql/field-limits.js';
import { builder } from './builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { description, displayName } from './validators.js';

export const GlobalRole = builder.enumType('GlobalRole', { description: '`admin` may do anything; `user` what their own resources and bindings allow.', values: ['admin', 'user'] as const });

const UserNode = builder.prismaNode('User', {
  id: { field: 'id' },
  description: 'A person or robot that logs in and owns API keys. Passwords are write-only.',
  // AND, never a spread: visibleUsers() itself constrains `id` and must not replace the one asked for.
  findUnique: (id, context) => ({ id, AND: [visibleUsers(context.principal)] }),
  fields: (t) => ({
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    description: t.exposeString('description'),
    enabled: t.exposeBoolean('enabled'),
    globalRole: t.field({
      type: GlobalRole,
      description: 'The strongest global role the user is bound to (see globalRoleBindings).',
      select: { globalBindings: { where: { globalRoleId: 'admin' }, select: { id: true } } },
      resolve: (user) => (user.globalBindings.length > 0 ? 'admin' : 'user'),
    }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    me: t.boolean({ description: 'This is the caller.', resolve: (user, _args, context) => context.principal?.userId === user.id }),
  }),
});

const userList = defineListOptions<Prisma.UserWhereInput, Prisma.UserOrderByWithRelationInput>('User', {
  id: { filter: StringFilter },
  username: { filter: StringFilter },
  displayName: { filter: StringFilter },
  enabled: { filter: BooleanFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const username = z.string().min(1).max(253).regex(/^[A-Za-z0-9][-A-Za-z0-9_.@]*$/, 'usernames are letters, digits and - _ . @');
const password = z.string().max(1024);

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    username: t.string({ required: true, validate: username }),
    password: t.string({ required: true, description: 'At least 12 characters, not the username.', validate: password }),
    displayName: t.string({ validate: displayName }),
    description: t.string({ validate: description }),
    enabled: t.boolean({ defaultValue: true }),
    globalRole: t.field({ type: GlobalRole, defaultValue: 'user' }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    displayName: t.string({ validate: displayName }),
    description: t.string({ validate: description }),
    enabled: t.boolean(),
    globalRole: t.field({ type: GlobalRole }),
  }),
});

const SetPasswordInput = builder.inputType('SetPasswordInput', { fields: (t) => ({ newPassword: t.string({ required: true, validate: password }) }) });
const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({ currentPassword: t.string({ required: true, validate: password }), newPassword: t.string({ required: true, validate: password }) }),
});

async function visibleUser(context: Context, id: string): Promise<void> {
  await orNotFound(context.prisma.user.findFirst({ where: { AND: [{ id }, visibleUsers(context.principal)] }, select: { id: true } }), 'user', id);
}

builder.queryFields((t) => ({
  me: t.prismaField({
    type: 'User',
    description: 'The user behind the credential of this request.',
    resolve: (query, _root, _args, context) => context.services.users.get(context.principal!.userId, query),
  }),
  user: t.prismaField({
    type: 'User',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await visibleUser(context, id);
      return context.services.users.get(id, query);
    },
  }),
  users: t.connection(
    {
      type: UserNode,
      args: { filter: t.arg({ type: userList.Filter }), sort: t.arg({ type: userList.Sort }) },
      resolve: (_root, args, context, info) => userList.page({ args, context, info, scope: visibleUsers(context.principal) }, context.services.users),
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createUser: t.prismaField({
    type: 'User',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (query, _root, { input }, context) => {
      requireUnscopedKey(context);
      return context.services.users.create(input, query);
    },
  }),
  updateUser: t.prismaField({
    type: 'User',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: (query, _root, { id, input }, context) => {
      requireUnscopedKey(context);
      return context.services.users.update(id, input, context.principal!.userId, query);
    },
  }),
  deleteUser: t.prismaField({
    type: 'User',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => {
      requireUnscopedKey(context);
      return context.services.users.delete(id, context.principal!.userId, query);
    },
  }),
  userSetPassword: t.prismaField({
    type: 'User',
    description: 'An admin sets a user’s password.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: SetPasswordInput, required: true }) },
    resolve: (query, _root, { id, input }, context) => {
      requireUnscopedKey(context);
      return context.services.users.setPassword(id, input.newPassword, query);
    },
  }),
  userChangePassword: t.prismaField({
    // Proving the current password is a guess like a login.
    extensions: fieldRateLimit({ max: 5, window: '1m' }),
    type: 'User',
    description: 'A user changes their own password (the id must be theirs).',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      requireUnscopedKey(context);
      if (id !== context.principal!.userId) {
        await visibleUser(context, id);
        throw new ApiError('PERMISSION_DENIED', 'you can change only your own password this way');
      }
      return context.services.users.changeOwnPassword(id, input.currentPassword, input.newPassword, query);
    },
  }),
}));
