import type { ApiModel } from '../schemas/types.js';

/**
 * What a /v3 path names. Type segments resolve case-insensitively by schema id or
 * plural name; ids arrive as they are (Rancher ids contain `:`), percent-decoded.
 *
 *   /v3                                root
 *   /v3/schemas[/<id>]                 schemas
 *   /v3/<type>                         collection
 *   /v3/<type>/<id>                    resource
 *   /v3/<type>/<id>/schemas            the schemas of that scope
 *   /v3/<type>/<id>/<link>             a link of the resource
 *   /v3/<type>/<id>/<child>[/<childId>]  a collection scoped to the resource (sub-context)
 */
export type ApiPath =
  | { kind: 'root' }
  | { kind: 'schemas'; scope?: Scope }
  | { kind: 'schema'; id: string }
  | { kind: 'collection'; schemaId: string; scope?: Scope }
  | { kind: 'resource'; schemaId: string; id: string; scope?: Scope }
  | { kind: 'link'; schemaId: string; id: string; link: string }
  | { kind: 'unknown'; reason: string };

/** A parent resource that narrows a collection: `/v3/cluster/c-abc/projects`. */
export interface Scope {
  schemaId: string;
  id: string;
  /** The child's filter field that names the parent: `clusterId`. */
  field: string;
}

export function parseApiPath(pathname: string, prefix: string, model: ApiModel): ApiPath {
  const rest = pathname.slice(prefix.length);
  let segments: string[];
  try {
    segments = rest
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return { kind: 'unknown', reason: 'the path is not valid percent-encoding' };
  }
  if (segments.length === 0) return { kind: 'root' };
  const [first, second, third, fourth, ...extra] = segments as [string, string?, string?, string?, ...string[]];

  if (first.toLowerCase() === 'schemas') {
    if (second === undefined) return { kind: 'schemas' };
    const id = resolveSchema(model, second) ?? (model.schemas.has(second) ? second : undefined) ?? findSchemaIgnoringCase(model, second);
    return id && third === undefined ? { kind: 'schema', id } : { kind: 'unknown', reason: `no schema ${second}` };
  }

  const schemaId = resolveSchema(model, first);
  if (!schemaId) return { kind: 'unknown', reason: `no type ${first}` };
  if (second === undefined) return { kind: 'collection', schemaId };
  if (third === undefined) return { kind: 'resource', schemaId, id: second };
  if (third.toLowerCase() === 'schemas' && fourth === undefined) return { kind: 'schemas', scope: { schemaId, id: second, field: `${schemaId}Id` } };

  const binding = model.bindings.get(schemaId)!;
  // Own links only: `toString` or `__proto__` is no link of any type.
  if (Object.hasOwn(binding.links, third) && fourth === undefined) return { kind: 'link', schemaId, id: second, link: third };

  const childId = resolveSchema(model, third);
  if (childId && extra.length === 0) {
    const field = `${schemaId}Id`;
    if (!(field in (model.schemas.get(childId)?.collectionFilters ?? {}))) {
      return { kind: 'unknown', reason: `${third} is not scoped by ${schemaId}` };
    }
    const scope = { schemaId, id: second, field };
    return fourth === undefined ? { kind: 'collection', schemaId: childId, scope } : { kind: 'resource', schemaId: childId, id: fourth, scope };
  }
  return { kind: 'unknown', reason: `no link or collection ${third} on ${schemaId}` };
}

/** A resource type by schema id or plural name, any case. */
function resolveSchema(model: ApiModel, name: string): string | undefined {
  const id = model.aliases.get(name.toLowerCase());
  return id && model.bindings.has(id) ? id : undefined;
}

function findSchemaIgnoringCase(model: ApiModel, name: string): string | undefined {
  const lower = name.toLowerCase();
  return [...model.schemas.keys()].find((id) => id.toLowerCase() === lower);
}
