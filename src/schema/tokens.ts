import { z } from 'zod';
import type { Context } from '../context.js';
import { requireUnscopedKey, visibleClusters, visibleProjects, visibleTokens } from '../auth/visibility.js';
import { invalidInput, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { ttlOf } from '../services/tokens.js';
import { fieldRateLimit } from '../graphql/field-limits.js';
import { builder } from './builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { description, optionalReference } from './validators.js';

/** A key's secret exists only on the object that creation or login just returned. */
type WithSecret = { token?: string };

const TokenNode = builder.prismaNode('Token', {
  id: { field: 'id' },
  // `node(id:)` must not reveal other people's keys either.
  findUnique: (id, context) => ({ id, AND: [visibleTokens(context.principal)] }),
  description: 'An API key (`token-xxxxx` and a secret) or a login session.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    userId: t.exposeID('userId'),
    clusterId: t.exposeID('clusterId', { nullable: true }),
    projectId: t.exposeID('projectId', { nullable: true }),
    enabled: t.exposeBoolean('enabled'),
    isDerived: t.exposeBoolean('isDerived', { description: 'False for the session a login created.' }),
    ttl: t.float({ description: 'Lifetime in milliseconds; 0 never expires.', resolve: ttlOf }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    expired: t.boolean({ resolve: (token) => token.expiresAt !== null && token.expiresAt.getTime() <= Date.now() }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    current: t.boolean({ description: 'This key made the request.', resolve: (token, _args, context) => context.principal?.tokenId === token.id }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    token: t.string({
      nullable: true,
      description: '`token-xxxxx:<secret>`: present only in the answer that created the key, never again.',
      // A secret in an answer: the audit log redacts fields marked so (src/audit/redaction.ts).
      extensions: { secret: true },
      resolve: (token) => (token as WithSecret).token ?? null,
    }),
    availableActions: t.stringList({ resolve: (token) => [token.enabled ? 'deactivate' : 'activate'] }),
  }),
});

const tokenList = defineListOptions<Prisma.TokenWhereInput, Prisma.TokenOrderByWithRelationInput>('Token', {
  id: { filter: StringFilter },
  name: { filter: StringFilter },
  description: { filter: StringFilter },
  userId: { filter: StringFilter },
  clusterId: { filter: StringFilter, nullable: true },
  projectId: { filter: StringFilter, nullable: true },
  enabled: { filter: BooleanFilter },
  isDerived: { filter: BooleanFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

async function ownToken(context: Context, id: string) {
  await orNotFound(context.prisma.token.findFirst({ where: { AND: [{ id }, visibleTokens(context.principal)] }, select: { id: true } }), 'token', id);
}

/** A key is scoped only to a cluster or project its owner can see; a project inside the cluster given. */
async function checkScope(context: Context, input: { clusterId?: string | null; projectId?: string | null }): Promise<void> {
  if (input.clusterId) {
    const cluster = await context.services.clusters.find(input.clusterId, { select: { id: true } }, visibleClusters(context.principal));
    if (!cluster) throw invalidInput('clusterId', `cluster ${JSON.stringify(input.clusterId)} not found`, 'InvalidReference');
  }
  if (input.projectId) {
    const project = await context.services.projects.find(input.projectId, { select: { clusterId: true } }, visibleProjects(context.principal));
    if (!project) throw invalidInput('projectId', `project ${JSON.stringify(input.projectId)} not found`, 'InvalidReference');
    if (input.clusterId && project.clusterId !== input.clusterId) throw invalidInput('projectId', 'the project is not in the cluster given', 'InvalidReference');
  }
}

const keyName = z.string().max(253);
const ttl = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

const CreateTokenInput = builder.inputType('CreateTokenInput', {
  fields: (t) => ({
    name: t.string({ validate: keyName }),
    description: t.string({ validate: description }),
    ttl: t.float({ description: 'Milliseconds; 0 never expires (unless auth-token-max-ttl-minutes caps it).', validate: ttl }),
    clusterId: t.id({ description: 'Scope the key to one cluster.', validate: optionalReference }),
    projectId: t.id({ description: 'Scope the key to one project.', validate: optionalReference }),
  }),
});

const UpdateTokenInput = builder.inputType('UpdateTokenInput', {
  description: 'Only the name and the description of a key can change.',
  fields: (t) => ({ name: t.string({ validate: keyName }), description: t.string({ validate: description }) }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true }),
    ttl: t.float({ validate: ttl }),
    description: t.string({ validate: description }),
  }),
});

builder.queryFields((t) => ({
  token: t.prismaField({
    type: 'Token',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await ownToken(context, id);
      return context.services.tokens.get(id, query);
    },
  }),
  tokens: t.connection(
    {
      type: TokenNode,
      args: { filter: t.arg({ type: tokenList.Filter }), sort: t.arg({ type: tokenList.Sort }) },
      resolve: (_root, args, context, info) => tokenList.page({ args, context, info, scope: visibleTokens(context.principal) }, context.services.tokens),
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  login: t.prismaField({
    // Guessing passwords: ten tries a minute per address and username.
    extensions: fieldRateLimit({ max: 10, window: '1m', identityArgs: ['input.username'] }),
    type: 'Token',
    description: 'Exchanges a local username and password for a session key (returned once in `token`).',
    skipTypeScopes: true,
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_query, _root, { input }, context) => context.services.sessions.login(input),
  }),
  tokenLogout: t.prismaField({
    type: 'Token',
    description: 'Ends the session (or key) that made this request.',
    resolve: (_query, _root, _args, context) => context.services.sessions.logout(context.principal!.tokenId),
  }),
  createToken: t.prismaField({
    extensions: fieldRateLimit({ max: 30, window: '1m' }),
    type: 'Token',
    description: 'Creates an API key for the caller; its secret is in `token`, this once.',
    args: { input: t.arg({ type: CreateTokenInput, required: true }) },
    resolve: async (_query, _root, { input }, context) => {
      // A scoped key must not mint a key that reaches further than itself.
      requireUnscopedKey(context);
      await checkScope(context, input);
      return context.services.tokens.issue(context.principal!.userId, input, { isDerived: true });
    },
  }),
  updateToken: t.prismaField({
    type: 'Token',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateTokenInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      // Someone else's key is NOT_FOUND even to a scoped key; its own it may not manage.
      await ownToken(context, id);
      requireUnscopedKey(context);
      return context.services.tokens.update(id, input, query);
    },
  }),
  deleteToken: t.prismaField({
    type: 'Token',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      // Someone else's key is NOT_FOUND even to a scoped key; its own it may not manage.
      await ownToken(context, id);
      requireUnscopedKey(context);
      return context.services.tokens.delete(id, query);
    },
  }),
  tokenActivate: t.prismaField({
    type: 'Token',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      // Someone else's key is NOT_FOUND even to a scoped key; its own it may not manage.
      await ownToken(context, id);
      requireUnscopedKey(context);
      return context.services.tokens.setEnabled(id, true, query);
    },
  }),
  tokenDeactivate: t.prismaField({
    type: 'Token',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      // Someone else's key is NOT_FOUND even to a scoped key; its own it may not manage.
      await ownToken(context, id);
      requireUnscopedKey(context);
      return context.services.tokens.setEnabled(id, false, query);
    },
  }),
}));
