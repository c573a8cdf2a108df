import type { ObjectRef } from '@pothos/core';
import type { Context } from '../../context.js';
import { builder, type BuilderTypes } from '../builder.js';

/**
 * One connection type per resource type: `<Type>Connection` (with `<Type>Edge`), shared by
 * the top-level list and by every nested list of that type (`Cluster.projects` is a
 * `ProjectConnection` like `projects`), so one client component serves every list of a
 * type (issue 15). Beside Relay's `edges` and `pageInfo` it has `nodes`, the page's items
 * without their cursors, and `totalCount`.
 *
 * `totalCount` is a number when the parent's read counted it (a nested list, through a
 * relation count), or a function run only when the field is selected (a top-level list).
 */
export type ResourceConnection<Node> = {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  totalCount?: number | (() => Promise<number>);
};

export function defineResourceConnection<Node extends { id: string }>(
  name: string,
  Node: ObjectRef<BuilderTypes, Node>,
  /** For a type with a create: whether this caller may create one at all (/v3 offers `createTypes` only then). */
  canCreate?: (context: Context) => boolean,
) {
  return builder.connectionObject(
    {
      type: Node,
      name: `${name}Connection`,
      description: `A page of ${name} items, in the list's order.`,
      fields: (t) => ({
        ...(canCreate
          ? {
              canCreate: t.boolean({
                description: `Whether this caller may create ${name} items at all; a create still checks the parent it names (/v3: \`createTypes\`).`,
                resolve: (_connection, _args, context) => canCreate(context),
              }),
            }
          : {}),
        // The connection shape Pothos types here has no totalCount: ours always does (see above).
        totalCount: t.int({
          description: 'How many items the whole list holds (every page, within its filter and what the caller may see).',
          resolve: (connection) => totalOf(connection as unknown as ResourceConnection<Node>),
        }),
        nodes: t.field({
          type: [Node],
          description: 'The items of this page: the same as `edges { node }`, without the cursors.',
          resolve: (connection) => (connection as unknown as ResourceConnection<Node>).edges.map((edge) => edge.node),
        }),
      }),
    },
    { name: `${name}Edge`, description: `One ${name} of a page, with its cursor.` },
  );
}

function totalOf(connection: ResourceConnection<unknown>): number | Promise<number> {
  const total = connection.totalCount;
  if (total === undefined) throw new Error('totalCount was selected but not read with the page');
  return typeof total === 'function' ? total() : total;
}
