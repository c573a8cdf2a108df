import SchemaBuilder, { BasePlugin, isThenable, type PothosOutputFieldConfig, type PothosOutputFieldType, type SchemaTypes } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type SelectionSetNode,
} from 'graphql';

/**
 * Answers a field that only reads columns of its own row straight from the row when
 * the row already holds them.
 *
 * In select mode, Pothos' Prisma plugin wraps every field that names columns (every
 * `t.exposeX`, every field with a `select`) to ask, per row, which query loaded the
 * row — so that a row loaded without the column can be reloaded. The asking builds
 * response-path keys and records a mapping per row and field: on a list of 100
 * clusters it was the largest cost of the request after GC (issue 11's profile). For
 * a field whose selection is plain columns, the row itself answers the question: when
 * every selected column is there, nothing needs loading, and the field's own resolver
 * runs on it. Only when a column is missing does the plugin's path run (and load it).
 *
 * The shortcut is taken only where it changes nothing but the cost: fields without
 * arguments (no argument mappers or validators to skip), a static selection of plain
 * columns (`{ name: true }`, no relations or counts), and a result under which no
 * selection mapping is ever looked up: a scalar or enum, or a plain object read from a
 * JSON column (a cluster's machine pools, its agent customizations) when the selection
 * beneath it reaches no Prisma type. Registered before the Prisma plugin, so field-level
 * authorization (scope-auth, outermost) still runs first.
 *
 * The same holds for a nested list asked only for its count (`projects { totalCount }`
 * on each of 100 clusters): given no arguments, with the count in the row's `_count`,
 * the list's resolver answers from the row (see {@link countedRelationExtension}).
 *
 * And for a node's `id`: Relay's plugin makes it with `t.globalID`, whose resolver is an
 * `async` function, so every row of every list handed the executor a promise for its id
 * (and the executor a promise per row, to wait for it: `promiseForObject`). The node's own
 * id resolver (its `id` option: for a Prisma node, the column) is synchronous; it is
 * encoded here as Relay would encode it, and only a promise takes Relay's path.
 */
class LoadedColumnsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types['Context'], object>, fieldConfig: PothosOutputFieldConfig<Types>) {
    const own = fieldConfig.resolve as GraphQLFieldResolver<unknown, Types['Context'], object> | undefined;
    if (!own) return resolver;
    const columns = plainColumns(fieldConfig);
    // A scalar or enum has nothing beneath it; an object's selection is looked at (once per document).
    if (columns && resultKind(fieldConfig.type) !== 'Object')
      return (parent: unknown, args: object, context: Types['Context'], info: ResolveInfo) =>
        holdsColumns(parent, columns) ? own(parent, args, context, info) : resolver(parent, args, context, info);
    if (columns)
      return (parent: unknown, args: object, context: Types['Context'], info: ResolveInfo) =>
        holdsColumns(parent, columns) && selectsNoPrismaType(info) ? own(parent, args, context, info) : resolver(parent, args, context, info);
    const rawNodeId = this.nodeIdResolver(fieldConfig);
    if (rawNodeId) {
      const typeName = fieldConfig.parentType;
      const encode = this.builder.options.relay?.encodeGlobalID ?? encodeGlobalID;
      return (parent: unknown, args: object, context: Types['Context'], info: ResolveInfo) => {
        const raw = rawNodeId(parent, args, context, info);
        return isThenable(raw) ? resolver(parent, args, context, info) : encode(typeName, String(raw), context);
      };
    }
    const relation = fieldConfig.extensions?.[countedRelationExtension];
    if (typeof relation === 'string')
      return (parent: unknown, args: object, context: Types['Context'], info: ResolveInfo) =>
        holdsCount(parent, relation) && noArguments(args) && asksCountOnly(info.fieldNodes)
          ? own(parent, args, context, info)
          : resolver(parent, args, context, info);
    return resolver;
  }

  /** The node's own id resolver, when `fieldConfig` is the `id` field Relay's plugin gave a node type. */
  private nodeIdResolver(fieldConfig: PothosOutputFieldConfig<Types>): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (fieldConfig.kind !== 'Object' || fieldConfig.name !== (this.builder.options.relay?.idFieldName ?? 'id')) return undefined;
    const typeConfig = this.buildCache.getTypeConfig(fieldConfig.parentType);
    // Relay's plugin marks a node type with its id parser, and keeps the node's options.
    if (typeConfig.kind !== 'Object' || !typeConfig.extensions || !('pothosParseGlobalID' in typeConfig.extensions)) return undefined;
    const resolve = (typeConfig.pothosOptions as { id?: { resolve?: unknown } }).id?.resolve;
    return typeof resolve === 'function' ? (resolve as GraphQLFieldResolver<unknown, Types['Context'], object>) : undefined;
  }
}

type ResolveInfo = Parameters<GraphQLFieldResolver<unknown, unknown>>[3];

/**
 * Set by a nested list (src/schema/resources/related-list.ts) to the relation it lists:
 * when only its `totalCount` is asked and the row holds that count (`_count`), no rows
 * of the relation are loaded, so there is nothing beneath for the plugin to map, and
 * the list's own resolver answers from the row.
 */
export const countedRelationExtension = 'loadedColumnsCountedRelation';

/** The columns a field selects, when it qualifies for the shortcut (see above). */
function plainColumns<Types extends SchemaTypes>(fieldConfig: PothosOutputFieldConfig<Types>): string[] | null {
  if (fieldConfig.kind !== 'PrismaObject' || Object.keys(fieldConfig.args).length > 0 || !plainResultKinds.has(resultKind(fieldConfig.type))) return null;
  const select = fieldConfig.extensions?.pothosPrismaSelect;
  if (typeof select !== 'object' || select === null) return null;
  const entries = Object.entries(select);
  if (entries.length === 0 || entries.some(([, selected]) => selected !== true)) return null;
  return entries.map(([column]) => column);
}

const plainResultKinds = new Set(['Scalar', 'Enum', 'Object']);

/** The kind of a field's result type, through lists. */
function resultKind<Types extends SchemaTypes>(type: PothosOutputFieldType<Types>): string {
  return type.kind === 'List' ? resultKind(type.type) : type.kind;
}

/** Per field of a document, as for counts: the executor hands every row of a list the same nodes. */
const plainSelections = new WeakMap<readonly FieldNode[], boolean>();

/**
 * Whether the field's selection reaches only scalars, enums and plain objects: no Prisma
 * object (its fields look up the mapping the plugin records on the way down; a machine
 * pool's `cloudCredential` is one) and no interface or union (which could resolve to one).
 */
function selectsNoPrismaType(info: ResolveInfo): boolean {
  let plain = plainSelections.get(info.fieldNodes);
  if (plain === undefined) {
    const type = getNamedType(info.returnType);
    plain = info.fieldNodes.every((node) => !node.selectionSet || reachesNoPrismaType(type, node.selectionSet, info.fragments));
    plainSelections.set(info.fieldNodes, plain);
  }
  return plain;
}

function reachesNoPrismaType(type: GraphQLNamedType, selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): boolean {
  if (isLeafType(type)) return true;
  if (!isObjectType(type) || type.extensions?.pothosPrismaModel !== undefined) return false;
  const fields = type.getFields();
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return reachesNoPrismaType(type, selection.selectionSet, fragments);
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[selection.name.value];
      return fragment !== undefined && reachesNoPrismaType(type, fragment.selectionSet, fragments);
    }
    const field = fields[selection.name.value];
    if (!field) return selection.name.value === '__typename';
    return !selection.selectionSet || reachesNoPrismaType(getNamedType(field.type), selection.selectionSet, fragments);
  });
}

function holdsCount(row: unknown, relation: string): boolean {
  const counts = typeof row === 'object' && row !== null ? (row as { _count?: unknown })._count : undefined;
  return typeof counts === 'object' && counts !== null && Object.hasOwn(counts, relation);
}

function noArguments(args: object): boolean {
  // Per row of a list: no array of values made to look at them.
  for (const name in args) if ((args as Record<string, unknown>)[name] != null) return false;
  return true;
}

/** Per field of a document (the executor hands every row of a list the same nodes). */
const countOnlySelections = new WeakMap<readonly FieldNode[], boolean>();

/** Whether the field asks only `totalCount` (and `__typename`): plain fields, no fragments, which could ask more. */
function asksCountOnly(fieldNodes: readonly FieldNode[]): boolean {
  let countOnly = countOnlySelections.get(fieldNodes);
  if (countOnly === undefined) {
    countOnly = fieldNodes.every((node) =>
      (node.selectionSet?.selections ?? []).every(
        (selection) => selection.kind === Kind.FIELD && (selection.name.value === 'totalCount' || selection.name.value === '__typename'),
      ),
    );
    countOnlySelections.set(fieldNodes, countOnly);
  }
  return countOnly;
}

function holdsColumns(row: unknown, columns: readonly string[]): boolean {
  if (typeof row !== 'object' || row === null) return false;
  for (const column of columns) if (!Object.hasOwn(row, column)) return false;
  return true;
}

const pluginName = 'loadedColumns';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      loadedColumns: LoadedColumnsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, LoadedColumnsPlugin);

export default pluginName;
