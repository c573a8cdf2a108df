import type { ActionBinding, ResourceBinding } from '../schemas/types.js';

/**
 * The GraphQL operations behind /v3, one per route shape, written once per type
 * and action and cached (Yoga's parse/validate cache then keys on the same text).
 * Every operation answers under the alias `r`.
 */
const cache = new Map<string, string>();

function cached(key: string, build: () => string): string {
  let document = cache.get(key);
  if (document === undefined) {
    document = build();
    cache.set(key, document);
  }
  return document;
}

/** A list query's variables and its field with their arguments, open for the selection: `(…) { r: clusters(…)`. */
function listSignature(binding: ResourceBinding): string {
  const variables = [
    '$first: Int',
    '$after: String',
    '$last: Int',
    '$before: String',
    ...(binding.filterInput ? [`$filter: ${binding.filterInput}`] : []),
    ...(binding.sortInput ? [`$sort: ${binding.sortInput}`] : []),
  ];
  const args = [
    'first: $first',
    'after: $after',
    'last: $last',
    'before: $before',
    ...(binding.filterInput ? ['filter: $filter'] : []),
    ...(binding.sortInput ? ['sort: $sort'] : []),
  ];
  return `(${variables.join(', ')}) { r: ${binding.listQuery}(${args.join(', ')})`;
}

export const documents = {
  get: (binding: ResourceBinding) =>
    cached(`${binding.schemaId}:get`, () => `query Get($id: ID!) { r: ${binding.getQuery}(id: $id) { ${binding.selection} } }`),

  list: (binding: ResourceBinding) =>
    cached(`${binding.schemaId}:list`, () => {
      const perCaller = binding.permissionFields.canCreate ? 'canCreate ' : '';
      return `query List${listSignature(binding)} { ${binding.listCountsTotal ? 'totalCount ' : ''}${perCaller}pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { ${binding.selection} } } } }`;
    }),

  /** The list asking only where a stretch ends (and the count): walking past items (/v1's numbered pages) loads none of their fields. */
  listCursors: (binding: ResourceBinding) =>
    cached(
      `${binding.schemaId}:listCursors`,
      () => `query Cursors${listSignature(binding)} { ${binding.listCountsTotal ? 'totalCount ' : ''}pageInfo { hasNextPage endCursor } } }`,
    ),

  create: (binding: ResourceBinding) =>
    cached(
      `${binding.schemaId}:create`,
      () => `mutation Create($input: ${binding.createInput}!) { r: ${binding.createMutation}(input: $input) { ${binding.selection} } }`,
    ),

  update: (binding: ResourceBinding) =>
    cached(
      `${binding.schemaId}:update`,
      () => `mutation Update($id: ID!, $input: ${binding.updateInput}!) { r: ${binding.updateMutation}(id: $id, input: $input) { ${binding.selection} } }`,
    ),

  /** The update with its precondition (`ifResourceVersion`), for types that have one. */
  updateIfVersion: (binding: ResourceBinding) =>
    cached(
      `${binding.schemaId}:updateIfVersion`,
      () =>
        `mutation Update($id: ID!, $input: ${binding.updateInput}!, $ifResourceVersion: String) { r: ${binding.updateMutation}(id: $id, input: $input, ifResourceVersion: $ifResourceVersion) { ${binding.selection} } }`,
    ),

  /** The change feed's newest revision (a list's resume point). */
  changeRevision: () => 'query Revision { r: changeRevision }',

  remove: (binding: ResourceBinding) =>
    cached(`${binding.schemaId}:remove`, () => `mutation Remove($id: ID!) { r: ${binding.deleteMutation}(id: $id) { ${binding.selection} } }`),

  action: (binding: ResourceBinding, action: ActionBinding, onResource: boolean) =>
    cached(`${binding.schemaId}:${onResource ? 'action' : 'collectionAction'}:${action.mutation}`, () => {
      const variables = [...(onResource ? ['$id: ID!'] : []), ...(action.inputType ? [`$input: ${action.inputType}${action.inputRequired ? '!' : ''}`] : [])];
      const args = [...(onResource ? ['id: $id'] : []), ...(action.inputType ? ['input: $input'] : [])];
      const selection = action.selection ? ` { ${action.selection} }` : '';
      const signature = variables.length ? `(${variables.join(', ')})` : '';
      const call = args.length ? `(${args.join(', ')})` : '';
      return `mutation Action${signature} { r: ${action.mutation}${call}${selection} }`;
    }),
};
