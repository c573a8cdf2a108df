import { pageSize } from '../../src/schema/page-size.js';
import { documents } from '../execute/documents.js';
import type { ResourceBinding } from '../schemas/types.js';
import type { Resource } from './mapping.js';

/**
 * Reads a stretch of a kind's GraphQL list: a chunk after a cursor (Kubernetes'
 * `limit`/`continue`), or a numbered page (Steve's `pagesize`/`page`). GraphQL pages by
 * keyset cursors, at most `pageSize.max` items a query, and has no offset: page N is
 * reached by walking cursors over the (N-1)×size items before it, asking for nothing but
 * the cursors, and a page larger than a query holds is read in several. Every query
 * carries the same filter and sort, so each sees the caller's visible, filtered list.
 */
type Run = (document: string, variables: Record<string, unknown>) => Promise<unknown>;

/** The list's `filter` and `sort` arguments, already in GraphQL's terms. */
export type ListArguments = { filter?: Record<string, Record<string, unknown>>; sort?: { field: string; order: 'ASC' | 'DESC' } };

export interface ListSlice {
  nodes: Resource[];
  /** How many items the whole (filtered, visible) list holds, when the list counts them. */
  count?: number;
  /** The cursor after the last node, when more items follow. */
  next?: string;
}

interface Connection {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges?: Array<{ node: Resource }>;
}

/** Up to `first` items (at most a query's page) after `after`. */
export async function readChunk(run: Run, binding: ResourceBinding, args: ListArguments, first: number, after?: string): Promise<ListSlice> {
  const connection = (await run(documents.list(binding), { ...args, first, ...(after ? { after } : {}) })) as Connection;
  return sliceOf(
    connection,
    (connection.edges ?? []).map((edge) => edge.node),
  );
}

/** Page `number` (from 1) of `size` items; empty beyond the last page, as in Steve. */
export async function readPage(run: Run, binding: ResourceBinding, args: ListArguments, page: { size: number; number: number }): Promise<ListSlice> {
  const offset = (page.number - 1) * page.size;
  let count: number | undefined;
  let after: string | undefined;
  for (let skipped = 0; skipped < offset; ) {
    const first = Math.min(offset - skipped, pageSize.max);
    const step = sliceOf((await run(documents.listCursors(binding), { ...args, first, ...(after ? { after } : {}) })) as Connection, []);
    count ??= step.count;
    skipped += first;
    // Past the end: no query more (the count tells at the first step, when the list counts).
    if (!step.next || (count !== undefined && offset >= count)) return { nodes: [], ...(count === undefined ? {} : { count }) };
    after = step.next;
  }
  const nodes: Resource[] = [];
  let next = after;
  do {
    const chunk = await readChunk(run, binding, args, Math.min(page.size - nodes.length, pageSize.max), next);
    count ??= chunk.count;
    nodes.push(...chunk.nodes);
    next = chunk.next;
  } while (next && nodes.length < page.size);
  return { nodes, ...(count === undefined ? {} : { count }), ...(next ? { next } : {}) };
}

function sliceOf(connection: Connection, nodes: Resource[]): ListSlice {
  const { hasNextPage, endCursor } = connection.pageInfo;
  return {
    nodes,
    ...(typeof connection.totalCount === 'number' ? { count: connection.totalCount } : {}),
    ...(hasNextPage && endCursor ? { next: endCursor } : {}),
  };
}
