import { markers, type ListRequest } from '../parse/query.js';
import { withQuery } from './urls.js';

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage?: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

export interface Pagination {
  limit: number;
  total?: number;
  partial?: true;
  first?: string;
  previous?: string;
  next?: string;
  last?: string;
}

/**
 * Norman's `pagination` for one keyset page. A page that does not hold the whole
 * list is `partial` and links the `first` and `last` pages; `next` follows its last
 * item while more remain (and is absent on the last page, where generic clients stop
 * depaginating), `previous` reads backwards from its first item. Where a page came
 * from decides what lies around it: a page reached forwards has items before it, one
 * reached backwards has items after it.
 */
export function paginationOf(list: ListRequest, pageInfo: PageInfo, total: number | undefined, requestUrl: URL): Pagination {
  const { position, limit } = list;
  const reachedBackwards = 'before' in position || 'fromEnd' in position;
  const hasNext = reachedBackwards ? 'before' in position : pageInfo.hasNextPage;
  const hasPrevious = reachedBackwards ? Boolean(pageInfo.hasPreviousPage) : 'after' in position;
  const pageLink = (marker: string | undefined) => withQuery(requestUrl, { marker, limit: String(limit) });
  const partial = hasNext || hasPrevious;
  return {
    limit,
    ...(total === undefined ? {} : { total }),
    ...(partial ? { partial: true as const, first: pageLink(undefined) } : {}),
    ...(hasPrevious && pageInfo.startCursor ? { previous: pageLink(markers.before(pageInfo.startCursor)) } : {}),
    ...(hasNext && pageInfo.endCursor ? { next: pageLink(markers.after(pageInfo.endCursor)) } : {}),
    // A page of none (`limit=0`, Norman's way to ask only for the total) has no last page to link.
    ...(partial && limit > 0 ? { last: pageLink(markers.last()) } : {}),
  };
}
