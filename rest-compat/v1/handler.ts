import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { ApiError, toApiError } from '../../src/errors.js';
import { sendJson } from '../../src/http/respond.js';
import type { GraphQLServer } from '../../src/graphql/yoga.js';
import type { Logger } from '../../src/logger.js';
import { documents } from '../execute/documents.js';
import type { RunOperation } from '../execute/run.js';
import { readJsonBody } from '../parse/body.js';
import type { ApiModel } from '../schemas/types.js';
import { requestUrls } from '../write/urls.js';
import { warningHeaders, writeContext } from './field-validation.js';
import { kinds as declaredKinds } from './kinds.js';
import { listFilter, type ListFilter } from './list-filter.js';
import { paginationFields } from './list-pagination.js';
import { listOnlyParameters, readListQuery, type ListQuery } from './list-query.js';
import { readChunk, readPage, type ListArguments, type ListSlice } from './list-read.js';
import { listSort } from './list-sort.js';
import { checkKindMapping, collectionSegment, getPath, inputOf, pathOf, steveType, type KindMapping, type KubernetesObject, type Resource } from './mapping.js';
import { steveObject, type ServedKind } from './served.js';
import { isWatch, watchCollection } from './watch.js';
import { statusBadRequest, statusFromApiError, statusInvalid, statusMethodNotAllowed, statusNotFound, StatusError } from './status.js';

export interface V1Dependencies {
  model: ApiModel;
  /** The in-process GraphQL runner, translating errors into Kubernetes Status objects. */
  run: RunOperation;
  /** For watches: the subscriber's context (its change streams, its rights). */
  graphql: GraphQLServer;
  logger: Logger;
  kinds?: readonly KindMapping[];
}

/** What a /v1 path names: a kind's collection (maybe one namespace of it) or one object. */
interface Target {
  served: ServedKind;
  namespace?: string;
  name?: string;
}

interface Exchange {
  request: IncomingMessage;
  base: string;
  params: URLSearchParams;
  run: (document: string, variables: Record<string, unknown>) => Promise<unknown>;
  /** The GraphQL schema this request runs against, whose input types give filter values their types. */
  schema: () => GraphQLSchema;
}

/** An answer, with the headers it carries (Kubernetes' `Warning`s of a write). */
type Answer = { code: number; body: unknown; headers?: Record<string, string> };

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: Resource }>;
}

/**
 * The Kubernetes-shaped face (Rancher's Steve API, `/v1/<group>.<resource>`): a
 * generic handler over the kinds declared in kinds.ts. Each request runs GraphQL
 * operations in process, on the same context as /graphql, and maps fields through
 * the kind's table; errors are Kubernetes Status objects.
 */
export function createV1Handler(dependencies: V1Dependencies) {
  const { logger } = dependencies;
  const served = servedKinds(dependencies.model, dependencies.kinds ?? declaredKinds);

  return async function handleV1(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const urls = requestUrls(request);
    let target: Target | undefined;
    try {
      target = parseTarget(urls.request.pathname, served);
      const exchange: Exchange = {
        request,
        base: urls.base,
        params: urls.request.searchParams,
        run: (document, variables) => dependencies.run(request, document, variables),
        schema: () => dependencies.graphql.getEnveloped({ req: request } as never).schema,
      };
      const method = (request.method ?? 'GET').toUpperCase();
      if (method === 'GET' && target.name === undefined && isWatch(exchange.params)) {
        refuseListOnlyParameters(exchange.params);
        return await watchCollection({
          request,
          response,
          served: target.served,
          namespace: target.namespace,
          base: urls.base,
          params: exchange.params,
          run: exchange.run,
          graphql: dependencies.graphql,
          logger,
          selected: watchSelectors(exchange, target.served),
        });
      }
      const answer = await dispatch(exchange, target, method);
      sendJson(response, answer.code, answer.body, answer.headers);
    } catch (error) {
      const apiError = toApiError(error);
      const known = error instanceof StatusError ? error : apiError instanceof ApiError ? statusFromApiError(apiError) : undefined;
      if (!known) logger.error({ err: error, path: urls.request.pathname }, 'unexpected error in /v1');
      const failure = known ?? new StatusError(500, 'InternalError', 'internal server error');
      if (!response.headersSent) sendJson(response, failure.code, failure.toStatus(detailsOf(failure, target)), failure.headers);
    }
  };
}

function servedKinds(model: ApiModel, kinds: readonly KindMapping[]): Map<string, ServedKind> {
  const served = new Map<string, ServedKind>();
  for (const kind of kinds) {
    const { binding, schema } = checkKindMapping(kind, model);
    const nameField = kind.fields.find((row) => row.path?.join('.') === 'metadata.name')?.field;
    if (!nameField) throw new Error(`/v1 ${collectionSegment(kind)}: no row maps metadata.name`);
    const entry = { kind, binding, schema, schemas: model.schemas, nameField };
    // Steve accepts the collection's name and the type's.
    served.set(collectionSegment(kind), entry);
    served.set(steveType(kind), entry);
  }
  return served;
}

/** `/v1/<type>`, `/v1/<type>/<namespace>`, `/v1/<type>/<namespace>/<name>`. */
function parseTarget(pathname: string, served: Map<string, ServedKind>): Target {
  let segments: string[];
  try {
    segments = pathname
      .replace(/\/{2,}/g, '/')
      .replace(/\/$/, '')
      .split('/')
      .map(decodeURIComponent);
  } catch {
    // A bad percent-escape names nothing: not found, as Kubernetes answers.
    throw statusNotFound(`the server could not find the requested resource (${pathname})`);
  }
  const [, version, type, namespace, name, ...rest] = segments;
  const kind = type ? served.get(type.toLowerCase()) : undefined;
  if (version !== 'v1' || !kind || rest.length > 0) throw statusNotFound(`the server could not find the requested resource (${pathname})`);
  return { served: kind, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
}

async function dispatch(exchange: Exchange, target: Target, method: string): Promise<Answer> {
  const { served } = target;
  const what = target.name ? `${collectionSegment(served.kind)} ${target.name}` : collectionSegment(served.kind);
  if (target.name === undefined) {
    if (method === 'GET') return list(exchange, target);
    if (method === 'POST') return create(exchange, target);
    throw statusMethodNotAllowed(method, what);
  }
  switch (method) {
    case 'GET':
      return { code: 200, body: steveObject(served, await findByName(exchange, target), exchange.base) };
    case 'PUT':
      return update(exchange, target);
    case 'DELETE': {
      const found = await findByName(exchange, target);
      const removed = (await exchange.run(documents.remove(served.binding), { id: found.id })) as Resource;
      return { code: 200, body: steveObject(served, removed, exchange.base) };
    }
    default:
      throw statusMethodNotAllowed(method, what);
  }
}

/**
 * The objects the caller may see (GraphQL's visibility), filtered and sorted as Steve's
 * `filter` and `sort` ask, a chunk (`limit`, `continue`) or a numbered page (`pagesize`,
 * `page`) at a time. Conditions and order go into the GraphQL list's own arguments, so
 * they run in SQL over exactly what the caller may see: no object outside it is read,
 * counted or hinted at.
 */
async function list(exchange: Exchange, target: Target): Promise<Answer> {
  const { served, namespace } = target;
  const self = `${exchange.base}/v1/${collectionSegment(served.kind)}${namespace ? `/${encodeURIComponent(namespace)}` : ''}`;
  const query = readListQuery(exchange.params);
  const sort = listSort(query.sort, served);
  const filtered =
    query.filters.length > 0 || query.projectsOrNamespaces || query.labelSelector || query.fieldSelector
      ? listFilter(query, served, exchange.schema())
      : undefined;
  // Read before the list: a watch from this revision misses nothing committed after it.
  const revision = (await exchange.run(documents.changeRevision(), {})) as string;
  // Every object lives in the kind's one namespace: any other is empty, as an unused namespace is.
  const matchesNone = (namespace !== undefined && namespace !== served.kind.namespace) || filtered?.matchesNone === true;
  const args: ListArguments = {
    ...(filtered && !filtered.matchesNone && served.binding.filterInput ? { filter: filtered.filter } : {}),
    ...(sort && served.binding.sortInput ? { sort } : {}),
  };
  const slice = matchesNone ? { nodes: [], ...(served.binding.listCountsTotal ? { count: 0 } : {}) } : await readSlice(exchange, served, args, query);
  return {
    code: 200,
    body: {
      type: 'collection',
      links: { self },
      createTypes: served.binding.createMutation ? { [steveType(served.kind)]: `${exchange.base}/v1/${collectionSegment(served.kind)}` } : {},
      actions: {},
      resourceType: steveType(served.kind),
      // Steve's collection revision (Kubernetes' list metadata.resourceVersion): where a watch resumes.
      revision,
      ...paginationFields(query, slice, self, exchange.params),
      data: slice.nodes.map((node) => steveObject(served, node, exchange.base)),
    },
  };
}

async function readSlice(exchange: Exchange, served: ServedKind, args: ListArguments, query: ListQuery): Promise<ListSlice> {
  if (query.page) return readPage(exchange.run, served.binding, args, query.page);
  try {
    return await readChunk(exchange.run, served.binding, args, query.limit, query.continue);
  } catch (error) {
    // The cursor came from the client's `continue`: a list that refuses it refuses that token.
    if (error instanceof StatusError && error.fieldName === 'after') {
      throw statusBadRequest('continue: not a continue token of this list (a token holds only for the sort it was given with)');
    }
    throw error;
  }
}

/** A watch streams every change of what its selectors select: parameters that select, order or page a list otherwise would be silently ignored, so they are refused. */
function refuseListOnlyParameters(params: URLSearchParams): void {
  const given = listOnlyParameters.filter((name) => params.has(name));
  if (given.length > 0)
    throw statusBadRequest(
      `${given.join(', ')}: not supported with watch=true (a watch sends every change of the objects its labelSelector and fieldSelector select)`,
    );
}

/**
 * A watch's `labelSelector` and `fieldSelector`, read and checked by the list's own code
 * (so a bad one is the list's 400): the initial list's filter and the conditions each event
 * is judged by. Undefined when it has neither.
 */
function watchSelectors(exchange: Exchange, served: ServedKind): ListFilter | undefined {
  const query = readListQuery(exchange.params);
  return query.labelSelector || query.fieldSelector ? listFilter(query, served, exchange.schema()) : undefined;
}

async function create(exchange: Exchange, target: Target): Promise<Answer> {
  const { served } = target;
  if (!served.binding.createMutation) throw statusMethodNotAllowed('POST', collectionSegment(served.kind));
  const object = await readJsonBody(exchange.request);
  checkIdentity(served.kind, object, target.namespace);
  const context = writeContext(exchange.params, 'create');
  const input = inputOf(served.kind, served.schema, object, 'create', context, served.schemas);
  const created = (await exchange.run(documents.create(served.binding), { input })) as Resource;
  return { code: 201, body: steveObject(served, created, exchange.base), headers: warningHeaders(context.warnings) };
}

/**
 * PUT sends the whole object; the fields it carries replace the stored ones. Fields it
 * leaves out keep their values (a merge, not Kubernetes' replacement). With
 * `metadata.resourceVersion` the write is conditional, as in Kubernetes: if the object
 * changed since that version, 409 Conflict and nothing is written. Without one, the
 * write is unconditional (Kubernetes allows that for most kinds).
 */
async function update(exchange: Exchange, target: Target): Promise<Answer> {
  const { served } = target;
  if (!served.binding.updateMutation) throw statusMethodNotAllowed('PUT', collectionSegment(served.kind));
  const object = await readJsonBody(exchange.request);
  checkIdentity(served.kind, object, target.namespace, target.name);
  const version = resourceVersionOf(object);
  const found = await findByName(exchange, target);
  const context = writeContext(exchange.params, 'update');
  const input = inputOf(served.kind, served.schema, object, 'update', context, served.schemas);
  try {
    const updated = (await exchange.run(version === undefined ? documents.update(served.binding) : documents.updateIfVersion(served.binding), {
      id: found.id,
      input,
      ...(version === undefined ? {} : { ifResourceVersion: version }),
    })) as Resource;
    return { code: 200, body: steveObject(served, updated, exchange.base), headers: warningHeaders(context.warnings) };
  } catch (error) {
    if (error instanceof StatusError && error.code === 409 && error.reason === 'Conflict') {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${served.kind.resource}.${served.kind.group} ${JSON.stringify(target.name)}: the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    throw error;
  }
}

/** `metadata.resourceVersion` of a written object: absent, or a revision (digits, as this server hands them out). */
function resourceVersionOf(object: KubernetesObject): string | undefined {
  const version = getPath(object, ['metadata', 'resourceVersion']);
  if (version === undefined || version === null || version === '') return undefined;
  if (typeof version !== 'string' || !/^\d{1,19}$/.test(version))
    throw statusInvalid(
      'resourceVersion',
      `metadata.resourceVersion: Invalid value: ${JSON.stringify(version)}: must be a resourceVersion this server returned`,
    );
  return version;
}

/** One object by namespace and name, through the list query's name filter (GraphQL reads resources by id). */
async function findByName(exchange: Exchange, target: Target): Promise<Resource> {
  const { served, namespace, name } = target;
  const notFound = () => statusNotFound(`${collectionSegment(served.kind)} ${JSON.stringify(name)} not found`);
  if (namespace !== served.kind.namespace || !served.binding.filterInput) throw notFound();
  const connection = (await exchange.run(documents.list(served.binding), { first: 1, filter: { [served.nameField]: { eq: name } } })) as Connection;
  const found = connection.edges[0]?.node;
  if (!found) throw notFound();
  return found;
}

/** The body must be the kind the URL names, in the namespace (and with the name) the URL names, when it says. */
function checkIdentity(kind: KindMapping, object: KubernetesObject, namespace: string | undefined, name?: string): void {
  const apiVersion = object.apiVersion;
  if (apiVersion !== undefined && apiVersion !== `${kind.group}/${kind.version}`)
    throw statusBadRequest(`apiVersion ${JSON.stringify(apiVersion)} does not match ${kind.group}/${kind.version}`);
  if (object.kind !== undefined && object.kind !== kind.kind) throw statusBadRequest(`kind ${JSON.stringify(object.kind)} does not match ${kind.kind}`);
  const bodyNamespace = getPath(object, ['metadata', 'namespace']);
  if (namespace !== undefined && bodyNamespace !== undefined && bodyNamespace !== namespace) {
    throw statusBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const effective = bodyNamespace ?? namespace ?? kind.namespace;
  if (effective !== kind.namespace)
    throw statusNotFound(`namespaces ${JSON.stringify(effective)} not found: ${collectionSegment(kind)} live in ${kind.namespace}`);
  const bodyName = getPath(object, ['metadata', 'name']);
  if (name !== undefined && bodyName !== undefined && bodyName !== name) {
    throw statusBadRequest(`the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`);
  }
}

/** Status `details`: the object at fault and, for one field, its path in the object. */
function detailsOf(error: StatusError, target: Target | undefined) {
  if (!target) return undefined;
  const kind = target.served.kind;
  return {
    ...(target.name ? { name: target.name } : {}),
    group: kind.group,
    kind: kind.resource,
    ...(error.fieldName
      ? { causes: [{ field: pathOf(kind, error.fieldName), reason: error.reason === 'Invalid' ? 'FieldValueInvalid' : error.reason, message: error.message }] }
      : {}),
  };
}
