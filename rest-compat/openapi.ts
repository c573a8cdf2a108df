import { defaultLimit, maximumLimit } from './parse/query.js';
import type { ApiModel, NormanField, NormanSchema, ResourceBinding } from './schemas/types.js';

/**
 * An OpenAPI 3.1 description of the /v3 face, generated from the same Norman schemas
 * the face serves, so it cannot drift from it: every collection and resource path
 * with the methods its schema lists, the filters and their modifiers as query
 * parameters, actions as the `action` parameter, and Norman's error object.
 */
type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;
type PathItem = Record<string, unknown>;

export function openApiDocument(model: ApiModel, serverUrl: string): Record<string, unknown> {
  const paths: Record<string, PathItem> = {};
  for (const binding of model.bindings.values()) {
    const schema = model.schemas.get(binding.schemaId)!;
    paths[`/v3/${binding.collectionPath}`] = collectionOperations(binding, schema);
    paths[`/v3/${binding.collectionPath}/{id}`] = resourceOperations(binding, schema);
  }
  const components: Record<string, JsonSchema> = { NormanError: normanErrorSchema };
  for (const schema of model.schemas.values()) {
    components[schema.id] = objectSchema(schema, model, 'output');
    if (model.bindings.get(schema.id)?.createMutation) components[`${schema.id}Create`] = objectSchema(schema, model, 'create');
    if (model.bindings.get(schema.id)?.updateMutation) components[`${schema.id}Update`] = objectSchema(schema, model, 'update');
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Management API (/v3, Rancher compatible)',
      version: '3',
      description: 'Generated from the GraphQL schema; see /v3/schemas for the Norman description.',
    },
    servers: [{ url: serverUrl }],
    security: [{ basic: [] }, { bearer: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'access key (token-xxxxx) and secret key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'token-xxxxx:secret' },
      },
      responses: {
        Error: { description: 'A Norman error', content: { 'application/json': { schema: ref('NormanError') } } },
      },
    },
  };
}

function collectionOperations(binding: ResourceBinding, schema: NormanSchema): Record<string, Operation> {
  const operations: Record<string, Operation> = {
    get: {
      operationId: `list_${binding.schemaId}`,
      summary: `List ${schema.pluralName}`,
      tags: [binding.schemaId],
      parameters: [...pageParameters(binding), ...filterParameters(schema)],
      responses: { '200': jsonResponse('A page of the collection', collectionSchema(binding.schemaId)), default: errorResponse },
    },
  };
  if (schema.collectionMethods.includes('POST')) {
    operations.post = {
      operationId: `create_${binding.schemaId}`,
      summary: `Create a ${binding.schemaId}`,
      tags: [binding.schemaId],
      requestBody: { required: true, content: { 'application/json': { schema: ref(`${binding.schemaId}Create`) } } },
      responses: { '201': jsonResponse('Created', ref(binding.schemaId)), default: errorResponse },
    };
  }
  return operations;
}

function resourceOperations(binding: ResourceBinding, schema: NormanSchema): PathItem {
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Rancher id; `:` may appear unencoded' };
  const operations: PathItem = {
    parameters: [idParameter],
    get: {
      operationId: `get_${binding.schemaId}`,
      tags: [binding.schemaId],
      responses: { '200': jsonResponse('The resource', ref(binding.schemaId)), default: errorResponse },
    },
  };
  if (schema.resourceMethods.includes('PUT')) {
    operations.put = {
      operationId: `update_${binding.schemaId}`,
      tags: [binding.schemaId],
      requestBody: { required: true, content: { 'application/json': { schema: ref(`${binding.schemaId}Update`) } } },
      responses: { '200': jsonResponse('Updated', ref(binding.schemaId)), default: errorResponse },
    };
  }
  if (schema.resourceMethods.includes('DELETE')) {
    operations.delete = {
      operationId: `delete_${binding.schemaId}`,
      tags: [binding.schemaId],
      responses: { '200': jsonResponse('Deleted', ref(binding.schemaId)), default: errorResponse },
    };
  }
  const actions = Object.keys(schema.resourceActions);
  operations.post = {
    operationId: `action_${binding.schemaId}`,
    summary: actions.length ? `Run an action (${actions.join(', ')}) or remove` : 'Remove (action=remove)',
    tags: [binding.schemaId],
    parameters: [
      {
        name: 'action',
        in: 'query',
        required: true,
        schema: { type: 'string', enum: [...actions, ...(schema.resourceMethods.includes('DELETE') ? ['remove'] : [])] },
      },
    ],
    requestBody: { required: false, content: { 'application/json': { schema: { type: 'object' } } } },
    responses: { '200': jsonResponse('The action’s output, or the resource', { type: 'object' }), default: errorResponse },
  };
  return operations;
}

function pageParameters(binding: ResourceBinding): Operation[] {
  return [
    {
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', minimum: -1, maximum: maximumLimit, default: defaultLimit },
      description: '-1: the largest page, as Norman reads it',
    },
    { name: 'marker', in: 'query', schema: { type: 'string' }, description: 'opaque; from pagination.next' },
    ...(binding.sortFields.length ? [{ name: 'sort', in: 'query', schema: { type: 'string', enum: binding.sortFields } }] : []),
    { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
  ];
}

function filterParameters(schema: NormanSchema): Operation[] {
  return Object.entries(schema.collectionFilters).flatMap(([field, { modifiers }]) =>
    modifiers.map((modifier) => ({
      name: modifier === 'eq' ? field : `${field}_${modifier}`,
      in: 'query',
      required: false,
      ...(modifier === 'in' || modifier === 'notin'
        ? { schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true }
        : { schema: { type: 'string' } }),
    })),
  );
}

function objectSchema(schema: NormanSchema, model: ApiModel, mode: 'output' | 'create' | 'update'): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(schema.resourceFields)) {
    if (mode === 'output' && field.writeOnly) continue;
    if (mode !== 'output' && !field[mode]) continue;
    properties[name] = fieldSchema(field, model);
    if (mode === 'create' && field.required) required.push(name);
  }
  if (mode === 'output' && model.bindings.has(schema.id)) {
    Object.assign(properties, {
      id: { type: 'string' },
      type: { type: 'string' },
      baseType: { type: 'string' },
      links: { type: 'object', additionalProperties: { type: 'string', format: 'uri' } },
      actions: { type: 'object', additionalProperties: { type: 'string', format: 'uri' } },
    });
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...(schema.description ? { description: schema.description } : {}) };
}

function fieldSchema(field: NormanField, model: ApiModel): JsonSchema {
  const base = typeSchema(field.type, field, model);
  const nullable = field.nullable && !base.$ref ? { type: [base.type, 'null'].flat().filter(Boolean) } : {};
  return {
    ...base,
    ...nullable,
    ...(field.description ? { description: field.description } : {}),
    ...(field.default !== undefined ? { default: field.default } : {}),
    ...(field.writeOnly ? { writeOnly: true } : {}),
  };
}

function typeSchema(type: string, field: NormanField, model: ApiModel): JsonSchema {
  const inner = /^(array|map|reference)\[(.*)\]$/.exec(type);
  if (inner?.[1] === 'array') return { type: 'array', items: typeSchema(inner[2]!, {} as NormanField, model) };
  if (inner?.[1] === 'map') return { type: 'object', additionalProperties: typeSchema(inner[2]!, {} as NormanField, model) };
  if (inner?.[1] === 'reference') return { type: 'string', description: `id of a ${inner[2]}` };
  switch (type) {
    case 'string':
    case 'password':
      return {
        type: 'string',
        ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
        ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
      };
    case 'int':
      return { type: 'integer', ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}) };
    case 'float':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: field.options ?? [] };
    case 'json':
      return {};
    case 'intOrString':
      return { oneOf: [{ type: 'integer' }, { type: 'string' }] };
    default:
      return model.schemas.has(type) ? ref(type) : {};
  }
}

function collectionSchema(schemaId: string): JsonSchema {
  return {
    type: 'object',
    properties: {
      type: { const: 'collection' },
      resourceType: { type: 'string' },
      links: { type: 'object' },
      createTypes: { type: 'object' },
      actions: { type: 'object' },
      pagination: {
        type: 'object',
        properties: { limit: { type: 'integer' }, total: { type: 'integer' }, partial: { type: 'boolean' }, next: { type: 'string', format: 'uri' } },
      },
      sort: { type: 'object' },
      sortLinks: { type: 'object' },
      filters: { type: 'object' },
      data: { type: 'array', items: ref(schemaId) },
    },
  };
}

const normanErrorSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'status', 'code', 'message'],
  properties: {
    type: { const: 'error' },
    baseType: { const: 'error' },
    status: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    fieldName: { type: 'string' },
  },
};

const errorResponse = { $ref: '#/components/responses/Error' };

function jsonResponse(description: string, schema: JsonSchema): Operation {
  return { description, content: { 'application/json': { schema } } };
}

function ref(id: string): JsonSchema {
  return { $ref: `#/components/schemas/${id}` };
}
