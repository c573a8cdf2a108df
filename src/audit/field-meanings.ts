import { getNamedType, isObjectType, type GraphQLField } from 'graphql';
import type { ApiModel } from '../../rest-compat/schemas/types.js';
import { canonicalMutationName } from '../schema/resources/action-names.js';

/** What a top-level GraphQL field does, in the audit log's words. */
export interface FieldMeaning {
  /** Rancher's schema id (`cluster`). */
  resourceType: string | null;
  /** get, list, create, update, delete, or an action's name. */
  verb: string;
}

/**
 * Reads the verbs from the /v3 model rest-compat derives from the schema, so that
 * a field means the same thing in the audit log as in /v3: `cluster` is a get,
 * `clusters` a list, `createCluster` a create, `generateClusterKubeconfig` (and its
 * deprecated alias `clusterGenerateKubeconfig`) the `generateKubeconfig` action. Fields
 * /v3 does not expose (`me`, `login`) are their own verb, on the type they answer with.
 */
export function fieldMeanings(model: ApiModel): (field: GraphQLField<unknown, unknown>) => FieldMeaning {
  const meanings = new Map<string, FieldMeaning>();
  for (const binding of model.bindings.values()) {
    const on = (name: string | undefined, verb: string) => name && meanings.set(name, { resourceType: binding.schemaId, verb });
    on(binding.getQuery, 'get');
    on(binding.listQuery, 'list');
    on(binding.createMutation, 'create');
    on(binding.updateMutation, 'update');
    on(binding.deleteMutation, 'delete');
    for (const [action, { mutation }] of [...Object.entries(binding.resourceActions), ...Object.entries(binding.collectionActions)]) on(mutation, action);
  }
  return (field) => meanings.get(canonicalMutationName(field)) ?? { resourceType: answeredType(field), verb: field.name };
}

function answeredType(field: GraphQLField<unknown, unknown>): string | null {
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return null;
  return named.name.charAt(0).toLowerCase() + named.name.slice(1);
}
