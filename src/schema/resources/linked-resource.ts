import { createContextCache, type FieldRef } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { cloudCredentialPolicy } from '../../auth/policies/cloud-credential.js';
import { clusterPolicy } from '../../auth/policies/cluster.js';
import { nodeTemplatePolicy } from '../../auth/policies/node-template.js';
import type { ResourcePolicy } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { tokenPolicy } from '../../auth/policies/token.js';
import { userPolicy } from '../../auth/policies/user.js';
import type { Context } from '../../context.js';
import type { PrismaQuery } from '../../services/resource-store.js';
import type { BuilderTypes } from '../builder.js';
import { fieldDocs } from '../field-docs.js';

/** The resource type a bare id names: its GraphQL type and the policy that says who may see its rows. */
export interface LinkTarget {
  /** The node type's name (`User`). */
  readonly type: string;
  readonly policy: ResourcePolicy<{ id: string }, object, string>;
}

/**
 * The object beside a bare id (`creator` beside `creatorId`), so a client follows the
 * link in the same request. Null when the id is empty, when its row is gone, and when the
 * caller may not see it (a cluster owner sees a member's binding, not the member's user):
 * the row is read within the target's `read` scope, exactly as `<type>(id:)` reads it, so
 * the link never shows more than the lookup would.
 *
 * No N+1: every link to one type with one selection that a request resolves in the same
 * turn (a page of 100 projects asking for `creator { username }`) is read in one
 * statement, `id IN (…)` within the scope.
 */
export function linkedResource<Ref>(t: LinkFieldBuilder<Ref>, column: string, target: LinkTarget, description: string): Ref {
  return t.field({
    type: target.type as never,
    nullable: true,
    description,
    select: { [column]: true },
    resolve: (parent, _args, context, info) => load(context, info, target, parent[column]),
  });
}

/** {@link linkedResource} on a plain object (a cluster's machine pool, read from JSON), whose id is already at hand. */
export function linkedResourceOf<Parent, Ref>(
  t: PlainLinkFieldBuilder<Parent, Ref>,
  idOf: (parent: Parent) => string | null | undefined,
  target: LinkTarget,
  description: string,
): Ref {
  return t.field({
    type: target.type as never,
    nullable: true,
    description,
    resolve: (parent, _args, context, info) => load(context, info, target, idOf(parent)),
  });
}

/** The pending reads of one request: one batch per target type and selection. */
const batchesOf = createContextCache(() => new Map<string, Batch>());

interface Batch {
  ids: Set<string>;
  rows: Promise<Map<string, unknown>>;
}

async function load(context: Context, info: GraphQLResolveInfo, target: LinkTarget, id: unknown): Promise<never> {
  if (typeof id !== 'string' || id === '') return null as never;
  // A gate refuses the type whatever the row (a scoped key and cloud credentials): nothing to show.
  if (target.policy.gate?.(context.principal, 'read')) return null as never;
  const query = queryFromInfo({ context, info }) as PrismaQuery;
  const key = `${target.type} ${JSON.stringify(query)}`;
  const batches = batchesOf(context);
  let batch = batches.get(key);
  if (!batch) {
    const ids = new Set<string>();
    // Read once the current turn's resolvers have all asked; a later ask starts a new batch.
    const rows = new Promise((resolve) => setImmediate(resolve)).then(() => {
      batches.delete(key);
      return readRows(context, target, query, [...ids]);
    });
    batch = { ids, rows };
    batches.set(key, batch);
  }
  batch.ids.add(id);
  return ((await batch.rows).get(id) ?? null) as never;
}

async function readRows(context: Context, target: LinkTarget, query: PrismaQuery, ids: string[]): Promise<Map<string, unknown>> {
  const select = query.select ? { ...query.select, id: true } : undefined;
  const where = { AND: [{ id: { in: ids } }, target.policy.where(context.principal, 'read')] };
  const rows = await target.policy.store(context.services).list(select ? { ...query, select } : query, where, [], ids.length);
  return new Map(rows.map((row) => [row.id, row]));
}

/** Only what a link needs of a Prisma object's field builder (its full type is too deep to name here). */
interface LinkFieldBuilder<Ref> {
  field(options: {
    type: never;
    nullable: true;
    description: string;
    select: Record<string, true>;
    resolve: (parent: Record<string, unknown>, args: object, context: Context, info: GraphQLResolveInfo) => Promise<never>;
  }): Ref;
}

/** A Prisma object's field builder as {@link creationFields} uses it: the link, and the two columns it exposes. */
interface CreationFieldBuilder<Ref> extends LinkFieldBuilder<Ref> {
  exposeID(column: 'creatorId', options: { description: string; nullable: true }): FieldRef<BuilderTypes, string | null | undefined, 'Object'>;
  expose(column: 'createdAt', options: { description: string; type: 'DateTime' }): FieldRef<BuilderTypes, Date, 'Object'>;
}

interface PlainLinkFieldBuilder<Parent, Ref> {
  field(options: {
    type: never;
    nullable: true;
    description: string;
    resolve: (parent: Parent, args: object, context: Context, info: GraphQLResolveInfo) => Promise<never>;
  }): Ref;
}

/** The types bare ids name, each with the policy that decides who sees its rows. */
export const linkTargets = {
  user: { type: 'User', policy: userPolicy },
  cluster: { type: 'Cluster', policy: clusterPolicy },
  project: { type: 'Project', policy: projectPolicy },
  token: { type: 'Token', policy: tokenPolicy },
  cloudCredential: { type: 'CloudCredential', policy: cloudCredentialPolicy },
  nodeTemplate: { type: 'NodeTemplate', policy: nodeTemplatePolicy },
} satisfies Record<string, LinkTarget>;

/** `creator` beside `creatorId`, the same on every type that records who created it. */
export function creatorField<Ref>(t: LinkFieldBuilder<Ref>): Ref {
  return linkedResource(
    t,
    'creatorId',
    linkTargets.user,
    'The user who created it (`creatorId`, Rancher’s `creatorId`). Null when none was recorded, the user is gone, or the caller may not see them (only admins see other users).',
  );
}

/**
 * Who made an object and when, as every type that records its creator shows it:
 * `creatorId` (Rancher's field), the `creator` it names, and `created` (its `createdAt`).
 */
export function creationFields<Ref>(t: CreationFieldBuilder<Ref>) {
  return {
    creatorId: t.exposeID('creatorId', { description: fieldDocs.creatorId, nullable: true }),
    creator: creatorField(t),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
  };
}

/** `owner` beside `ownerId` (credentials and node templates, which only their owner and admins see). */
export function ownerField<Ref>(t: LinkFieldBuilder<Ref>): Ref {
  return linkedResource(
    t,
    'ownerId',
    linkTargets.user,
    'The user who owns it (`ownerId`, Rancher’s `creatorId`). Null when the user is gone or the caller may not see them (only admins see other users).',
  );
}

/** `cloudCredential` beside `cloudCredentialId`. */
export function cloudCredentialField<Ref>(t: LinkFieldBuilder<Ref>): Ref {
  return linkedResource(
    t,
    'cloudCredentialId',
    linkTargets.cloudCredential,
    'The cloud credential it signs in to the provider with (`cloudCredentialId`, Rancher’s `cloudCredentialId`). Null when none is set, it is gone, or the caller may not see it (only its owner and admins do, through an unscoped key).',
  );
}
