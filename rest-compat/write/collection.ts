import type { ListRequest } from '../parse/query.js';
import type { ApiModel, NormanSchema, ResourceBinding } from '../schemas/types.js';
import { resourceWriter, type ResourceContext } from './resource.js';
import { paginationOf, type PageInfo } from './pagination.js';
import { withQuery } from './urls.js';

export interface Connection {
  totalCount?: number;
  /** Whether this caller may create one (when the connection says). */
  canCreate?: boolean;
  pageInfo: PageInfo;
  edges: Array<{ node: Record<string, unknown> }>;
}

/**
 * A page of a collection in Norman form: data, pagination (keyset markers, see
 * `pagination.ts`; `total` of what the caller may see), sort with both the
 * top-level `sortLinks` Rancher's UI reads and Norman's `sort.links`, the filters
 * echo, and `createTypes` when the caller may create.
 */
export function normanCollection(options: {
  model: ApiModel;
  binding: ResourceBinding;
  schema: NormanSchema;
  connection: Connection;
  list: ListRequest;
  requestUrl: URL;
  collectionUrl: string;
  canCreate: boolean;
  resource: ResourceContext;
}): Record<string, unknown> {
  const { model, binding, schema, connection, list, requestUrl } = options;
  const self = requestUrl.toString();
  const sortLinks = Object.fromEntries(binding.sortFields.map((field) => [field, withQuery(requestUrl, { sort: field, order: undefined, marker: undefined })]));
  const order = list.sort?.order === 'DESC' ? 'desc' : 'asc';
  const write = resourceWriter(model, binding, options.resource);
  return {
    type: 'collection',
    resourceType: binding.schemaId,
    links: { self },
    createTypes: options.canCreate ? { [binding.schemaId]: options.collectionUrl } : {},
    actions: Object.fromEntries(Object.keys(schema.collectionActions).map((name) => [name, `${options.collectionUrl}?action=${name}`])),
    pagination: paginationOf(list, connection.pageInfo, connection.totalCount, requestUrl),
    sort: {
      order,
      reverse: withQuery(requestUrl, { order: order === 'asc' ? 'desc' : 'asc', marker: undefined }),
      ...(list.sort && list.sort.field !== 'id' ? { name: list.sort.field } : {}),
      links: sortLinks,
    },
    sortLinks,
    filters: list.filterEcho,
    data: connection.edges.map((edge) => write(edge.node)),
  };
}
