import { actsAsAdmin } from '../auth/principal.js';
import { requireUnscopedKey, visibleUsers } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { GlobalRole } from './users.js';

/** Admins see every binding; anyone else, their own. */
const visibleGlobalBindings = (context: Context): Prisma.GlobalRoleBindingWhereInput => ({ user: visibleUsers(context.principal) });

const GlobalRoleBindingNode = builder.prismaNode('GlobalRoleBinding', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [visibleGlobalBindings(context)] }),
  description: 'Grants a user a global role. Every user holds `user`; `admin` may do anything.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    globalRoleId: t.field({ type: GlobalRole, resolve: (binding) => (binding.globalRoleId === 'admin' ? 'admin' : 'user') }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canRemove: t.boolean({
      description: 'Admins remove bindings, but not their own admin role.',
      resolve: (binding, _args, context) => actsAsAdmin(context.principal) && !(binding.userId === context.principal?.userId && binding.globalRoleId === 'admin'),
    }),
  }),
});

const globalBindingList = defineListOptions<Prisma.GlobalRoleBindingWhereInput, Prisma.GlobalRoleBindingOrderByWithRelationInput>('GlobalRoleBinding', {
  id: { filter: StringFilter },
  userId: { filter: StringFilter },
  globalRoleId: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const CreateGlobalRoleBindingInput = builder.inputType('CreateGlobalRoleBindingInput', {
  fields: (t) => ({
    userId: t.id({ required: true }),
    globalRoleId: t.field({ type: GlobalRole, required: true }),
  }),
});

builder.queryFields((t) => ({
  globalRoleBinding: t.prismaField({
    type: 'GlobalRoleBinding',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) =>
      orNotFound(context.prisma.globalRoleBinding.findFirst({ ...query, where: { AND: [{ id }, visibleGlobalBindings(context)] } }), 'globalRoleBinding', id),
  }),
  globalRoleBindings: t.connection(
    {
      type: GlobalRoleBindingNode,
      args: { filter: t.arg({ type: globalBindingList.Filter }), sort: t.arg({ type: globalBindingList.Sort }) },
      resolve: (_root, args, context, info) => globalBindingList.page({ args, context, info, scope: visibleGlobalBindings(context) }, context.services.users.globalBindings),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createGlobalRoleBinding: t.prismaField({
    type: 'GlobalRoleBinding',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateGlobalRoleBindingInput, required: true }) },
    resolve: (query, _root, { input }, context) => {
      requireUnscopedKey(context);
      return context.services.users.bindGlobalRole(input.userId, input.globalRoleId, query);
    },
  }),
  deleteGlobalRoleBinding: t.prismaField({
    type: 'GlobalRoleBinding',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => {
      requireUnscopedKey(context);
      return context.services.users.unbindGlobalRole(id, context.principal!.userId, query);
    },
  }),
}));
