import type { ApiModel, NormanSchema } from '../schemas/types.js';
import type { Scope } from '../parse/path.js';
import { idSegment } from './urls.js';

const version = { group: 'management.cattle.io', version: 'v3', path: '/v3' };

/** The API root: one link per collection. */
export function apiRoot(model: ApiModel, base: string): Record<string, unknown> {
  const links: Record<string, string> = { self: `${base}/v3`, schemas: `${base}/v3/schemas` };
  for (const binding of model.bindings.values()) links[binding.collectionPath] = `${base}/v3/${binding.collectionPath}`;
  return { type: 'apiRoot', id: 'v3', baseType: 'apiRoot', apiVersion: version, links, actions: {} };
}

/**
 * One schema object. Inside a scope (`/v3/clusters/<id>/schemas`) the collection
 * link of each type the scope narrows points at the scoped collection.
 */
export function normanSchemaObject(model: ApiModel, schema: NormanSchema, base: string, scope?: Scope): Record<string, unknown> {
  const binding = model.bindings.get(schema.id);
  const links: Record<string, string> = { self: `${base}/v3/schemas/${schema.id}` };
  if (binding) {
    const scoped = scope && `${scope.schemaId}Id` in schema.collectionFilters;
    const parent = scope ? model.bindings.get(scope.schemaId) : undefined;
    links.collection =
      scoped && parent ? `${base}/v3/${parent.collectionPath}/${idSegment(scope.id)}/${binding.collectionPath}` : `${base}/v3/${binding.collectionPath}`;
  }
  return { ...schema, type: 'schema', baseType: 'schema', links, version };
}

export function schemaCollection(model: ApiModel, base: string, scope?: Scope): Record<string, unknown> {
  return {
    type: 'collection',
    resourceType: 'schema',
    links: { self: scope ? `${base}/v3/${model.bindings.get(scope.schemaId)!.collectionPath}/${idSegment(scope.id)}/schemas` : `${base}/v3/schemas` },
    createTypes: {},
    actions: {},
    data: [...model.schemas.values()].map((schema) => normanSchemaObject(model, schema, base, scope)),
  };
}
