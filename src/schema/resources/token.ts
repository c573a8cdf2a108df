import { z } from 'zod';
import { tokenPolicy } from '../../auth/policies/token.js';
import { visibleClusters, visibleProjects } from '../../auth/visibility.js';
import type { Context } from '../../context.js';
import { invalidInput } from '../../errors.js';
import { fieldRateLimit } from '../../graphql/field-limits.js';
import { ttlOf } from '../../services/tokens.js';
import { builder } from '../builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter } from '../list-options.js';
import { description, optionalReference } from '../validators.js';
import { withDeprecatedAlias } from './action-names.js';
import { defineResource } from './define-resource.js';
import { linkedResource, linkTargets } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  name: 'The key’s name (Rancher’s `name`): at most 253 characters; generated when none is given.',
} as const;

/**
 * Everything that makes a Token (API key) a resource. Its secret exists only on the
 * object that creation or login just returned (`token`), never again.
 */
type WithSecret = { token?: string };

const keyName = z.string().max(253);
const ttl = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

const CreateTokenInput = builder.inputType('CreateTokenInput', {
  description: 'A new API key of the caller, optionally scoped to one cluster or project and with a lifetime.',
  fields: (t) => ({
    name: t.string({ description: docs.name, validate: keyName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    ttl: t.float({ description: 'Milliseconds; 0 never expires (unless auth-token-max-ttl-minutes caps it).', validate: ttl }),
    clusterId: t.id({ description: 'Scope the key to one cluster.', validate: optionalReference }),
    projectId: t.id({ description: 'Scope the key to one project.', validate: optionalReference }),
  }),
});

const UpdateTokenInput = builder.inputType('UpdateTokenInput', {
  description: 'Only the name, the description, the labels and the annotations of a key can change.',
  fields: (t) => ({
    name: t.string({ description: 'The key’s new name: at most 253 characters.', validate: keyName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  description: 'A local user’s username and password, for a session key.',
  fields: (t) => ({
    username: t.string({ description: 'The local user’s username.', required: true }),
    password: t.string({ description: 'The user’s password; never logged or returned.', required: true }),
    ttl: t.float({
      description: 'Lifetime in milliseconds; 0 never expires (unless the `auth-token-max-ttl-minutes` setting caps it). Rancher’s `ttl`.',
      validate: ttl,
    }),
    description: t.string({ description: fieldDocs.description, validate: description }),
  }),
});

defineResource('Token', {
  description: 'An API key (`token-xxxxx` and a secret) or a login session.',
  policy: tokenPolicy,
  rowPermissions: false,
  fields: (t) => ({
    name: t.exposeString('name', { description: docs.name }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    userId: t.exposeID('userId', { description: fieldDocs.userId }),
    user: linkedResource(
      t,
      'userId',
      linkTargets.user,
      'The user the key acts as (`userId`, Rancher’s `userId`); null when the caller may not see that user (only admins see other users).',
    ),
    clusterId: t.exposeID('clusterId', { description: fieldDocs.clusterId, nullable: true }),
    cluster: linkedResource(
      t,
      'clusterId',
      linkTargets.cluster,
      'The cluster the key is scoped to (`clusterId`, Rancher’s `clusterId`); null for an unscoped key, or when the cluster is gone or invisible to the caller.',
    ),
    projectId: t.exposeID('projectId', { description: fieldDocs.projectId, nullable: true }),
    project: linkedResource(
      t,
      'projectId',
      linkTargets.project,
      'The project the key is scoped to (`projectId`); null for a key not scoped to a project, or when the project is gone or invisible to the caller.',
    ),
    enabled: t.exposeBoolean('enabled', { description: 'The key works (Rancher’s `enabled`); deactivateToken turns it off without deleting it.' }),
    isDerived: t.exposeBoolean('isDerived', { description: 'False for the session a login created.' }),
    ttl: t.float({ description: 'Lifetime in milliseconds; 0 never expires.', select: { createdAt: true, expiresAt: true }, resolve: ttlOf }),
    expiresAt: t.expose('expiresAt', { description: 'When the key stops working (Rancher’s `expiresAt`); null: never.', type: 'DateTime', nullable: true }),
    expired: t.boolean({
      description: 'The key is past `expiresAt` and no longer works (Rancher’s `expired`).',
      select: { expiresAt: true },
      resolve: (token) => token.expiresAt !== null && token.expiresAt.getTime() <= Date.now(),
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      description: 'When the key last authenticated a request (Rancher’s `lastUsedAt`), to within a minute; null: never used.',
      type: 'DateTime',
      nullable: true,
    }),
    current: t.boolean({ description: 'This key made the request.', resolve: (token, _args, context) => context.principal?.tokenId === token.id }),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
    token: t.string({
      nullable: true,
      description: '`token-xxxxx:<secret>`: present only in the answer that created the key, never again.',
      // A secret in an answer: the audit log redacts fields marked so (src/audit/redaction.ts).
      extensions: { secret: true },
      resolve: (token) => (token as WithSecret).token ?? null,
    }),
    availableActions: t.stringList({
      description: fieldDocs.availableActions,
      select: { enabled: true },
      resolve: (token) => [token.enabled ? 'deactivate' : 'activate'],
    }),
  }),
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    userId: { filter: StringFilter },
    clusterId: { filter: StringFilter, nullable: true },
    projectId: { filter: StringFilter, nullable: true },
    enabled: { filter: BooleanFilter },
    isDerived: { filter: BooleanFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateTokenInput,
    extensions: fieldRateLimit({ max: 30, window: '1m' }),
    description: 'Creates an API key for the caller; its secret is in `token`, this once.',
    run: async (context, input, query) => {
      await checkScope(context, input);
      return context.services.tokens.issue(context.principal!.userId, input, { isDerived: true }, query);
    },
  },
  update: {
    input: UpdateTokenInput,
    verb: 'manage',
    run: (context, { id, input, query, scope }) => context.services.tokens.update(id, input, query, scope),
  },
  remove: { verb: 'manage' },
  nodeActions: {
    activate: {
      verb: 'manage',
      description: 'Turns a deactivated key back on (Rancher’s `activate` action); answers the key.',
      run: (context, { id, query, scope }) => context.services.tokens.setEnabled(id, true, query, scope),
    },
    deactivate: {
      verb: 'manage',
      description: 'Turns a key off without deleting it (Rancher’s `deactivate` action); answers the key.',
      run: (context, { id, query, scope }) => context.services.tokens.setEnabled(id, false, query, scope),
    },
  },
});

// Sessions: a login answers a new key (its secret this once), a logout ends the caller's own.
builder.mutationFields((t) => ({
  login: t.prismaField({
    // Guessing passwords: ten tries a minute per address and username.
    extensions: fieldRateLimit({ max: 10, window: '1m', identityArgs: ['input.username'] }),
    type: 'Token',
    description: 'Exchanges a local username and password for a session key (returned once in `token`).',
    skipTypeScopes: true,
    args: { input: t.arg({ type: LoginInput, required: true, description: 'The username and password, and the session’s lifetime.' }) },
    resolve: (query, _root, { input }, context) => context.services.sessions.login(input, query),
  }),
  ...withDeprecatedAlias('Token', 'logout', (alias) =>
    t.prismaField({
      type: 'Token',
      description: 'Ends the session (or key) that made this request.',
      ...alias,
      resolve: (query, _root, _args, context) => context.services.sessions.logout(context.principal!.tokenId, query),
    }),
  ),
}));

/** A key is scoped only to a cluster or project its owner can see; a project inside the cluster given. */
async function checkScope(context: Context, input: { clusterId?: string | null; projectId?: string | null }): Promise<void> {
  if (input.clusterId) {
    const cluster = await context.services.clusters.find(input.clusterId, { select: { id: true } }, visibleClusters(context.principal));
    if (!cluster) throw invalidInput('clusterId', `cluster ${JSON.stringify(input.clusterId)} not found`, 'InvalidReference');
  }
  if (input.projectId) {
    const project = await context.services.projects.find(input.projectId, { select: { clusterId: true } }, visibleProjects(context.principal));
    if (!project) throw invalidInput('projectId', `project ${JSON.stringify(input.projectId)} not found`, 'InvalidReference');
    if (input.clusterId && project.clusterId !== input.clusterId)
      throw invalidInput('projectId', 'the project is not in the cluster given', 'InvalidReference');
  }
}
