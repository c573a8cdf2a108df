import type { IncomingMessage, ServerResponse } from 'node:http';
import { getNamedType, isInputObjectType, type GraphQLSchema } from 'graphql';
import { authProviders, type AuthProviderDeclaration } from '../../src/auth/providers.js';
import { methodNotAllowed, NormanHttpError, notFound } from '../errors.js';
import { standaloneInputSchema } from '../schemas/derive.js';
import type { ApiModel, NormanField, NormanSchema } from '../schemas/types.js';
import { defaultLimit } from '../parse/query.js';
import { sendNorman } from '../write/respond.js';
import { requestUrls } from '../write/urls.js';

export const publicPrefix = '/v3-public';
const version = { group: 'management.cattle.io', version: 'v3public', path: publicPrefix };

/**
 * Rancher's `/v3-public`: what login pages and CLIs read before they have a
 * credential. The anonymous API root, its schemas, the `authProviders` collection and
 * one collection per provider type (`localProviders`), generated from the provider
 * declarations (src/auth/providers.ts) and, for the login action's input and output,
 * from the GraphQL schema. Read-only: the login action itself is login.ts's.
 */
export function createPublicBrowser(model: ApiModel, schema: GraphQLSchema) {
  const schemas = publicSchemas(model, schema);
  const collections = new Map<string, { schema: NormanSchema; providers: readonly AuthProviderDeclaration[] }>();
  collections.set('authproviders', { schema: schemas.get('authProvider')!, providers: authProviders });
  for (const type of new Set(authProviders.map((provider) => provider.type))) {
    collections.set(`${type}s`.toLowerCase(), { schema: schemas.get(type)!, providers: authProviders.filter((provider) => provider.type === type) });
  }

  return function handlePublic(request: IncomingMessage, response: ServerResponse): void {
    const urls = requestUrls(request);
    const base = `${urls.base}${publicPrefix}`;
    try {
      const method = (request.method ?? 'GET').toUpperCase();
      const segments = pathSegments(urls.request.pathname.slice(publicPrefix.length));
      if (!segments) throw notFound(urls.request.pathname);
      const [first, second, ...rest] = segments;
      let body: unknown;
      if (first === undefined) {
        const links = Object.fromEntries([
          ['self', base],
          ['schemas', `${base}/schemas`],
          ...[...collections.values()].map(({ schema: { pluralName } }) => [pluralName, `${base}/${pluralName}`]),
        ]);
        body = { type: 'apiRoot', id: 'v3public', baseType: 'apiRoot', apiVersion: version, links, actions: {} };
      } else if (first.toLowerCase() === 'schemas' && rest.length === 0) {
        const schemaObject = (described: NormanSchema) => ({
          ...described,
          type: 'schema',
          baseType: 'schema',
          version,
          links: { self: `${base}/schemas/${described.id}`, ...(collectionOf(described) ? { collection: `${base}/${described.pluralName}` } : {}) },
        });
        const collectionOf = (described: NormanSchema) => collections.has(described.pluralName.toLowerCase());
        if (second === undefined)
          body = {
            type: 'collection',
            resourceType: 'schema',
            links: { self: `${base}/schemas` },
            createTypes: {},
            actions: {},
            data: [...schemas.values()].map(schemaObject),
          };
        else {
          const found = [...schemas.values()].find((candidate) => candidate.id.toLowerCase() === second.toLowerCase());
          if (!found) throw notFound(`schema ${JSON.stringify(second)}`);
          body = schemaObject(found);
        }
      } else {
        const collection = collections.get(first.toLowerCase());
        if (!collection || rest.length > 0) throw notFound(urls.request.pathname);
        const resources = collection.providers.map((provider) => providerResource(provider, base));
        if (second === undefined) {
          body = {
            type: 'collection',
            resourceType: collection.schema.id,
            links: { self: `${base}/${collection.schema.pluralName}` },
            createTypes: {},
            actions: {},
            pagination: { limit: defaultLimit, total: resources.length },
            sortLinks: {},
            filters: {},
            data: resources,
          };
        } else {
          body = resources.find((resource) => resource.id === second);
          if (!body) throw notFound(`${collection.schema.id} ${JSON.stringify(second)}`);
        }
      }
      // What does not exist is 404 whatever the method; what exists is read-only.
      if (method !== 'GET') throw methodNotAllowed(method, urls.request.pathname);
      sendNorman(request, response, urls, 200, body);
    } catch (error) {
      const answer = error instanceof NormanHttpError ? error : new NormanHttpError(500, 'ServerError', 'internal server error');
      sendNorman(request, response, urls, answer.status, answer.toJSON());
    }
  };
}

/** A provider as Rancher shows it: its own type, the `authProvider` base type, the login action. */
function providerResource(provider: AuthProviderDeclaration, base: string) {
  const { id, type, loginMutation: _mutation, ...fields } = provider;
  const self = `${base}/${type}s/${id}`;
  return { ...fields, id, type, baseType: 'authProvider', creatorId: null, links: { self }, actions: { login: `${self}?action=login` } };
}

/**
 * The public schemas: `authProvider` and each provider type (fields from the
 * declarations), the login input (`basicLogin`, from the login mutation's input type)
 * and the `token` it answers (the /v3 model's).
 */
function publicSchemas(model: ApiModel, schema: GraphQLSchema): Map<string, NormanSchema> {
  const declared = authProviders[0]!;
  const { id: _id, type: _type, loginMutation, ...flags } = declared;
  const resourceFields: Record<string, NormanField> = Object.fromEntries(Object.keys(flags).map((name) => [name, { type: 'boolean', nullable: false }]));
  const readOnly = (id: string, extra: Partial<NormanSchema> = {}): NormanSchema => ({
    id,
    pluralName: `${id}s`,
    resourceMethods: ['GET'],
    collectionMethods: ['GET'],
    resourceFields,
    resourceActions: {},
    collectionActions: {},
    collectionFilters: {},
    collectionFields: {},
    ...extra,
  });
  const schemas = new Map<string, NormanSchema>([['authProvider', readOnly('authProvider')]]);
  const loginInput = schema
    .getMutationType()
    ?.getFields()
    [loginMutation]?.args.find((argument) => argument.name === 'input');
  const inputType = loginInput ? getNamedType(loginInput.type) : undefined;
  if (inputType && isInputObjectType(inputType)) schemas.set('basicLogin', standaloneInputSchema(inputType, 'basicLogin'));
  const token = model.schemas.get('token');
  if (token) schemas.set('token', { ...token, resourceMethods: [], collectionMethods: [], resourceActions: {}, collectionActions: {} });
  for (const type of new Set(authProviders.map((provider) => provider.type))) {
    schemas.set(type, readOnly(type, { collectionMethods: ['GET'], resourceActions: { login: { input: 'basicLogin', output: 'token' } } }));
  }
  return schemas;
}

/** The decoded segments of a path; undefined when a `%` starts no escape (such a path names nothing). */
function pathSegments(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
