import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../src/logger.js';
import { methodNotAllowed, NormanHttpError, normanErrorOf, notFound } from './errors.js';
import { openApiDocument } from './openapi.js';
import { documents } from './execute/documents.js';
import { typedFilter } from './execute/filter-values.js';
import type { RunOperation } from './execute/run.js';
import { actionInput, readJsonBody, replacementInput, settableInput } from './parse/body.js';
import { effectiveOperation } from './parse/operation.js';
import { parseApiPath, type ApiPath, type Scope } from './parse/path.js';
import { parseListQuery, type ListRequest } from './parse/query.js';
import type { ApiModel, NormanSchema, ResourceBinding } from './schemas/types.js';
import { normanCollection, type Connection } from './write/collection.js';
import { sendNorman } from './write/respond.js';
import { normanResource, type ResourceContext } from './write/resource.js';
import { apiRoot, normanSchemaObject, schemaCollection } from './write/schemas.js';
import { idSegment, requestUrls, type RequestUrls } from './write/urls.js';

export interface RestCompatDependencies {
  model: ApiModel;
  schema: GraphQLSchema;
  run: RunOperation;
  logger: Logger;
}

/** One /v3 request, parsed: where it goes and what it asks. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  urls: RequestUrls;
  method: string;
  action: string | undefined;
  resource: ResourceContext;
}

/**
 * The /v3 face: a generic handler driven by the API model derived from the GraphQL
 * schema. It parses the URL, query and body, runs the matching GraphQL operation
 * in process and writes the answer in Norman form. Nothing here knows any type.
 */
export function createV3Handler(dependencies: RestCompatDependencies) {
  const { model, logger } = dependencies;

  return async function handleV3(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const urls = requestUrls(request);
    // The same judgement of method and action the CSRF rule made (parse/operation.ts).
    const exchange: Exchange = {
      request,
      response,
      urls,
      ...effectiveOperation(request),
      resource: { base: urls.base, actionLinks: request.headers['x-api-action-links'] !== undefined },
    };
    try {
      const pathname = urls.request.pathname.replace(/\/{2,}/g, '/');
      if (pathname === '/v3/openapi.json') {
        const { code, body } = onlyGet(exchange.method, 'the OpenAPI document', () => openApiDocument(model, urls.base));
        return sendNorman(request, response, { ...urls, request: withJsonFormat(urls.request) }, code, body);
      }
      const path = parseApiPath(pathname, '/v3', model);
      const status = await dispatch(dependencies, exchange, path);
      if (!response.headersSent) sendNorman(request, response, urls, status.code, status.body);
    } catch (error) {
      const answer = normanErrorOf(error, logger);
      if (!response.headersSent) sendNorman(request, response, urls, answer.status, answer.toJSON(), answer.headers);
    }
  };
}

type Answer = { code: number; body: unknown };

async function dispatch(dependencies: RestCompatDependencies, exchange: Exchange, path: ApiPath): Promise<Answer> {
  const { model } = dependencies;
  const { method, urls } = exchange;
  switch (path.kind) {
    case 'root':
      return onlyGet(method, 'the API root', () => apiRoot(model, urls.base));
    case 'schemas':
      return onlyGet(method, 'schemas', () => schemaCollection(model, urls.base, path.scope));
    case 'schema': {
      const schema = model.schemas.get(path.id)!;
      return onlyGet(method, 'a schema', () => normanSchemaObject(model, schema, urls.base));
    }
    case 'collection':
      return collection(dependencies, exchange, path.schemaId, path.scope);
    case 'resource':
      return resource(dependencies, exchange, path.schemaId, path.id, path.scope);
    case 'link':
      return link(dependencies, exchange, path.schemaId, path.id, path.link);
    case 'unknown':
      throw notFound(`${urls.request.pathname} (${path.reason})`);
  }
}

/** The OpenAPI document is for tools: always JSON, even to a browser. */
function withJsonFormat(url: URL): URL {
  const json = new URL(url);
  json.searchParams.set('_format', 'json');
  return json;
}

function onlyGet(method: string, what: string, body: () => unknown): Answer {
  if (method !== 'GET') throw methodNotAllowed(method, what);
  return { code: 200, body: body() };
}

async function collection(dependencies: RestCompatDependencies, exchange: Exchange, schemaId: string, scope?: Scope): Promise<Answer> {
  const { model } = dependencies;
  const binding = model.bindings.get(schemaId)!;
  const schema = model.schemas.get(schemaId)!;
  const collectionUrl = scope
    ? `${exchange.urls.base}/v3/${model.bindings.get(scope.schemaId)!.collectionPath}/${idSegment(scope.id)}/${binding.collectionPath}`
    : `${exchange.urls.base}/v3/${binding.collectionPath}`;

  if (exchange.method === 'POST' && exchange.action) return runAction(dependencies, exchange, binding, schema, exchange.action);
  if (exchange.method === 'POST') {
    if (!binding.createMutation || !schema.collectionMethods.includes('POST')) throw methodNotAllowed('POST', `${schemaId} collection`);
    const body = await readJsonBody(exchange.request);
    if (scope) body[scope.field] = scope.id;
    const input = settableInput(schema, body, 'create', model.schemas);
    const created = await dependencies.run(exchange.request, documents.create(binding), { input });
    return { code: 201, body: normanResource(model, binding, created as Record<string, unknown>, exchange.resource) };
  }
  if (exchange.method !== 'GET') throw methodNotAllowed(exchange.method, `${schemaId} collection`);
  // A scoped list answers only for a parent the caller can see (404 otherwise, like the parent itself).
  if (scope) await dependencies.run(exchange.request, documents.get(model.bindings.get(scope.schemaId)!), { id: scope.id });

  const list = parseListQuery(exchange.urls.request.searchParams, schema, binding);
  const filter = typedFilter(dependencies.schema, binding.filterInput, list.filter);
  if (scope) filter[scope.field] = { ...filter[scope.field], eq: scope.id };
  const connection = (await dependencies.run(exchange.request, documents.list(binding), {
    ...pageArguments(list),
    ...(binding.filterInput ? { filter } : {}),
    ...(binding.sortInput && list.sort ? { sort: list.sort } : {}),
  })) as Connection;
  return {
    code: 200,
    body: normanCollection({
      model,
      binding,
      schema,
      connection,
      list,
      requestUrl: exchange.urls.request,
      collectionUrl,
      canCreate: Boolean(binding.createMutation),
      resource: exchange.resource,
    }),
  };
}

/** The connection arguments for a page: forwards from the start or a cursor, backwards before one or from the end. */
function pageArguments({ limit, position }: ListRequest): Record<string, unknown> {
  if ('after' in position) return { first: limit, after: position.after };
  if ('before' in position) return { last: limit, before: position.before };
  if ('fromEnd' in position) return { last: limit };
  return { first: limit };
}

async function resource(dependencies: RestCompatDependencies, exchange: Exchange, schemaId: string, id: string, scope?: Scope): Promise<Answer> {
  const { model } = dependencies;
  const binding = model.bindings.get(schemaId)!;
  const schema = model.schemas.get(schemaId)!;
  const run = (document: string, variables: Record<string, unknown>) => dependencies.run(exchange.request, document, variables);
  const answer = (data: unknown, code = 200): Answer => ({ code, body: normanResource(model, binding, data as Record<string, unknown>, exchange.resource) });

  const method = exchange.method === 'POST' && exchange.action === 'remove' ? 'DELETE' : exchange.method;
  if (method === 'POST' && exchange.action) return runAction(dependencies, exchange, binding, schema, exchange.action, id);

  switch (method) {
    case 'GET': {
      const found = (await run(documents.get(binding), { id })) as Record<string, unknown>;
      if (scope && found[scope.field] !== scope.id) throw notFound(`${schemaId} ${JSON.stringify(id)}`);
      return answer(found);
    }
    case 'PUT': {
      if (!binding.updateMutation) throw methodNotAllowed('PUT', schemaId);
      const body = await readJsonBody(exchange.request);
      const replace = exchange.urls.request.searchParams.get('_replace') === 'true';
      const input = replace ? replacementInput(schema, body, model.schemas) : settableInput(schema, body, 'update', model.schemas);
      return answer(await run(documents.update(binding), { id, input }));
    }
    case 'DELETE': {
      if (!binding.deleteMutation) throw methodNotAllowed('DELETE', schemaId);
      return answer(await run(documents.remove(binding), { id }));
    }
    default:
      throw methodNotAllowed(method, schemaId);
  }
}

/** `?action=<name>` on a resource or a collection: the action's mutation, its input checked against its input schema. */
async function runAction(dependencies: RestCompatDependencies, exchange: Exchange, binding: ResourceBinding, schema: NormanSchema, name: string, id?: string): Promise<Answer> {
  const { model } = dependencies;
  const action = id === undefined ? binding.collectionActions[name] : binding.resourceActions[name];
  const described = id === undefined ? schema.collectionActions[name] : schema.resourceActions[name];
  if (!action || !described) throw new NormanHttpError(404, 'ActionNotAvailable', `${schema.id} has no action ${JSON.stringify(name)}`);
  const body = await readJsonBody(exchange.request);
  const input = action.inputType ? actionInput(described.input ? model.schemas.get(described.input) : undefined, body, model.schemas) : undefined;
  const variables = { ...(id === undefined ? {} : { id }), ...(input && (action.inputRequired || Object.keys(input).length > 0) ? { input } : {}) };
  const output = await dependencies.run(exchange.request, documents.action(binding, name, action, id !== undefined), variables);
  if (action.outputIsResource) {
    const target = model.bindings.get(described.output!)!;
    return { code: 200, body: normanResource(model, target, output as Record<string, unknown>, exchange.resource) };
  }
  return { code: 200, body: output ?? {} };
}

/** A relation link: a to-one relation reads the related resource, a to-many one the child collection of this parent. */
async function link(dependencies: RestCompatDependencies, exchange: Exchange, schemaId: string, id: string, name: string): Promise<Answer> {
  const { model } = dependencies;
  const binding = model.bindings.get(schemaId)!;
  const relation = binding.links[name]!;
  if (relation.kind === 'collection') {
    return collection(dependencies, exchange, relation.target, { schemaId, id, field: relation.parentFilter });
  }
  if (exchange.method !== 'GET') throw methodNotAllowed(exchange.method, `the ${name} link`);
  const parent = (await dependencies.run(exchange.request, documents.get(binding), { id })) as Record<string, unknown>;
  const targetId = parent[relation.idField];
  if (typeof targetId !== 'string') throw notFound(`${name} of ${schemaId} ${JSON.stringify(id)}`);
  return resource(dependencies, exchange, relation.target, targetId);
}
