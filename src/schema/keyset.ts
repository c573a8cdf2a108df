import { parseCursorConnectionArgs } from '@pothos/core';
import { invalidInput } from '../errors.js';
import { pageSize } from './page-size.js';

/**
 * Keyset pagination. A cursor carries the sort value and the id of the last item
 * seen, and the next page is "everything after that pair" in SQL — so a cursor
 * stays valid while items are inserted or deleted, even the item it came from
 * (Prisma's own `cursor` needs that row to still exist, and offsets shift).
 */
export type Direction = 'asc' | 'desc';
type Position = { value: unknown; id: string };

export function encodeCursor(value: unknown, id: string): string {
  const encoded = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([encoded, id])).toString('base64url');
}

export function decodeCursor(cursor: string, argument: 'after' | 'before'): Position {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') {
      const [value, id] = parsed as [unknown, string];
      const date = value && typeof value === 'object' && 'd' in value ? new Date(String((value as { d: unknown }).d)) : undefined;
      if (date && Number.isNaN(date.getTime())) throw new Error('bad date');
      return { value: date ?? value, id };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidInput(argument, `${argument}: not a cursor of this list`, 'InvalidFormat');
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
 * The Prisma conditions and order of one keyset page: strictly beyond the cursors, in
 * the sort order `column direction, id direction`, reversed when reading backwards
 * (`last`), as {@link connectionWindow} windows it.
 */
export function keysetWindow(
  column: string,
  direction: Direction,
  window: Pick<ConnectionWindow, 'after' | 'before' | 'inverted'>,
): { bounds: object[]; orderBy: object[] } {
  const { after, before, inverted } = window;
  const bounds = [
    ...(after ? [beyond(column, direction, decodeCursor(after, 'after'), 'after')] : []),
    ...(before ? [beyond(column, direction, decodeCursor(before, 'before'), 'before')] : []),
  ];
  const order = inverted ? (direction === 'asc' ? 'desc' : 'asc') : direction;
  return { bounds, orderBy: column === 'id' ? [{ id: order }] : [{ [column]: order }, { id: order }] };
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
 * there is more) as edges and `pageInfo`, cursors encoded when read. `emptyCursor` is
 * what an empty page answers for its bounds.
 */
export function keysetPage<Node>(loaded: Node[], window: ConnectionWindow, cursorOf: (node: Node) => string, emptyCursor: string | null): KeysetPage<Node> {
  const page = loaded.slice(0, window.expectedSize);
  if (window.inverted) page.reverse();
  const edges = page.map((node) => new Edge(node, cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.hasNextPage(loaded.length),
      hasPreviousPage: window.hasPreviousPage(loaded.length),
      get startCursor() {
        return edges[0]?.cursor ?? emptyCursor;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? emptyCursor;
      },
    },
  };
}
