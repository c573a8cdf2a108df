import { pageSize } from '../../src/schema/page-size.js';
import type { NormanSchema, ResourceBinding } from '../schemas/types.js';

/** The list parameters of a collection request, already in GraphQL's terms. */
export interface ListRequest {
  /** `<Type>Filter` input value: field → modifier → value(s). */
  filter: Record<string, Record<string, string | string[] | true>>;
  /** What the response echoes in `filters`: field → conditions, `null` when unfiltered. */
  filterEcho: Record<string, Array<{ modifier: string; value: string | string[] }> | null>;
  sort?: { field: string; order: 'ASC' | 'DESC' };
  limit: number;
  marker?: string;
  /** Where the page starts, read from the marker. */
  position: PagePosition;
}

/**
 * Where a page of a keyset list starts: after an item (the following pages), before
 * one (the preceding pages), or at the end (the last page, read in reverse order).
 */
type PagePosition = { after: string } | { before: string } | { fromEnd: true } | { fromStart: true };

/**
 * Markers are opaque to clients. A forward marker is the list's own cursor; a marker
 * for the preceding page is that cursor behind `~`, and `~` alone marks the last page.
 * Cursors are base64url, which never contains `~`, so the three cannot be confused.
 */
export const markers = {
  after: (cursor: string) => cursor,
  before: (cursor: string) => `${reverseMark}${cursor}`,
  last: () => reverseMark,
};
const reverseMark = '~';

function positionOf(marker: string | undefined): PagePosition {
  if (!marker) return { fromStart: true };
  if (marker === reverseMark) return { fromEnd: true };
  return marker.startsWith(reverseMark) ? { before: marker.slice(reverseMark.length) } : { after: marker };
}

/** The largest page: a page is one GraphQL query, so the schema's cap (Norman's is 10000). */
export const maximumLimit = pageSize.max;
/**
 * Norman's default page, 1000, within that cap: scripts and Rancher's CLI read `data`
 * without following `pagination.next`, so they see what a page without `limit` holds.
 */
export const defaultLimit = Math.min(1000, maximumLimit);

/** Parameters that steer the request rather than filter it. */
const reserved = new Set(['limit', 'marker', 'sort', 'order', 'reverse', 'action', '_method', '_format', '_replace']);
const listModifiers = new Set(['in', 'notin']);
const flagModifiers = new Set(['null', 'notnull']);

/**
 * Norman's query language: `field=value` (eq) or `field_<modifier>=value`, split at
 * the LAST underscore; `_in`/`_notin` take the parameter repeated (or one
 * comma-separated value), any other modifier its first value (Go's `url.Values.Get`, as
 * Norman reads it); unknown fields and modifiers are ignored, as Norman does.
 */
export function parseListQuery(params: URLSearchParams, schema: NormanSchema, binding: ResourceBinding): ListRequest {
  const filters = schema.collectionFilters;
  const filter: ListRequest['filter'] = {};
  const filterEcho: ListRequest['filterEcho'] = Object.fromEntries(Object.keys(filters).map((name) => [name, null]));

  for (const key of new Set(params.keys())) {
    if (reserved.has(key)) continue;
    const { field, modifier } = splitFilterKey(key, filters);
    if (!field || !filters[field]!.modifiers.includes(modifier)) continue;
    const values = params.getAll(key);
    const value: string | string[] | true = flagModifiers.has(modifier)
      ? true
      : listModifiers.has(modifier)
        ? values.flatMap((entry) => entry.split(',')).filter((entry) => entry !== '')
        : values[0]!;
    filter[field] ??= {};
    filter[field][modifier] = value;
    filterEcho[field] ??= [];
    filterEcho[field].push({ modifier, value: value === true ? 'true' : value });
  }

  const sortField = params.get('sort');
  const descending = params.get('order')?.toLowerCase() === 'desc';
  const sort =
    sortField && binding.sortFields.includes(sortField)
      ? { field: sortField, order: descending ? ('DESC' as const) : ('ASC' as const) }
      : descending
        ? { field: 'id', order: 'DESC' as const }
        : undefined;

  const limit = limitOf(params.get('limit'));
  const marker = params.get('marker') || undefined;
  return { filter, filterEcho, ...(sort ? { sort } : {}), limit, ...(marker ? { marker } : {}), position: positionOf(marker) };
}

/**
 * Norman's reading of `limit`: `-1` is the most a page holds (Rancher's UI asks for lists
 * that way), `0` a page of none that still counts the total, anything else not a
 * non-negative number the default page.
 */
function limitOf(text: string | null): number {
  const requested = Number.parseInt(text ?? '', 10);
  if (requested === -1) return maximumLimit;
  if (!(requested >= 0)) return defaultLimit;
  return Math.min(requested, maximumLimit);
}

/**
 * The filterable field a key names, and its modifier. Only the schema's own filters
 * count: a key such as `__proto__` or `toString` names no field, whatever an object
 * inherits, and is ignored like any other unknown parameter.
 */
function splitFilterKey(key: string, filters: NormanSchema['collectionFilters']): { field?: string; modifier: string } {
  const underscore = key.lastIndexOf('_');
  if (underscore > 0) {
    const field = key.slice(0, underscore);
    const modifier = key.slice(underscore + 1);
    if (Object.hasOwn(filters, field)) return { field, modifier };
  }
  return Object.hasOwn(filters, key) ? { field: key, modifier: 'eq' } : { modifier: 'eq' };
}
