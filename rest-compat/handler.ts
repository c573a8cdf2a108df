import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../src/logger.js';
import { methodNotAllowed, NormanHttpError, normanErrorOf, normanErrorTable, notFound } from './errors.js';
import { clusterContextOf } from './cluster-context.js';
import { openApiDocument } from './openapi.js';
import { documents } from './execute/documents.js';
import { typedFilter } from './execute/filter-values.js';
import type { RunOperation } from './execute/run.js';
import { actionInput, readJsonBody, replacementInput, settableInput } from './parse/body.js';
import { effectiveOperation } from './parse/operation.js';
import { parseApiPath, type ApiPath, type Scope } from './parse/path.js';
import { parseListQuery, type ListRequest } from './parse/query.js';
import type { ActionBinding, ApiModel, ResourceBinding } from './schemas/types.js';
import { normanCollection, type Connection } from './write/collection.js';
import { fixedDocuments, type EncodedDocument } from './write/fixed-documents.js';
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
  const fixed = fixedDocuments();

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
      // The root, the schemas and the OpenAPI document depend on nothing but this address.
      const fixedHere: FixedHere = (make) => fixed(`${urls.base}${pathname}`, make);
      if (pathname === '/v3/openapi.json') {
        const { code, body } = onlyGet(exchange.method, 'the OpenAPI document', () => fixedHere(() => openApiDocument(model, urls.base)));
        return sendNorman(request, response, { ...urls, request: withJsonFormat(urls.request), self: withJsonFormat(urls.self) }, code, body);
      }
      const path = parseApiPath(pathname, '/v3', model);
      const status = await dispatch(dependencies, exchange, path, fixedHere);
      if (!response.headersSent) sendNorman(request, response, urls, status.code, status.body);
    } catch (error) {
      const answer = normanErrorOf(error, logger);
      if (!response.headersSent) sendNorman(request, response, urls, answer.status, answer.toJSON(), answer.headers);
    }
  };
}

type Answer = { code: number; body: unknown };

/** This request's address's document, encoded once (write/fixed-documents.ts). */
type FixedHere = (make: () => unknown) => EncodedDocument;

async function dispatch(dependencies: RestCompatDependencies, exchange: Exchange, path: ApiPath, fixedHere: FixedHere): Promise<Answer> {
  const { model } = dependencies;
  const { method, urls } = exchange;
  switch (path.kind) {
    case 'root':
      return onlyGet(method, 'the API root', () => fixedHere(() => apiRoot(model, urls.base)));
    case 'schemas':
      return onlyGet(method, 'schemas', () => fixedHere(() => schemaCollection(model, urls.base, path.scope)));
    case 'schema': {
      const schema = model.schemas.get(path.id)!;
      return onlyGet(method, 'a schema', () => fixedHere(() => normanSchemaObject(model, schema, urls.base)));
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
  const collectionUrl = scope ? scopedCollectionUrl(model, exchange.urls.base, binding, scope) : `${exchange.urls.base}/v3/${binding.collectionPath}`;
  const readParent = scope ? once(() => readScope(dependencies, exchange, scope)) : undefined;
  const context = await inClusterContext(exchange, binding, scope, readParent, collectionUrl);

  if (exchange.method === 'POST' && exchange.action) return runAction(dependencies, context, binding, exchange.action);
  if (exchange.method === 'POST') {
    if (!binding.createMutation || !schema.collectionMethods.includes('POST')) throw methodNotAllowed('POST', `${schemaId} collection`);
    const body = await readJsonBody(exchange.request);
    if (scope) body[scope.field] = scope.id;
    context.resource.cluster?.bodyIn(binding, body);
    const input = settableInput(schema, body, 'create', model.schemas);
    const created = await dependencies.run(exchange.request, documents.create(binding), { input });
    return { code: 201, body: normanResource(model, binding, created as Record<string, unknown>, context.resource) };
  }
  if (exchange.method !== 'GET') throw methodNotAllowed(exchange.method, `${schemaId} collection`);
  // A scoped list answers only for a parent the caller can see (404 otherwise, like the parent itself).
  await readParent?.();

  const list = parseListQuery(exchange.urls.request.searchParams, schema, binding);
  const filter = typedFilter(dependencies.schema, binding.filterInput, list.filter);
  context.resource.cluster?.filterIn(binding, filter);
  if (scope) filter[scope.field] = { ...filter[scope.field], eq: scope.id };
  const connection = (await dependencies
    .run(exchange.request, documents.list(binding), {
      ...pageArguments(list),
      ...(binding.filterInput ? { filter } : {}),
      ...(binding.sortInput && list.sort ? { sort: list.sort } : {}),
    })
    .catch((error: unknown) => {
      throw asMarkerError(error);
    })) as Connection;
  return {
    code: 200,
    body: normanCollection({
      model,
      binding,
      schema,
      connection,
      list,
      requestUrl: exchange.urls.self,
      collectionUrl,
      // Norman lists createTypes only to a caller who may create.
      canCreate: Boolean(binding.createMutation) && connection.canCreate !== false,
      resource: context.resource,
    }),
  };
}

/** `/v3/<parents>/<parentId>/<children>`: the collection as its scope names it. */
function scopedCollectionUrl(model: ApiModel, base: string, binding: ResourceBinding, scope: Scope): string {
  return `${base}/v3/${model.bindings.get(scope.schemaId)!.collectionPath}/${idSegment(scope.id)}/${binding.collectionPath}`;
}

/** The parent a scoped request names, as the caller may see it (NOT_FOUND otherwise). */
async function readScope(dependencies: RestCompatDependencies, exchange: Exchange, scope: Scope): Promise<Record<string, unknown>> {
  return (await dependencies.run(exchange.request, documents.get(dependencies.model.bindings.get(scope.schemaId)!), { id: scope.id })) as Record<
    string,
    unknown
  >;
}

/**
 * The exchange as seen in its cluster's context (cluster-context.ts): where the scope
 * makes cluster-local ids unique, they are read in either form and written in Rancher's,
 * and resources link to themselves under the scope, where their ids mean what they say.
 */
async function inClusterContext(
  exchange: Exchange,
  binding: ResourceBinding,
  scope: Scope | undefined,
  readParent: (() => Promise<Record<string, unknown>>) | undefined,
  collectionUrl: string,
): Promise<Exchange> {
  const cluster = scope && readParent ? await clusterContextOf(binding, scope, readParent) : undefined;
  if (!cluster) return exchange;
  return { ...exchange, resource: { ...exchange.resource, cluster, contextCollection: { schemaId: binding.schemaId, url: collectionUrl } } };
}

function once<T>(read: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= read());
}

/** The connection arguments for a page: forwards from the start or a cursor, backwards before one or from the end. */
function pageArguments({ limit, position }: ListRequest): Record<string, unknown> {
  if ('after' in position) return { first: limit, after: position.after };
  if ('before' in position) return { last: limit, before: position.before };
  if ('fromEnd' in position) return { last: limit };
  return { first: limit };
}

/**
 * The page's `after`/`before` came from the client's `marker`: a cursor the list
 * refuses is that marker's fault, and the error names the parameter the client sent.
 */
function asMarkerError(error: unknown): unknown {
  if (!(error instanceof NormanHttpError) || (error.fieldName !== 'after' && error.fieldName !== 'before')) return error;
  return new NormanHttpError(error.status, error.code, 'marker: not a marker of this collection', 'marker', error.headers);
}

async function resource(dependencies: RestCompatDependencies, outside: Exchange, schemaId: string, givenId: string, scope?: Scope): Promise<Answer> {
  const { model } = dependencies;
  const binding = model.bindings.get(schemaId)!;
  const schema = model.schemas.get(schemaId)!;
  const exchange = scope
    ? await inClusterContext(
        outside,
        binding,
        scope,
        () => readScope(dependencies, outside, scope),
        scopedCollectionUrl(model, outside.urls.base, binding, scope),
      )
    : outside;
  const id = exchange.resource.cluster?.idIn(binding, givenId) ?? givenId;
  const run = (document: string, variables: Record<string, unknown>) => dependencies.run(exchange.request, document, variables);
  const answer = (data: unknown, code = 200): Answer => ({ code, body: normanResource(model, binding, data as Record<string, unknown>, exchange.resource) });

  const method = exchange.method === 'POST' && exchange.action === 'remove' ? 'DELETE' : exchange.method;
  if (method === 'POST' && exchange.action) return runAction(dependencies, exchange, binding, exchange.action, id);

  switch (method) {
    case 'GET': {
      const found = (await run(documents.get(binding), { id })) as Record<string, unknown>;
      if (scope && found[scope.field] !== scope.id) throw notFound(`${schemaId} ${JSON.stringify(givenId)}`);
      return answer(found);
    }
    case 'PUT': {
      if (!binding.updateMutation) throw methodNotAllowed('PUT', schemaId);
      const body = await readJsonBody(exchange.request);
      exchange.resource.cluster?.bodyIn(binding, body);
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
async function runAction(dependencies: RestCompatDependencies, exchange: Exchange, binding: ResourceBinding, name: string, id?: string): Promise<Answer> {
  const { model } = dependencies;
  const action = actionNamed(binding, name, id !== undefined);
  // Norman's ValidateAction: a name the schema does not have is the request's fault.
  if (!action) throw new NormanHttpError(422, 'InvalidAction', `Invalid action: ${name}`);
  const body = await readJsonBody(exchange.request);
  const input = action.inputType ? actionInput(action.described.input ? model.schemas.get(action.described.input) : undefined, body, model.schemas) : undefined;
  const variables = { ...(id === undefined ? {} : { id }), ...(input && (action.inputRequired || Object.keys(input).length > 0) ? { input } : {}) };
  const output = await dependencies.run(exchange.request, documents.action(binding, action, id !== undefined), variables).catch((error: unknown) => {
    throw id !== undefined ? asUnavailableAction(error) : error;
  });
  if (action.outputIsResource) {
    const target = model.bindings.get(action.described.output!)!;
    return { code: 200, body: normanResource(model, target, output as Record<string, unknown>, exchange.resource) };
  }
  return { code: 200, body: output ?? {} };
}

/**
 * Norman refuses an action the resource does not list in its `actions` (the pause of
 * a paused deployment) with 422 InvalidAction before running anything. This server
 * lists what a resource's state allows and the mutation refuses the rest with
 * INVALID_STATE: the same refusal, so it answers with Norman's code (and the
 * mutation's message, which says why).
 */
function asUnavailableAction(error: unknown): unknown {
  if (!(error instanceof NormanHttpError) || error.code !== normanErrorTable.INVALID_STATE.code) return error;
  return new NormanHttpError(422, 'InvalidAction', error.message, error.fieldName, error.headers);
}

/**
 * The action a name runs, on a resource or on the collection: a listed name or an
 * unlisted one (schemas/types.ts), matched exactly, as Norman does. Only the binding's
 * own names: `toString` or `__proto__` is no action.
 */
function actionNamed(binding: ResourceBinding, name: string, onResource: boolean): ActionBinding | undefined {
  const listed = onResource ? binding.resourceActions : binding.collectionActions;
  const unlisted = onResource ? binding.unlistedActions.resource : binding.unlistedActions.collection;
  if (Object.hasOwn(listed, name)) return listed[name];
  return Object.hasOwn(unlisted, name) ? unlisted[name] : undefined;
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
