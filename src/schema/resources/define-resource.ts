import { changeTypes } from '../../changes/change-types.js';
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import type { ClusterLocalId } from '../../cluster-local-ids.js';
import { localIdOf } from '../../cluster-local-ids.js';
import type { Context } from '../../context.js';
import { ApiError, invalidInput } from '../../errors.js';
import type { Decision } from '../../auth/access.js';
import type { ResourcePolicy } from '../../auth/policies/policy.js';
import { passGate, refusal } from '../../auth/policies/policy.js';
import type { PrismaQuery } from '../../services/resource-store.js';
import { builder, type BuilderTypes } from '../builder.js';
import { defineListOptions, type ListField } from '../list-options.js';
import type { ListedResource } from './related-list.js';
import { type AliasOptions, withDeprecatedAlias } from './action-names.js';
import { defineResourceConnection } from './resource-connection.js';

/**
 * One declaration per resource type. From it the factory registers, by construction in
 * the shape `rest-compat/` derives /v3 from (see rest-compat/README.md):
 *
 * - the node type, read in Prisma's select mode (a list of 5 fields reads those
 *   columns), with `canUpdate`/`canRemove` answered by the type's policy;
 * - `<type>(id)` (null for a row missing or invisible alike) and the `<types>` list (keyset pages, filters, sorts, `totalCount`),
 *   both filtered in SQL by the policy's `where`; the list is a `<Type>Connection`, the
 *   type every nested list of this type shares (`relatedList`, related-list.ts);
 * - `create<Type>`, `update<Type>`, `delete<Type>` and one mutation per action, verb
 *   first (`generateClusterKubeconfig`, `pauseWorkload`; action-names.ts), with its
 *   old name `<type><Action>` as a deprecated alias; each authorized by the policy
 *   before its service runs.
 *
 * Updates and deletes read the row once, scoped to what the caller may do to it; only
 * a refusal costs a second read, to say PERMISSION_DENIED rather than NOT_FOUND.
 */
export function defineResource<
  Name extends PrismaTypeName,
  Where extends object,
  Verb extends string,
  Create = never,
  Update = never,
  Actions extends Record<string, unknown> = Record<never, never>,
  NodeActionInputs extends Record<string, unknown> = Record<never, never>,
>(model: Name, declaration: ResourceDeclaration<Name, Where, Verb, Create, Update, Actions, NodeActionInputs>) {
  const { variant } = declaration;
  // A view is a type of its own over some rows of the model: its names, its rows only.
  const name = variant?.name ?? model;
  if (variant && !variant.holdsId && !changeTypes.has(name))
    throw new Error(
      `${name}: a view of ${model} whose changes are ${model}'s must say which ids are its own (holdsId), or its subscribers never hear of removals`,
    );
  const policy = variant ? narrowed(declaration.policy, variant.where) : declaration.policy;
  const create = variant && declaration.create ? fixedCreate(declaration.create, variant) : declaration.create;
  const typeField = lowerFirst(name);
  const readScope = (context: Context) => policy.where(context.principal, 'read');
  const store = (context: Context) => policy.store(context.services);

  const permissionFields = (t: PermissionFieldBuilder) => ({
    ...(declaration.rowPermissions === false ? {} : rowPermissionFields(t)),
    ...(declaration.clusterLocalId ? { rancherId: rancherIdField(t, declaration.clusterLocalId) } : {}),
  });
  const rowPermissionFields = (t: PermissionFieldBuilder) => ({
    ...(declaration.update
      ? { canUpdate: permissionField(t, declaration.update.verb, declaration.update.allowedDescription ?? `This caller may change the ${policy.type}.`) }
      : {}),
    ...(declaration.remove
      ? { canRemove: permissionField(t, declaration.remove.verb, declaration.remove.allowedDescription ?? `This caller may delete the ${policy.type}.`) }
      : {}),
  });
  const rancherIdField = (t: PermissionFieldBuilder, { example }: ClusterLocalIdDeclaration) =>
    t.string({
      description: `Rancher's id for the ${policy.type}, unique only within its cluster (\`${example}\`): the one /v3 shows and takes in the context of its cluster or project. \`id\` is this with \`<clusterId>:\` in front, unique server-wide.`,
      select: { id: true },
      resolve: (row: { id: string }) => localIdOf(row.id),
    });
  const permissionField = (t: PermissionFieldBuilder, verb: Verb, description: string) =>
    t.boolean({
      description,
      select: policy.rowColumns,
      resolve: (row: { id: string }, _args: object, context: Context) => policy.allows(context.access, row, verb, context.services),
    });

  // Pothos' option types for a generic model name cannot be checked inside this
  // function; each call site is checked against the concrete model instead.
  const prismaNode = builder.prismaNode.bind(builder) as unknown as (name: string, options: object) => ObjectRef<BuilderTypes, { id: string }>;
  const Node = prismaNode(model, {
    ...(variant ? { variant: name } : {}),
    description: variant?.description ?? declaration.description,
    extensions: {
      // rest-compat reads this to speak Rancher's ids in a cluster's or project's context.
      ...(declaration.clusterLocalId ? { clusterLocalId: { segments: declaration.clusterLocalId.segments, within: 'cluster' } } : {}),
      // and this to tell a view's subscribers of removals, whose rows are gone (rest-compat/subscribe.ts).
      ...(variant?.holdsId ? { variantHoldsId: variant.holdsId } : {}),
    },
    id: { field: 'id' },
    // `node(id:)` and each item of `nodes(ids:)` answer null for a missing or invisible row, as `<type>(id:)` does.
    nullable: true,
    // Select mode: each field names the columns it needs, and nothing else is read.
    select: { id: true },
    findUnique: (id: string, context: Context) => ({ id, AND: [readScope(context)] }),
    fields: (t: PermissionFieldBuilder) => ({ ...(declaration.fields as unknown as (t: PermissionFieldBuilder) => object)(t), ...permissionFields(t) }),
  });

  const typeRef = variant ? Node : name;
  const list = defineListOptions<Where, object>(name, declaration.list, model);
  // Refusals that hold whatever is created (admins only, no scoped keys) decide whether the caller may create at all.
  const Connection = defineResourceConnection(name, Node, create ? (context) => !policy.gate?.(context.principal, 'create') : undefined);

  builder.queryFields((t) => ({
    // Null, not an error, for a row that is missing or that the caller may not see (the
    // two look the same), so one missing object never wipes the rest of an answer.
    [typeField]: t.prismaField({
      type: typeRef as never,
      nullable: true,
      description: declaration.lookupDescription ?? `The ${policy.type} with this id; null when there is none or the caller may not see it.`,
      args: { id: t.arg.id({ required: true, description: `The ${name}'s id, as its \`id\` field (and Rancher's) shows it.` }) },
      resolve: (query: PrismaQuery, _root: unknown, { id }: { id: string }, context: Context) => {
        passGate(context, policy, 'read');
        return store(context).find(id, query, readScope(context)) as never;
      },
    }),
    [declaration.listName ?? `${typeField}s`]: t.connection(
      {
        type: Node,
        description:
          declaration.listDescription ??
          `The ${name} items the caller may see, a page at a time; \`totalCount\` counts every match. Filtered and sorted in the database, as /v3's list of them is.`,
        args: {
          filter: t.arg({ type: list.Filter, description: `Only the ${name} items that meet every condition given (the /v3 list's query filters).` }),
          sort: t.arg({ type: list.Sort, description: 'The order of the list: by id when not given; ties are broken by id, so pages never overlap.' }),
        },
        // Counted on demand: `page` hands over a function, run only when totalCount is selected.
        resolve: (_root, args, context, info) => {
          passGate(context, policy, 'read');
          return list.page({ args, context, info, scope: readScope(context) }, store(context));
        },
      },
      Connection,
    ),
  }));

  builder.mutationFields((t) => {
    const { update, remove } = declaration;
    const idOf = (what: string) => `The id of the ${name} to ${what}.`;
    const fields: Record<string, unknown> = {};
    if (create) {
      fields[`create${name}`] = t.prismaField({
        type: typeRef as never,
        description: create.description ?? `Creates a ${name} and answers it as created (POST on /v3).`,
        extensions: create.extensions,
        args: { input: t.arg({ type: create.input as InputObjectRef<BuilderTypes, object>, required: true, description: `The new ${name}'s fields.` }) },
        resolve: async (query: PrismaQuery, _root: unknown, { input }: { input: object }, context: Context) => {
          passGate(context, policy, 'create');
          return afterCommit(context, query, await create.run(context, input as Create, query)) as never;
        },
      });
    }
    if (update) {
      const args = {
        id: t.arg.id({ required: true, description: idOf('change') }),
        input: t.arg({
          type: update.input as InputObjectRef<BuilderTypes, object>,
          required: true,
          description: 'The fields to change; a field left out keeps its value.',
        }),
        ...(update.versioned
          ? {
              ifResourceVersion: t.arg.string({
                description: `Update only if the ${policy.type}'s resourceVersion is still this one; CONFLICT otherwise (someone changed it since it was read).`,
              }),
            }
          : {}),
      };
      fields[`update${name}`] = t.prismaField({
        type: typeRef as never,
        description: update.description ?? `Changes the fields the input gives and answers the ${name} as changed (PUT on /v3).`,
        extensions: update.extensions,
        args,
        resolve: (async (
          query: PrismaQuery,
          _root: unknown,
          { id, input, ifResourceVersion }: { id: string; input: object; ifResourceVersion?: string | null },
          context: Context,
        ) => {
          const version = ifResourceVersion == null ? undefined : resourceVersionOf(ifResourceVersion);
          const run = async (scope: Where) => {
            if (version === undefined) return update.run(context, { id, input: input as Update, query, scope });
            try {
              return await update.run(context, { id, input: input as Update, query, scope: { AND: [scope, { resourceVersion: version }] } as Where });
            } catch (error) {
              // Missed only by its version: someone wrote it since (the caller may still change it).
              if (error instanceof ApiError && error.code === 'NOT_FOUND' && (await store(context).find(id, { select: { id: true } }, scope))) {
                throw new ApiError(
                  'CONFLICT',
                  `${policy.type} ${JSON.stringify(id)} was changed after resourceVersion ${version}: read it again and apply the change to the latest version`,
                  { reason: 'Conflict' },
                );
              }
              throw error;
            }
          };
          return afterCommit(context, query, await scoped(context, id, update.verb, run)) as never;
        }) as never,
      });
    }
    if (remove) {
      fields[`delete${name}`] = t.prismaField({
        type: typeRef as never,
        description: remove.description ?? `Deletes the ${name} and answers it as it was (DELETE on /v3).`,
        extensions: remove.extensions,
        args: { id: t.arg.id({ required: true, description: idOf('delete') }) },
        resolve: (query: PrismaQuery, _root: unknown, { id }: { id: string }, context: Context) =>
          scoped(context, id, remove.verb, (scope) =>
            remove.run ? remove.run(context, { id, query, scope }) : store(context).delete(id, query, scope),
          ) as never,
      });
    }
    for (const [actionName, action] of Object.entries(declaration.actions ?? {}) as Array<[string, ResourceAction<Verb, unknown>]>) {
      const build = (alias: AliasOptions) =>
        t.field({
          type: action.output as ObjectRef<BuilderTypes, unknown>,
          description: action.description,
          ...alias,
          args: { id: t.arg.id({ required: true, description: idOf('act on') }) },
          resolve: (_root, { id }, context) => scoped(context, id, action.verb, (scope) => action.run(context, id, scope)),
        });
      Object.assign(fields, withDeprecatedAlias(name, actionName, build));
    }
    for (const [actionName, action] of Object.entries(declaration.nodeActions ?? {}) as Array<[string, NodeAction<Verb, Where, unknown>]>) {
      const build = (alias: AliasOptions) =>
        t.prismaField({
          type: typeRef as never,
          description: action.description,
          deprecationReason: alias.deprecationReason,
          extensions: { ...action.extensions, ...alias.extensions },
          args: {
            id: action.defaultTarget
              ? t.arg.id({ required: false, description: `${idOf('act on')} Left out: ${action.defaultTarget.description}.` })
              : t.arg.id({ required: true, description: idOf('act on') }),
            ...(action.input
              ? {
                  input: t.arg({
                    type: action.input as InputObjectRef<BuilderTypes, object>,
                    required: !action.inputOptional,
                    description: action.inputOptional ? 'What the action takes; leaving it out is the empty input.' : 'What the action takes.',
                  }),
                }
              : {}),
          },
          // An optional input left out is the empty input (see `inputOptional`).
          resolve: (query: PrismaQuery, _root: unknown, args: { id?: string | null; input?: unknown }, context: Context) => {
            const id = args.id ?? action.defaultTarget!.id(context);
            return scoped(context, id, action.verb, (scope) =>
              action.run(context, { id, input: args.input ?? (action.inputOptional ? {} : undefined), query, scope }),
            ) as never;
          },
        });
      Object.assign(fields, withDeprecatedAlias(name, actionName, build));
    }
    return fields as Record<string, ReturnType<typeof t.boolean>>;
  });

  /**
   * A write's answer, read again once committed when it shows `resourceVersion`: the
   * capture trigger sets that column as the transaction commits, after the write's own
   * RETURNING, which would show the version before the write.
   */
  async function afterCommit(context: Context, query: PrismaQuery, written: { id: string }): Promise<{ id: string }> {
    return query.select && 'resourceVersion' in query.select ? store(context).get(written.id, query, readScope(context)) : written;
  }

  /**
   * Runs `work` on a row within the caller's `verb` scope; a NOT_FOUND of that very row
   * becomes the right refusal (PERMISSION_DENIED when they may see it).
   */
  async function scoped<T>(context: Context, id: string, verb: Verb, work: (scope: Where) => Promise<T>): Promise<T> {
    passGate(context, policy, verb);
    try {
      return await work(policy.where(context.principal, verb));
    } catch (error) {
      // The store names the row (types over one model share a store, and so its name).
      if (error instanceof ApiError && error.code === 'NOT_FOUND' && error.details.resource === `${store(context).typeName}:${id}`)
        throw await refusal(context, policy, id, verb);
      throw error;
    }
  }

  /** What a parent's nested list of this type needs (see related-list.ts). */
  // Every list of this type answers a ResourceConnection, which Pothos' inferred ref type cannot say.
  const listed: ListedResource = {
    name,
    Connection: Connection as unknown as ListedResource['Connection'],
    visible: (principal) => policy.where(principal, 'read'),
  };
  return { Node, list, Connection, listed };
}

type PrismaTypeName = keyof BuilderTypes['PrismaTypes'] & string;

/** The `fields` option of `prismaNode` for model `Name` in select mode. */
export type NodeFields<Name extends PrismaTypeName> = NonNullable<Parameters<typeof builder.prismaNode<Name, [], unknown, { id: true }, 'id'>>[1]['fields']>;

// Only what the factory's own fields need from Pothos' field builder.
type PermissionFieldBuilder = {
  boolean(options: { description: string; select: object; resolve: (row: { id: string }, args: object, context: Context) => Decision }): unknown;
  string(options: { description: string; select: object; resolve: (row: { id: string }) => string }): unknown;
};

/** Rancher's id is the id without its `<clusterId>:` prefix (see cluster-local-ids.ts). */
interface ClusterLocalIdDeclaration extends ClusterLocalId {
  /** A Rancher id of the type, for the `rancherId` field's description. */
  example: string;
}

export interface ResourceDeclaration<
  Name extends PrismaTypeName,
  Where extends object,
  Verb extends string,
  Create,
  Update,
  Actions extends Record<string, unknown>,
  NodeActionInputs extends Record<string, unknown> = Record<never, never>,
> {
  /** What the type is, for the schema's readers. */
  description: string;
  lookupDescription?: string;
  listDescription?: string;
  /** The list query's name when it is not `<type>s`. */
  listName?: string;
  /**
   * `false`: no `canUpdate`/`canRemove` on the node (types whose rows never said, kept
   * so for their clients; /v3 then links every verb the schema has).
   */
  rowPermissions?: false;
  /**
   * Its id is `<clusterId>:` and Rancher's id, which is unique only within a cluster:
   * the node gains `rancherId`, and /v3 serves and takes Rancher's form in a cluster's
   * or project's context.
   */
  clusterLocalId?: ClusterLocalIdDeclaration;
  /**
   * Declares a view of the model instead of the model's own type: a type named
   * `name` over the rows `where` selects (Rancher's per-kind `deployments` beside its
   * `workloads`), with the same fields, rule and mutations; a create fills in `input`.
   */
  variant?: ResourceVariant<Where, Create>;
  /** Who may see and change it: src/auth/policies/<type>.ts. */
  policy: ResourcePolicy<{ id: string }, Where, Verb>;
  /** Its fields; each names the columns it reads (`t.expose*` does so itself). */
  fields: NodeFields<Name>;
  /** The fields a list can be filtered and sorted by. */
  list: Record<string, ListField>;
  create?: {
    input: InputObjectRef<BuilderTypes, Create>;
    description?: string;
    extensions?: FieldExtensions;
    /** Authorizes (a create names its parent, which the policy of that parent checks) and creates. */
    run(context: Context, input: Create, query: PrismaQuery): Promise<{ id: string }>;
  };
  update?: {
    input: InputObjectRef<BuilderTypes, Update>;
    verb: Verb;
    description?: string;
    extensions?: FieldExtensions;
    /** Describes `canUpdate`. */
    allowedDescription?: string;
    /**
     * The table has a `resourceVersion` column (set by the change feed's trigger): the
     * mutation takes `ifResourceVersion`, a precondition ANDed into `scope`.
     */
    versioned?: boolean;
    /** Changes the row within `scope` (what the caller may `verb`), in the write itself; NOT_FOUND outside it. */
    run(context: Context, request: { id: string; input: Update; query: PrismaQuery; scope: Where }): Promise<{ id: string }>;
  };
  remove?: {
    verb: Verb;
    description?: string;
    extensions?: FieldExtensions;
    allowedDescription?: string;
    /** Deletes the row within `scope` when more than the one scoped DELETE is needed (rules, caches); NOT_FOUND outside it. */
    run?(context: Context, request: { id: string; query: PrismaQuery; scope: Where }): Promise<{ id: string }>;
  };
  /** Resource actions, `/v3/<type>/<id>?action=<name>` and mutation `<verb><Type><Rest>` (`generateKubeconfig` → `generateClusterKubeconfig`). */
  actions?: { [Action in keyof Actions]: ResourceAction<Verb, Actions[Action]> };
  /** Actions that answer the resource itself, with an optional input (`activateNodeDriver`, `setUserPassword`). */
  nodeActions?: { [Action in keyof NodeActionInputs]: NodeAction<Verb, Where, NodeActionInputs[Action]> };
}

interface ResourceVariant<Where, Create> {
  /** The view's type name (`Deployment`): its queries and mutations are named from it. */
  name: string;
  description: string;
  /** Its rows: ANDed into every read and write. */
  where: Where;
  /** What every create of the view sets (`kind: 'Deployment'`). */
  input: Partial<Create>;
  /**
   * Whether a row of the model with this id is one of the view's, from the id alone: what
   * a removal is judged by, since the row, and so `where`, can no longer be read. Needed
   * by a view whose changes are its model's (a `Deployment` hears `Workload`'s); one whose
   * rows the change capture names by type already (`ProjectSecret`'s kinds) needs none.
   */
  holdsId?: (id: string) => boolean;
}

/** What Pothos passes on to plugins: a rate limit, an audit mark. */
type FieldExtensions = Record<string, unknown>;

interface NodeAction<Verb extends string, Where extends object, Input> {
  /** Its input, `input:` beside `id:` (no input when absent). */
  input?: InputObjectRef<BuilderTypes, Input>;
  /**
   * The input may be left out (`moveNamespace(id)`); `run` then gets the empty input `{}`,
   * so declare only optional fields in such an input.
   */
  inputOptional?: boolean;
  /**
   * The row it acts on when `id` is left out (a user's own password change acts on the
   * caller): `id` becomes optional, and /v3 offers the action on the collection, as
   * Rancher's collection actions act on such a target (rest-compat/README.md, Actions).
   */
  defaultTarget?: { description: string; id(context: Context): string };
  /** What it does (its deprecated alias says the same). */
  description: string;
  extensions?: FieldExtensions;
  /** The verb the caller needs on the resource. */
  verb: Verb;
  /** Acts on the row within `scope` and answers it (as `query` selects); NOT_FOUND outside it. */
  run(context: Context, request: { id: string; input: Input; query: PrismaQuery; scope: Where }): Promise<{ id: string }>;
}

interface ResourceAction<Verb extends string, Output> {
  output: ObjectRef<BuilderTypes, Output>;
  /** What it does (its deprecated alias says the same). */
  description: string;
  /** The verb the caller needs on the resource. */
  verb: Verb;
  run(context: Context, id: string, scope: object): Promise<Output>;
}

/** The policy of a view: the type's rule, within the view's rows. */
function narrowed<Row extends { id: string }, Where extends object, Verb extends string>(
  policy: ResourcePolicy<Row, Where, Verb>,
  rows: Where,
): ResourcePolicy<Row, Where, Verb> {
  return { ...policy, where: (principal, verb) => ({ AND: [policy.where(principal, verb), rows] }) as Where };
}

/** A view's create: its fixed values are filled in, and a different one given is refused naming the field. */
function fixedCreate<Create>(
  create: NonNullable<Declared<Create>['create']>,
  variant: ResourceVariant<object, Create>,
): NonNullable<Declared<Create>['create']> {
  return {
    ...create,
    run: (context, input, query) => {
      for (const [field, value] of Object.entries(variant.input)) {
        const given = (input as Record<string, unknown>)[field];
        if (given != null && given !== value) throw invalidInput(field, `${lowerFirst(variant.name)}s are all ${field} ${String(value)}, not ${String(given)}`);
      }
      return create.run(context, { ...input, ...variant.input }, query);
    },
  };
}
type Declared<Create> = ResourceDeclaration<PrismaTypeName, object, string, Create, unknown, Record<string, unknown>>;

/** A resourceVersion as the precondition compares it: the digits of a revision. */
function resourceVersionOf(text: string): bigint {
  if (!/^\d{1,19}$/.test(text)) throw invalidInput('ifResourceVersion', 'a resourceVersion is a revision: digits only');
  return BigInt(text);
}

const lowerFirst = (text: string) => text[0]!.toLowerCase() + text.slice(1);
