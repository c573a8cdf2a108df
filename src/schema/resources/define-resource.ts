import type { InputObjectRef, ObjectRef } from '@pothos/core';
import type { Context } from '../../context.js';
import { ApiError } from '../../errors.js';
import type { ResourcePolicy } from '../../auth/policies/policy.js';
import { refusal } from '../../auth/policies/policy.js';
import type { PrismaQuery } from '../../services/resource-store.js';
import { builder, type BuilderTypes } from '../builder.js';
import { defineListOptions, type ListField } from '../list-options.js';

/**
 * One declaration per resource type. From it the factory registers, by construction in
 * the shape `rest-compat/` derives /v3 from (see rest-compat/README.md):
 *
 * - the node type, read in Prisma's select mode (a list of 5 fields reads those
 *   columns), with `canUpdate`/`canRemove` answered by the type's policy;
 * - `<type>(id)` and the `<types>` connection (keyset pages, filters, sorts, `totalCount`),
 *   both filtered in SQL by the policy's `where`;
 * - `create<Type>`, `update<Type>`, `delete<Type>` and one mutation per action
 *   (`<type><Action>`), each authorized by the policy before its service runs.
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
>(name: Name, declaration: ResourceDeclaration<Name, Where, Verb, Create, Update, Actions>) {
  const { policy } = declaration;
  const typeField = lowerFirst(name);
  const readScope = (context: Context) => policy.where(context.principal, 'read');
  const store = (context: Context) => policy.store(context.services);

  const permissionFields = (t: PermissionFieldBuilder) => ({
    ...(declaration.update
      ? { canUpdate: permissionField(t, declaration.update.verb, declaration.update.allowedDescription ?? `This caller may change the ${policy.type}.`) }
      : {}),
    ...(declaration.remove
      ? { canRemove: permissionField(t, declaration.remove.verb, declaration.remove.allowedDescription ?? `This caller may delete the ${policy.type}.`) }
      : {}),
  });
  const permissionField = (t: PermissionFieldBuilder, verb: Verb, description: string) =>
    t.boolean({ description, select: policy.rowColumns, resolve: (row: { id: string }, _args: object, context: Context) => policy.allows(context.access, row, verb) });

  // Pothos' option types for a generic model name cannot be checked inside this
  // function; each call site is checked against the concrete model instead.
  const prismaNode = builder.prismaNode.bind(builder) as unknown as (name: string, options: object) => ObjectRef<BuilderTypes, { id: string }>;
  const Node = prismaNode(name, {
    description: declaration.description,
    id: { field: 'id' },
    // Select mode: each field names the columns it needs, and nothing else is read.
    select: { id: true },
    findUnique: (id: string, context: Context) => ({ id, AND: [readScope(context)] }),
    fields: (t: PermissionFieldBuilder) => ({ ...(declaration.fields as unknown as (t: PermissionFieldBuilder) => object)(t), ...permissionFields(t) }),
  });

  const list = defineListOptions<Where, object>(name, declaration.list);

  builder.queryFields((t) => ({
    [typeField]: t.prismaField({
      type: name as never,
      description: declaration.lookupDescription,
      args: { id: t.arg.id({ required: true }) },
      resolve: (query: PrismaQuery, _root: unknown, { id }: { id: string }, context: Context) => store(context).get(id, query, readScope(context)) as never,
    }),
    [declaration.listName ?? `${typeField}s`]: t.connection(
      {
        type: Node,
        description: declaration.listDescription,
        args: { filter: t.arg({ type: list.Filter }), sort: t.arg({ type: list.Sort }) },
        resolve: (_root, args, context, info) => list.page({ args, context, info, scope: readScope(context) }, store(context)),
      },
      // Counted on demand: `page` hands over a function, run only when the field is selected.
      { fields: (c) => ({ totalCount: c.int({ resolve: (connection) => connection.totalCount() }) }) },
    ),
  }));

  builder.mutationFields((t) => {
    const { create, update, remove } = declaration;
    const fields: Record<string, unknown> = {};
    if (create) {
      fields[`create${name}`] = t.prismaField({
        type: name as never,
        description: create.description,
        args: { input: t.arg({ type: create.input as InputObjectRef<BuilderTypes, object>, required: true }) },
        resolve: (query: PrismaQuery, _root: unknown, { input }: { input: object }, context: Context) => create.run(context, input as Create, query) as never,
      });
    }
    if (update) {
      fields[`update${name}`] = t.prismaField({
        type: name as never,
        description: update.description,
        args: { id: t.arg.id({ required: true }), input: t.arg({ type: update.input as InputObjectRef<BuilderTypes, object>, required: true }) },
        resolve: (query: PrismaQuery, _root: unknown, { id, input }: { id: string; input: object }, context: Context) =>
          scoped(context, id, update.verb, (scope) => update.run(context, { id, input: input as Update, query, scope })) as never,
      });
    }
    if (remove) {
      fields[`delete${name}`] = t.prismaField({
        type: name as never,
        description: remove.description,
        args: { id: t.arg.id({ required: true }) },
        resolve: (query: PrismaQuery, _root: unknown, { id }: { id: string }, context: Context) =>
          scoped(context, id, remove.verb, (scope) => store(context).delete(id, query, scope)) as never,
      });
    }
    for (const [actionName, action] of Object.entries(declaration.actions ?? {}) as Array<[string, ResourceAction<Verb, unknown>]>) {
      fields[`${typeField}${upperFirst(actionName)}`] = t.field({
        type: action.output as ObjectRef<BuilderTypes, unknown>,
        description: action.description,
        args: { id: t.arg.id({ required: true }) },
        resolve: (_root, { id }, context) => scoped(context, id, action.verb, (scope) => action.run(context, id, scope)),
      });
    }
    return fields as Record<string, ReturnType<typeof t.boolean>>;
  });

  /**
   * Runs `work` on a row within the caller's `verb` scope; a NOT_FOUND of that very row
   * becomes the right refusal (PERMISSION_DENIED when they may see it).
   */
  async function scoped<T>(context: Context, id: string, verb: Verb, work: (scope: Where) => Promise<T>): Promise<T> {
    try {
      return await work(policy.where(context.principal, verb));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NOT_FOUND' && error.details.resource === `${policy.type}:${id}`) throw await refusal(context, policy, id, verb);
      throw error;
    }
  }

  return { Node, list };
}

type PrismaTypeName = keyof BuilderTypes['PrismaTypes'] & string;

/** The `fields` option of `prismaNode` for model `Name` in select mode. */
type NodeFields<Name extends PrismaTypeName> = NonNullable<Parameters<typeof builder.prismaNode<Name, [], unknown, { id: true }, 'id'>>[1]['fields']>;

// Only what the factory's own fields need from Pothos' field builder.
type PermissionFieldBuilder = {
  boolean(options: { description: string; select: object; resolve: (row: { id: string }, args: object, context: Context) => Promise<boolean> }): unknown;
};

export interface ResourceDeclaration<Name extends PrismaTypeName, Where extends object, Verb extends string, Create, Update, Actions extends Record<string, unknown>> {
  /** What the type is, for the schema's readers. */
  description: string;
  lookupDescription?: string;
  listDescription?: string;
  /** The list query's name when it is not `<type>s`. */
  listName?: string;
  /** Who may see and change it: src/auth/policies/<type>.ts. */
  policy: ResourcePolicy<{ id: string }, Where, Verb>;
  /** Its fields; each names the columns it reads (`t.expose*` does so itself). */
  fields: NodeFields<Name>;
  /** The fields a list can be filtered and sorted by. */
  list: Record<string, ListField>;
  create?: {
    input: InputObjectRef<BuilderTypes, Create>;
    description?: string;
    /** Authorizes (a create names its parent, which the policy of that parent checks) and creates. */
    run(context: Context, input: Create, query: PrismaQuery): Promise<{ id: string }>;
  };
  update?: {
    input: InputObjectRef<BuilderTypes, Update>;
    verb: Verb;
    description?: string;
    /** Describes `canUpdate`. */
    allowedDescription?: string;
    /** Changes the row within `scope` (what the caller may `verb`); NOT_FOUND outside it. */
    run(context: Context, request: { id: string; input: Update; query: PrismaQuery; scope: Where }): Promise<{ id: string }>;
  };
  remove?: { verb: Verb; description?: string; allowedDescription?: string };
  /** Resource actions, `/v3/<type>/<id>?action=<name>` and mutation `<type><Name>`. */
  actions?: { [Action in keyof Actions]: ResourceAction<Verb, Actions[Action]> };
}

export interface ResourceAction<Verb extends string, Output> {
  output: ObjectRef<BuilderTypes, Output>;
  description?: string;
  /** The verb the caller needs on the resource. */
  verb: Verb;
  run(context: Context, id: string, scope: object): Promise<Output>;
}

const lowerFirst = (text: string) => text[0]!.toLowerCase() + text.slice(1);
const upperFirst = (text: string) => text[0]!.toUpperCase() + text.slice(1);
