import type { ObjectRef } from '@pothos/core';
import type { Principal } from '../../auth/principal.js';
import type { Context } from '../../context.js';
import type { BuilderTypes } from '../builder.js';
import { connectionWindow, keysetPage, keysetWindow, type ConnectionArgs, type ListOrder } from '../keyset.js';
import { countedRelationExtension } from '../loaded-columns.js';
import type { ResourceConnection } from './resource-connection.js';

/** What a nested list needs of the listed type: its connection and who may see its rows. */
export interface ListedResource {
  readonly name: string;
  readonly Connection: ObjectRef<BuilderTypes, ResourceConnection<{ id: string }>>;
  visible(principal: Principal | null): object;
}

/**
 * A parent's list of its children (`Cluster.projects`), typed as the children's own
 * `<Type>Connection`, with only the children the caller may see, in id order.
 *
 * It is read inside the parent's one statement, never per parent row: `totalCount` is a
 * Prisma relation count (`_count`) in the parent's select, filtered like the rows, and the
 * page is the relation itself with the page's keyset window; each is selected only when
 * asked for. The resolver then only shapes what the parent row holds.
 */
export function relatedList<Ref>(t: RelatedListFieldBuilder<Ref>, relation: string, listed: ListedResource, description: string) {
  return t.field({
    type: listed.Connection,
    description,
    args: t.arg.connectionArgs(),
    // The plugin's own hook for a field's part of the parent's select: unlike the public
    // `select` option it is handed the fields selected beneath this one, so a count alone
    // reads no rows (Pothos' relatedConnection plans itself the same way).
    extensions: {
      pothosPrismaSelect: (args: ConnectionArgs, context: Context, nested: NestedSelection, selected: () => Set<string>) =>
        selectionFor(relation, listed, args, context, nested, selected()),
      [countedRelationExtension]: relation,
    },
    resolve: (parent, args) => pageOf(parent as RelatedRow, relation, listed, args),
  });
}

/**
 * Only what this needs of a Prisma object's field builder (its full type, inferred from a
 * call site, is too deep for TypeScript here). A relation name Prisma does not know fails
 * the first query that selects the field, which every nested list's test runs.
 */
interface RelatedListFieldBuilder<Ref> {
  arg: { connectionArgs(): ReturnType<PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'Arg'>['connectionArgs']> };
  field(options: {
    type: ObjectRef<BuilderTypes, ResourceConnection<{ id: string }>>;
    description: string;
    args: ReturnType<PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'Arg'>['connectionArgs']>;
    extensions: Record<string, unknown>;
    resolve: (parent: object, args: ConnectionArgs) => ResourceConnection<{ id: string }>;
  }): Ref;
}

/** The nested-selection callback the plugin hands a field's selection hook. */
type NestedSelection = (query: object, include: { getType: () => string; paths: Array<Array<{ name: string }>> }) => object;

type RelatedRow = Record<string, unknown> & { _count?: Record<string, number> };

const nodePaths = [[{ name: 'nodes' }], [{ name: 'edges' }, { name: 'node' }]];

function selectionFor(relation: string, listed: ListedResource, args: ConnectionArgs, context: Context, nested: NestedSelection, selected: Set<string>) {
  const where = listed.visible(context.principal);
  const counted = selected.has('totalCount');
  const paged = [...selected].some((field) => field !== 'totalCount' && field !== '__typename');
  if (!counted && !paged) return null;
  const select: Record<string, unknown> = {};
  if (counted) select._count = { select: { [relation]: { where } } };
  if (paged) {
    const window = connectionWindow(args);
    const { bounds, orderBy } = keysetWindow(idOrder(listed), window);
    const query = { where: bounds.length ? { AND: [where, ...bounds] } : where, orderBy, take: window.limit, select: { id: true } };
    select[relation] = nested(query, { getType: () => listed.name, paths: nodePaths });
  }
  return { select };
}

/** The page the parent row holds, as the connection; no rows were read when only the count was asked. */
function pageOf(row: RelatedRow, relation: string, listed: ListedResource, args: ConnectionArgs): ResourceConnection<{ id: string }> {
  const totalCount = row._count?.[relation];
  const rows = row[relation] as Array<{ id: string }> | undefined;
  if (!rows) return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount };
  return {
    ...keysetPage(rows, connectionWindow(args), idOrder(listed)),
    totalCount,
  };
}

/** A nested list's order: by id, as its type's top-level list unsorted, whose cursors it shares. */
function idOrder(listed: ListedResource): ListOrder {
  return { list: listed.name, column: 'id', direction: 'asc', holds: 'string', nullable: false };
}
