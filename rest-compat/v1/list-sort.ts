import { queryColumn, usableKeys } from './list-columns.js';
import type { SortKey } from './list-query.js';
import type { ServedKind } from './served.js';
import { statusBadRequest } from './status.js';

/** The kind's GraphQL list's `sort` argument: one field, which way; GraphQL breaks ties by id. */
interface ListSort {
  field: string;
  order: 'ASC' | 'DESC';
}

/**
 * Steve's `sort` (`sort=metadata.name`, `sort=-metadata.creationTimestamp,metadata.name`)
 * as that argument. Steve sorts by any number of keys; GraphQL by one, so further keys
 * are taken only where they cannot change the order: after a key no two objects share
 * (`metadata.name`, `id`), and a key every object shows alike (`metadata.namespace`)
 * orders nothing. Any other second key is refused, as is a key the kind cannot sort by:
 * a list in another order than asked would page wrongly.
 */
export function listSort(keys: readonly SortKey[], served: ServedKind): ListSort | undefined {
  const sortable = (field: string) => served.binding.sortFields.includes(field);
  let sort: ListSort | undefined;
  let settled = false;
  for (const { key, descending } of keys) {
    const column = queryColumn(served, key);
    if (!column || (column.kind === 'field' && !sortable(column.field))) {
      throw statusBadRequest(`sort by ${key}: ${served.kind.resource} cannot be sorted by it (they can by ${usableKeys(served, sortable).join(', ')})`);
    }
    if (column.kind === 'constant' || settled) continue;
    if (sort) throw statusBadRequest(`sort by ${key}: a second key is supported only after one that no two objects share (metadata.name, id)`);
    sort = { field: column.field, order: descending ? 'DESC' : 'ASC' };
    settled = column.unique;
  }
  return sort;
}
