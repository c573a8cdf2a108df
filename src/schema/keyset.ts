import { parseCursorConnectionArgs } from '@pothos/core';
import { invalidInput } from '../errors.js';
import { pageSize } from './page-size.js';

/**
 * Keyset pagination. A cursor carries the sort value and the id of the last item
 * seen, and the next page is "everything after that pair" in SQL — so a cursor
 * stays valid while items are inserted or deleted, even the item it came from
 * (Prisma's own `cursor` needs that row to still exist, and offsets shift).
 *
 * A position means something only in the order it was taken in: a name is no place in
 * a list sorted by creation time (PostgreSQL refused it as a timestamp), and in another
 * list or direction it lands on an arbitrary page. So a cursor also names its list and
 * order ({@link ListOrder}), and any other list refuses it as not one of its cursors.
 */
type Direction = 'asc' | 'desc';
type Position = { value: unknown; id: string };

/** What a sort column holds: a cursor's value must be one before it reaches SQL. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'date';

/** The list and order a cursor belongs to. */
export interface ListOrder {
  /** The type listed (`Cluster`): its lists, top-level or nested, share positions when sorted alike. */
  readonly list: string;
  /** The sort column (Prisma's name; `id` when unsorted) and which way. */
  readonly column: string;
  readonly direction: Direction;
  readonly holds: ValueKind;
  /** The column may be NULL, and so may a cursor's value. */
  readonly nullable: boolean;
}

export function encodeCursor(order: ListOrder, value: unknown, id: string): string {
  const encoded = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([order.list, order.column, order.direction, encoded, id])).toString('base64url');
}

/** The position `cursor` holds, if it is a cursor of `order`; INVALID_INPUT on `argument` otherwise (the empty string included). */
export function decodeCursor(order: ListOrder, cursor: string, argument: 'after' | 'before'): Position {
  const position = positionIn(order, cursor);
  if (position) return position;
  throw invalidInput(argument, `${argument}: not a cursor of this list (a cursor holds only in the list, sort and order it came from)`, 'InvalidFormat');
}

function positionIn(order: ListOrder, cursor: string): Position | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) return undefined;
  const [list, column, direction, encoded, id] = parsed as unknown[];
  if (list !== order.list || column !== order.column || direction !== order.direction || typeof id !== 'string') return undefined;
  const value = decodedValue(encoded);
  return holds(order, value) ? { value, id } : undefined;
}

/** A cursor's value as the column compares it: dates travel as `{ d: ISO text }`. */
function decodedValue(encoded: unknown): unknown {
  if (!encoded || typeof encoded !== 'object' || !('d' in encoded)) return encoded;
  const date = new Date(String(encoded.d));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function holds(order: ListOrder, value: unknown): boolean {
  if (value === null) return order.nullable;
  return (value instanceof Date ? 'date' : typeof value) === order.holds;
}

/**
 * The Prisma condition for "strictly after `position`" (or before) in the order
 * `column direction, id direction`.
 */
function beyond(column: string, direction: Direction, position: Position, side: 'after' | 'before'): object {
  const forward = (direction === 'asc') === (side === 'after');
  const past = forward ? 'gt' : 'lt';
  if (column === 'id') return { id: { [past]: position.id } };
  return {
    OR: [{ [column]: { [past]: position.value } }, { [column]: { equals: position.value }, id: { [past]: position.id } }],
  };
}

/** A connection's arguments (`first`, `after`, `last`, `before`). */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** The window a connection's arguments ask for, under every list's page-size rules (page-size.ts). */
export function connectionWindow(args: ConnectionArgs) {
  return parseCursorConnectionArgs({ args, defaultSize: pageSize.default, maxSize: pageSize.max });
}

export type ConnectionWindow = ReturnType<typeof connectionWindow>;

/**
 * The Prisma conditions and order of one keyset page: strictly beyond the cursors (each
 * a cursor of `order`), in the sort order `column direction, id direction`, reversed
 * when reading backwards (`last`), as {@link connectionWindow} windows it.
 */
export function keysetWindow(order: ListOrder, window: Pick<ConnectionWindow, 'after' | 'before' | 'inverted'>): { bounds: object[]; orderBy: object[] } {
  const { column, direction } = order;
  const { after, before, inverted } = window;
  // Present is not truthy: `after: ""` is no cursor either, not "from the start".
  const bounds = [
    ...(after === undefined ? [] : [beyond(column, direction, decodeCursor(order, after, 'after'), 'after')]),
    ...(before === undefined ? [] : [beyond(column, direction, decodeCursor(order, before, 'before'), 'before')]),
  ];
  const read = inverted ? (direction === 'asc' ? 'desc' : 'asc') : direction;
  return { bounds, orderBy: column === 'id' ? [{ id: read }] : [{ [column]: read }, { id: read }] };
}

/**
 * One edge of a keyset page. Its cursor is encoded when read: most pages are asked for
 * their nodes and the page's bounds, not for every edge's cursor (encoding all of them
 * was a JSON text and a base64 copy per row of every list).
 */
class Edge<Node> {
  #cursor: string | undefined;
  constructor(
    readonly node: Node,
    private readonly cursorOf: (node: Node) => string,
  ) {}

  get cursor(): string {
    this.#cursor ??= this.cursorOf(this.node);
    return this.#cursor;
  }
}

export interface KeysetPage<Node> {
  edges: Array<{ readonly cursor: string; readonly node: Node }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; readonly startCursor: string | null; readonly endCursor: string | null };
}

/**
 * The page of `loaded` (the rows read for `window`: one beyond the page tells whether
 * there is more) as edges and `pageInfo`, cursors of `order` encoded when read. An empty
 * page has no cursors (null, as the schema says): it holds no position to go on from.
 */
export function keysetPage<Node extends { id: string }>(loaded: Node[], window: ConnectionWindow, order: ListOrder): KeysetPage<Node> {
  const page = loaded.slice(0, window.expectedSize);
  if (window.inverted) page.reverse();
  const cursorOf = (node: Node) => encodeCursor(order, (node as Record<string, unknown>)[order.column], node.id);
  const edges = page.map((node) => new Edge(node, cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.hasNextPage(loaded.length),
      hasPreviousPage: window.hasPreviousPage(loaded.length),
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}
