import type { ListQuery } from './list-query.js';
import type { ListSlice } from './list-read.js';

/**
 * What a /v1 collection says about the stretch of the list it holds. Steve (with
 * rancher/apiserver's collection writer) reports `count`, the items the filtered list
 * holds, and with `pagesize`, `pages`; and for a chunk that more follow, `continue` and
 * `pagination: {partial, next}`. For a numbered page this face adds
 * `pagination: {pageSize, page, partial, next, previous}`, links that keep every other
 * parameter (filter, sort) of the request, so a client can walk the pages without
 * building URLs.
 */
export function paginationFields(query: ListQuery, slice: ListSlice, listUrl: string, params: URLSearchParams): Record<string, unknown> {
  const count = slice.count === undefined ? {} : { count: slice.count };
  const link = (changes: Record<string, string>) => {
    const url = new URL(listUrl);
    for (const [name, value] of params) if (!(name in changes)) url.searchParams.append(name, value);
    for (const [name, value] of Object.entries(changes)) url.searchParams.set(name, value);
    return url.toString();
  };
  if (query.page) {
    const { size, number } = query.page;
    const pages = slice.count === undefined ? undefined : Math.ceil(slice.count / size);
    // From beyond the end, the way back is the last page.
    const previous = pages === undefined ? number - 1 : Math.min(number - 1, Math.max(pages, 1));
    return {
      ...count,
      ...(pages === undefined ? {} : { pages }),
      pagination: {
        pageSize: size,
        page: number,
        partial: number > 1 || slice.next !== undefined,
        ...(slice.next ? { next: link({ page: String(number + 1) }) } : {}),
        ...(number > 1 ? { previous: link({ page: String(previous) }) } : {}),
      },
    };
  }
  if (!slice.next) return count;
  return { ...count, continue: slice.next, pagination: { partial: true, next: link({ limit: String(query.limit), continue: slice.next }) } };
}
