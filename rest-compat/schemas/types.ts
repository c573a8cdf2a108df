import type { ClusterLocalId } from '../../src/cluster-local-ids.js';

/**
 * Rancher's (Norman's) description of an API type, as served at /v3/schemas.
 * rest-compat derives these from the GraphQL schema; nothing here is written per type.
 */
export interface NormanField {
  type: string;
  default?: unknown;
  nullable?: boolean;
  create?: boolean;
  update?: boolean;
  required?: boolean;
  writeOnly?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  options?: string[];
  validChars?: string;
  description?: string;
}

interface NormanAction {
  input?: string;
  output?: string;
}

export interface NormanSchema {
  id: string;
  pluralName: string;
  resourceMethods: string[];
  collectionMethods: string[];
  resourceFields: Record<string, NormanField>;
  resourceActions: Record<string, NormanAction>;
  collectionActions: Record<string, NormanAction>;
  collectionFilters: Record<string, { modifiers: string[] }>;
  collectionFields: Record<string, NormanField>;
  description?: string;
}

/** Where a resource type's data comes from in GraphQL: the operations behind /v3. */
export interface ResourceBinding {
  /**
   * Its ids are `<within>Id:` and Rancher's id (`extensions.clusterLocalId` on the type):
   * in the context of that parent /v3 serves and takes Rancher's form (parse/cluster-context.ts).
   */
  clusterLocalId?: ClusterLocalIdRule;
  /**
   * Reference fields (`namespaceId`) naming a type whose ids are cluster-local, with that
   * type's rule; fields that declare such references, by their path through nested
   * objects and lists (`targetWorkloadIds`, `rules.paths.serviceId`).
   */
  localReferences: Record<string, ClusterLocalIdRule>;
  /** GraphQL object type name (`Cluster`). */
  typeName: string;
  schemaId: string;
  /** Lower-case plural, the collection's path segment (`clusters`). */
  collectionPath: string;
  /** `cluster(id:)`. */
  getQuery: string;
  /** `clusters(filter, sort, first, after)`, a connection. */
  listQuery: string;
  /** Whether the connection counts its items (`totalCount`), for `pagination.total`. */
  listCountsTotal: boolean;
  createMutation?: string;
  updateMutation?: string;
  deleteMutation?: string;
  /** GraphQL input type names behind create and update. */
  createInput?: string;
  updateInput?: string;
  /** Norman action name → the GraphQL mutation that runs it: the actions the schema lists. */
  resourceActions: Record<string, ActionBinding>;
  collectionActions: Record<string, ActionBinding>;
  /**
   * Names an action is also run by without being listed: the derived name of one Rancher
   * names otherwise (`setPassword` beside `setpassword`), and on a resource, a collection
   * action that may also be given an `id` (`changePassword`). See derive.ts, `findActions`.
   */
  unlistedActions: { resource: Record<string, ActionBinding>; collection: Record<string, ActionBinding> };
  /** Filter and sort input types of the list query, and the sortable fields. */
  filterInput?: string;
  sortInput?: string;
  sortFields: string[];
  /** Fields selected to render a resource (GraphQL selection text). */
  selection: string;
  /** Relation links: name → how to build the URL from the resource. */
  links: Record<string, LinkBinding>;
  /** Optional GraphQL fields that tell what this caller may do with this resource, and (`canCreate`, on the list's connection) whether they may create one. */
  permissionFields: { availableActions: boolean; canUpdate: boolean; canRemove: boolean; canCreate: boolean };
}

/** How a type's id is Rancher's id with its parent's id in front (src/cluster-local-ids.ts). */
export interface ClusterLocalIdRule extends ClusterLocalId {
  /** The schema id of the parent that makes the id unique: `cluster`. */
  within: string;
}

export interface ActionBinding {
  mutation: string;
  /** GraphQL input type of the `input` argument, if any. */
  inputType?: string;
  inputRequired: boolean;
  /** GraphQL output type name; a resource type when the action returns the resource. */
  outputType: string;
  outputIsResource: boolean;
  selection: string;
  /** Its input and output schema ids, as the Norman schema lists them (also for the unlisted names). */
  described: NormanAction;
}

export type LinkBinding =
  /** A to-one relation: `cluster` → /v3/clusters/<clusterId>. */
  | { kind: 'resource'; target: string; idField: string }
  /** A to-many relation: `projects` → /v3/clusters/<id>/projects (the child list filtered by parent). */
  | { kind: 'collection'; target: string; parentFilter: string };

export interface ApiModel {
  schemas: Map<string, NormanSchema>;
  bindings: Map<string, ResourceBinding>;
  /** Lower-cased schema id or plural name → schema id, for case-insensitive lookups. */
  aliases: Map<string, string>;
}
