/**
 * What the relay plugin's own parts say in the schema: the `Node` interface, `PageInfo`,
 * and every connection's cursors, edges and page arguments, described once here for
 * every list (`first` and `last`, which carry the page cap, are in page-size.ts).
 */
export const relayDescriptionOptions = {
  nodeTypeOptions: {
    description:
      'Any resource with a server-wide id; `node(id:)` and `nodes(ids:)` read one by its id alone, since the id’s shape names the type (`c-xxxxx` a Cluster, `u-xxxxx` a User, …).',
  },
  idFieldOptions: {
    description: 'Its id, unique server-wide and the same as Rancher’s `id` on /v3 (`c-xxxxx`, `c-xxxxx:p-xxxxx`); pass it to `node(id:)` or `<type>(id:)`.',
  },
  pageInfoTypeOptions: { description: 'Where a page sits in its list, and the cursors to ask for the pages beside it.' },
  hasNextPageFieldOptions: { description: 'More items follow this page: ask for them with `after: endCursor`.' },
  hasPreviousPageFieldOptions: {
    description: 'Items come before this page (known when paging backwards with `last`/`before`): ask for them with `before: startCursor`.',
  },
  startCursorFieldOptions: { description: 'The cursor of the page’s first item, for `before:`; null for an empty page.' },
  endCursorFieldOptions: { description: 'The cursor of the page’s last item, for `after:`; null for an empty page.' },
  cursorFieldOptions: {
    description: 'An opaque position in the list (the sort value and the id): pass it as `after` or `before`. It stays valid while items are added or removed.',
  },
  nodeFieldOptions: { description: 'The item.' },
  edgesFieldOptions: { description: 'The items of this page, each with its cursor, in the list’s order.' },
  pageInfoFieldOptions: { description: 'Whether more items come before or after this page, and the cursors to ask for them.' },
  afterArgOptions: { description: 'Return only items after this cursor (an `endCursor` or edge `cursor` of the same list, with the same filter and sort).' },
  beforeArgOptions: { description: 'Return only items before this cursor (a `startCursor` or edge `cursor` of the same list, with the same filter and sort).' },
} as const;
