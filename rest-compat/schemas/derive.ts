import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { rancherOptions } from '../execute/enum-values.js';
import { fieldLimits } from './limits.js';
import type { ActionBinding, ApiModel, ClusterLocalIdRule, LinkBinding, NormanField, NormanSchema, ResourceBinding } from './types.js';

/**
 * Derives the whole /v3 API from the GraphQL schema, by convention:
 *
 * - a RESOURCE type is an object type with a `<type>(id: ID!)` query and a
 *   `<types>` connection query; its schema id is the type name in lowerCamel case and
 *   its collection path the list query's name in lower case;
 * - `create<Type>(input)`, `update<Type>(id, input)` and `delete<Type>(id)` give the
 *   POST, PUT and DELETE methods, their input types the `create`/`update` flags;
 * - any other mutation named `<verb><Type><Rest>` is the action `<verb><Rest>` (or
 *   the name it declares): a resource action when it requires `id`, a collection
 *   action otherwise (deprecated aliases are left out; see `findActions`);
 * - fields present in an input but absent from the output type are write-only
 *   secrets (`password`);
 * - a to-one relation field becomes a link to that resource, a connection field a
 *   link to the child collection filtered by `<type>Id`;
 * - `<name>Id` fields of type ID naming another resource type are references;
 * - the list query's `filter` input lists the filterable fields, each with the
 *   modifiers its operator input offers; its `sort` input the sortable ones;
 * - optional fields `availableActions`, `canUpdate`, `canRemove` tell what the caller
 *   may do with one resource, and are not shown as fields; the list connection's
 *   optional `canCreate`, whether the caller may create one (`createTypes`).
 *
 * What a name cannot say is read from `extensions` on the GraphQL types and fields.
 */
export function deriveApiModel(schema: GraphQLSchema): ApiModel {
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  const mutationFields = schema.getMutationType()?.getFields() ?? {};
  const model: ApiModel = { schemas: new Map(), bindings: new Map(), aliases: new Map() };

  const resourceTypes = findResourceTypes(schema, queryFields);
  const schemaIdOfType = new Map([...resourceTypes.keys()].map((name) => [name, lowerFirst(name)]));
  const embedded = new EmbeddedSchemas(model, schemaIdOfType);

  for (const [typeName, queries] of resourceTypes) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    const schemaId = lowerFirst(typeName);
    const create = mutationFields[`create${typeName}`];
    const update = mutationFields[`update${typeName}`];
    const remove = mutationFields[`delete${typeName}`];
    const createInput = inputTypeOf(create?.args.find((argument) => argument.name === 'input'));
    const updateInput = inputTypeOf(update?.args.find((argument) => argument.name === 'input'));
    const listQuery = queryFields[queries.list]!;
    const filterInput = inputTypeOf(listQuery.args.find((argument) => argument.name === 'filter'));
    const sortInput = inputTypeOf(listQuery.args.find((argument) => argument.name === 'sort'));

    const clusterLocalId = clusterLocalIdOf(type);
    // In /v3 the id itself is Rancher's form wherever a context makes it unique.
    const hidden = new Set(clusterLocalId ? ['rancherId'] : []);
    const resourceFields: Record<string, NormanField> = {};
    const links: Record<string, LinkBinding> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.name === 'id' || permissionFieldNames.has(field.name) || hidden.has(field.name)) continue;
      const link = linkFor(field, type, schemaIdOfType);
      if (link) {
        links[field.name] = link;
        continue;
      }
      resourceFields[field.name] = outputField(field, schemaIdOfType, embedded);
    }
    applyInputFlags(resourceFields, createInput, 'create', embedded);
    applyInputFlags(resourceFields, updateInput, 'update', embedded);

    const actions = findActions(mutationFields, typeName, [...schemaIdOfType.keys()], (mutation, outputIsResource) => ({
      ...(mutation.input ? { input: embedded.inputSchema(getNamedType(mutation.input.type) as GraphQLInputObjectType) } : {}),
      output: outputIsResource ? lowerFirst(getNamedType(mutation.type).name) : embedded.outputSchema(getNamedType(mutation.type)),
    }));
    const normanSchema: NormanSchema = {
      id: schemaId,
      pluralName: queries.list,
      resourceMethods: ['GET', ...(update ? ['PUT'] : []), ...(remove ? ['DELETE'] : [])],
      collectionMethods: ['GET', ...(create ? ['POST'] : [])],
      resourceFields,
      resourceActions: mapValues(actions.resource, (action) => action.described),
      collectionActions: mapValues(actions.collection, (action) => action.described),
      collectionFilters: filtersOf(filterInput),
      collectionFields: {},
      ...(type.description ? { description: type.description } : {}),
    };
    const binding: ResourceBinding = {
      typeName,
      schemaId,
      collectionPath: queries.list.toLowerCase(),
      getQuery: queries.get,
      listQuery: queries.list,
      listCountsTotal: 'totalCount' in listFields(listQuery),
      ...(create ? { createMutation: create.name } : {}),
      ...(update ? { updateMutation: update.name } : {}),
      ...(remove ? { deleteMutation: remove.name } : {}),
      ...(createInput ? { createInput: createInput.name } : {}),
      ...(updateInput ? { updateInput: updateInput.name } : {}),
      resourceActions: actions.resource,
      collectionActions: actions.collection,
      unlistedActions: actions.unlisted,
      ...(filterInput ? { filterInput: filterInput.name } : {}),
      ...(sortInput ? { sortInput: sortInput.name } : {}),
      sortFields: sortFieldsOf(sortInput),
      selection: selectionFor(type, new Set([...Object.keys(links), ...hidden]), embedded),
      ...(clusterLocalId ? { clusterLocalId } : {}),
      localReferences: {},
      links,
      permissionFields: {
        availableActions: 'availableActions' in type.getFields(),
        canUpdate: 'canUpdate' in type.getFields(),
        canRemove: 'canRemove' in type.getFields(),
        canCreate: 'canCreate' in listFields(listQuery),
      },
    };
    model.schemas.set(schemaId, normanSchema);
    model.bindings.set(schemaId, binding);
  }

  // References to a type with cluster-local ids are read and written in its form too,
  // and so are the fields that declare such references (in lists, in nested objects).
  for (const binding of model.bindings.values()) {
    for (const [name, field] of Object.entries(model.schemas.get(binding.schemaId)!.resourceFields)) {
      const rule = /^reference\[(\w+)\]$/.exec(field.type)?.[1];
      const target = rule ? model.bindings.get(rule)?.clusterLocalId : undefined;
      if (target) binding.localReferences[name] = target;
    }
    Object.assign(binding.localReferences, declaredLocalReferences(schema.getType(binding.typeName) as GraphQLObjectType, schemaIdOfType));
  }

  // Actions select what they return: the whole resource, or their output object.
  for (const binding of model.bindings.values()) {
    for (const action of everyAction(binding)) {
      action.selection = action.outputIsResource
        ? model.bindings.get(lowerFirst(action.outputType))!.selection
        : embedded.selection(schema.getType(action.outputType) ?? undefined!);
    }
  }

  for (const [id, normanSchema] of model.schemas) {
    model.aliases.set(id.toLowerCase(), id);
    model.aliases.set(normanSchema.pluralName.toLowerCase(), id);
  }
  return model;
}

/**
 * The Norman schema of one input type on its own (with the embedded schemas it
 * refers to), for a route outside the resource model that still checks its body the
 * way Norman does: the public login's `LoginInput`.
 */
export function deriveInputSchema(schema: GraphQLSchema, typeName: string): { schema: NormanSchema; schemas: Map<string, NormanSchema> } {
  const type = schema.getType(typeName);
  if (!type || !isInputObjectType(type)) throw new Error(`${typeName} is not an input type of the schema`);
  const model: ApiModel = { schemas: new Map(), bindings: new Map(), aliases: new Map() };
  const id = new EmbeddedSchemas(model, new Map()).inputSchema(type);
  return { schema: model.schemas.get(id)!, schemas: model.schemas };
}

/** The type's `extensions.clusterLocalId` (declared through the resource factory), if it is well formed. */
function clusterLocalIdOf(type: { extensions: unknown }): ClusterLocalIdRule | undefined {
  const rule = (type.extensions as { clusterLocalId?: Partial<ClusterLocalIdRule> }).clusterLocalId;
  return typeof rule?.segments === 'number' && typeof rule.within === 'string' ? { segments: rule.segments, within: rule.within } : undefined;
}

/**
 * Fields that declare they hold cluster-local references (`extensions.clusterLocalId` on
 * the field: a list such as `targetWorkloadIds`, or fields of nested objects such as an
 * ingress path's `serviceId`), by their path through nested objects and lists
 * (`rules.paths.serviceId`). Resources reached by a field are links, not nested: their
 * fields are not followed.
 */
function declaredLocalReferences(
  type: GraphQLObjectType,
  resourceTypes: Map<string, string>,
  prefix = '',
  seen: ReadonlySet<string> = new Set(),
): Record<string, ClusterLocalIdRule> {
  const found: Record<string, ClusterLocalIdRule> = {};
  for (const field of Object.values(type.getFields())) {
    const rule = clusterLocalIdOf(field);
    const named = getNamedType(field.type);
    if (rule) found[prefix + field.name] = rule;
    else if (isObjectType(named) && !resourceTypes.has(named.name) && !connectionNodeType(named) && !seen.has(named.name)) {
      Object.assign(found, declaredLocalReferences(named, resourceTypes, `${prefix}${field.name}.`, new Set([...seen, type.name])));
    }
  }
  return found;
}

const permissionFieldNames = new Set(['availableActions', 'canUpdate', 'canRemove']);

/** The fields of a list query's connection type (`totalCount`, `canCreate`, …). */
function listFields(listQuery: GraphQLField<unknown, unknown>) {
  return (getNamedType(listQuery.type) as GraphQLObjectType).getFields();
}

/** Object types that have both a by-id query and a connection query, by type name. */
function findResourceTypes(schema: GraphQLSchema, queryFields: Record<string, GraphQLField<unknown, unknown>>) {
  const byId = new Map<string, string>();
  const lists = new Map<string, string>();
  for (const field of Object.values(queryFields)) {
    const returned = getNamedType(field.type);
    const idArgument = field.args.find((argument) => argument.name === 'id');
    if (isObjectType(returned) && idArgument && field.args.length === 1 && !isListType(getNullableType(field.type))) {
      if (returned.getInterfaces().some((face) => face.name === 'Node')) byId.set(returned.name, field.name);
    }
    const node = connectionNodeType(returned);
    if (node && !lists.has(node.name)) lists.set(node.name, field.name);
  }
  const resources = new Map<string, { get: string; list: string }>();
  for (const [typeName, get] of byId) {
    const list = lists.get(typeName);
    if (list && schema.getType(typeName)) resources.set(typeName, { get, list });
  }
  return resources;
}

/** The node type of a Relay connection type (`edges { node }`), if it is one. */
function connectionNodeType(type: GraphQLNamedType): GraphQLObjectType | undefined {
  if (!isObjectType(type)) return undefined;
  const edges = type.getFields().edges;
  if (!edges || !type.getFields().pageInfo) return undefined;
  const edge = getNamedType(edges.type);
  const node = isObjectType(edge) ? edge.getFields().node : undefined;
  const nodeType = node ? getNamedType(node.type) : undefined;
  return nodeType && isObjectType(nodeType) ? nodeType : undefined;
}

function linkFor(field: GraphQLField<unknown, unknown>, owner: GraphQLObjectType, schemaIdOfType: Map<string, string>): LinkBinding | undefined {
  const named = getNamedType(field.type);
  const childType = connectionNodeType(named);
  if (childType) {
    const target = schemaIdOfType.get(childType.name);
    if (!target) return undefined;
    return { kind: 'collection', target, parentFilter: `${lowerFirst(owner.name)}Id` };
  }
  if (isObjectType(named) && schemaIdOfType.has(named.name) && !isListType(getNullableType(field.type))) {
    const idField = `${field.name}Id`;
    if (!(idField in owner.getFields())) return undefined;
    return { kind: 'resource', target: schemaIdOfType.get(named.name)!, idField };
  }
  return undefined;
}

function outputField(field: GraphQLField<unknown, unknown>, schemaIdOfType: Map<string, string>, embedded: EmbeddedSchemas): NormanField {
  const normanType = normanTypeOf(field.type, field.name, schemaIdOfType, embedded);
  return {
    type: normanType,
    ...(isNonNullType(field.type) ? { nullable: false } : { nullable: true }),
    ...(isEnumType(getNamedType(field.type)) && !isListType(getNullableType(field.type)) ? { options: enumOptions(getNamedType(field.type)) } : {}),
    ...(field.description ? { description: field.description } : {}),
    ...normanExtension(field.extensions),
  };
}

/** The Norman type name for a GraphQL type: scalars, enums, lists, maps, references, embedded schemas. */
function normanTypeOf(type: GraphQLOutputType | GraphQLInputType, fieldName: string, schemaIdOfType: Map<string, string>, embedded: EmbeddedSchemas): string {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return `array[${normanTypeOf(nullable.ofType, fieldName, schemaIdOfType, embedded)}]`;
  const named = getNamedType(type);
  if (isScalarType(named)) {
    if (named.name === 'ID' && fieldName.endsWith('Id')) {
      const target = fieldName.slice(0, -2);
      if ([...schemaIdOfType.values()].includes(target)) return `reference[${target}]`;
    }
    const custom = (named.extensions as { norman?: { type?: string } }).norman?.type;
    return custom ?? scalarTypes[named.name] ?? 'string';
  }
  if (isEnumType(named)) return 'enum';
  if (isObjectType(named) || isInterfaceType(named)) {
    return schemaIdOfType.get(named.name) ?? embedded.outputSchema(named);
  }
  if (isInputObjectType(named)) return embedded.inputSchema(named);
  return 'json';
}

const scalarTypes: Record<string, string> = { String: 'string', Int: 'int', Float: 'float', Boolean: 'boolean', ID: 'string' };

function enumOptions(type: GraphQLNamedType): string[] {
  return isEnumType(type) ? rancherOptions(type) : [];
}

/** Extra Norman attributes a field declares itself (`extensions.norman`), minus the type. */
function normanExtension(extensions: Record<string, unknown> | null | undefined): Partial<NormanField> {
  const norman = (extensions as { norman?: Partial<NormanField> } | undefined)?.norman;
  return norman ? { ...norman } : {};
}

/**
 * Sets `create`/`update` (and `required`, `default`, limits) on the fields an input
 * type accepts; input-only fields are added as write-only. The same holds one level
 * down and further: an input object given for an embedded output object (a provider's
 * config, say) flags that object's schema, so its input-only secrets are write-only too.
 */
function applyInputFlags(
  fields: Record<string, NormanField>,
  input: GraphQLInputObjectType | undefined,
  flag: 'create' | 'update',
  embedded: EmbeddedSchemas,
  /** The input types being flagged further up, so a recursive input cannot loop. */
  ancestors: ReadonlySet<string> = new Set(),
): void {
  if (!input || ancestors.has(input.name)) return;
  for (const inputField of Object.values(input.getFields())) {
    const existing = fields[inputField.name];
    const base: NormanField = existing ?? writeOnlyField(inputField, embedded);
    const nestedInput = getNamedType(inputField.type);
    // A list of embedded objects (`array[machinePool]`) flags the objects' schema too.
    const nestedFields = existing ? embedded.embeddedFields(existing.type.replace(/^(array\[)+|\]+$/g, '')) : undefined;
    if (nestedFields && isInputObjectType(nestedInput)) applyInputFlags(nestedFields, nestedInput, flag, embedded, new Set([...ancestors, input.name]));
    const required = base.required || (flag === 'create' && isNonNullType(inputField.type) && inputField.defaultValue === undefined);
    fields[inputField.name] = {
      ...base,
      [flag]: true,
      ...(required ? { required: true } : {}),
      // An input that may be left out may be left blank: a form built from the schema
      // then sends null (or "") for it instead of an empty value of the wrong type.
      ...(!required && isOptionalInput(inputField) ? { nullable: true } : {}),
      ...(inputField.defaultValue !== undefined && base.default === undefined ? { default: inputField.defaultValue } : {}),
      ...fieldLimits(inputField),
    };
  }
}

const isOptionalInput = (field: GraphQLInputField) => !isNonNullType(field.type) || field.defaultValue !== undefined;

function writeOnlyField(field: GraphQLInputField, embedded: EmbeddedSchemas): NormanField {
  const type = normanTypeOf(field.type, field.name, new Map(), embedded);
  return {
    type: type === 'string' ? 'password' : type,
    writeOnly: true,
    nullable: !isNonNullType(field.type),
    ...(field.description ? { description: field.description } : {}),
  };
}

/**
 * The filter input's fields that are Norman query filters: one value per modifier
 * (`name_prefix=a`). Conditions that name a key of a map as well (`LabelFilter`'s, marked
 * `conditionsPerKey`) have no such spelling, and Norman filters no labels: /v3 leaves them out.
 */
function filtersOf(filterInput: GraphQLInputObjectType | undefined): Record<string, { modifiers: string[] }> {
  const filters: Record<string, { modifiers: string[] }> = {};
  for (const field of Object.values(filterInput?.getFields() ?? {})) {
    const operators = getNamedType(field.type);
    if (isInputObjectType(operators) && !operators.extensions.conditionsPerKey)
      filters[field.name] = { modifiers: sortModifiers(Object.keys(operators.getFields())) };
  }
  return filters;
}

/** Norman's own order of modifiers, whatever order the GraphQL input lists them in. */
const modifierOrder = ['eq', 'ne', 'null', 'notnull', 'in', 'notin', 'gt', 'gte', 'lt', 'lte', 'prefix', 'like', 'notlike'];
function sortModifiers(modifiers: string[]): string[] {
  const rank = (modifier: string) => (modifierOrder.includes(modifier) ? modifierOrder.indexOf(modifier) : modifierOrder.length);
  return [...modifiers].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function sortFieldsOf(sortInput: GraphQLInputObjectType | undefined): string[] {
  const field = sortInput?.getFields().field;
  const values = field ? getNamedType(field.type) : undefined;
  return values && isEnumType(values) ? rancherOptions(values) : [];
}

interface ActionSet {
  resource: Record<string, ActionBinding>;
  collection: Record<string, ActionBinding>;
  unlisted: ResourceBinding['unlistedActions'];
}

/** How an action's input and output appear in its Norman schema (`{ input, output }` ids). */
type DescribeAction = (mutation: { input?: GraphQLArgument; type: GraphQLOutputType }, outputIsResource: boolean) => ActionBinding['described'];

/**
 * Mutations named verb first, `<verb><Type><Rest>` (`generateClusterKubeconfig`,
 * `pauseWorkload`), other than the type's create, update and delete: its actions, named
 * `<verb><Rest>` as Rancher names them (`generateKubeconfig`, `pause`). The longest type
 * name right after the verb owns a mutation. Deprecated mutations (the old
 * `<type><Action>` aliases) are left out: each action is listed once.
 *
 * Where Rancher's name is not the derived one (its user actions are all lower case:
 * `setpassword`), the mutation declares it in `extensions.norman.action`; the derived
 * name is still accepted, unlisted, so clients written against it keep working.
 *
 * Its `id` argument says where it runs: required, on a resource; absent, on the
 * collection; optional (the mutation then acts on a default target, such as the
 * caller), on the collection, as Rancher's collection actions do, and still on a
 * resource under its derived name, unlisted.
 */
function findActions(mutations: Record<string, GraphQLField<unknown, unknown>>, typeName: string, allTypeNames: string[], describe: DescribeAction): ActionSet {
  const actions: ActionSet = { resource: {}, collection: {}, unlisted: { resource: {}, collection: {} } };
  for (const mutation of Object.values(mutations)) {
    if (mutation.deprecationReason) continue;
    const derivedName = derivedActionName(mutation.name, typeName, allTypeNames);
    if (derivedName === undefined) continue;
    const name = declaredActionName(mutation) ?? derivedName;
    const input = mutation.args.find((argument) => argument.name === 'input');
    const output = getNamedType(mutation.type);
    const outputIsResource = allTypeNames.includes(output.name);
    const binding: ActionBinding = {
      mutation: mutation.name,
      ...(input ? { inputType: getNamedType(input.type).name } : {}),
      inputRequired: Boolean(input && isNonNullType(input.type)),
      outputType: output.name,
      outputIsResource,
      selection: '',
      described: describe({ ...(input ? { input } : {}), type: mutation.type }, outputIsResource),
    };
    const id = mutation.args.find((argument) => argument.name === 'id');
    const where = id && isNonNullType(id.type) ? 'resource' : 'collection';
    actions[where][name] = binding;
    if (name !== derivedName) actions.unlisted[where][derivedName] = binding;
    if (id && !isNonNullType(id.type)) actions.unlisted.resource[derivedName] = binding;
  }
  return actions;
}

/**
 * `<verb><Rest>` for a mutation `<verb><Type><Rest>` of this type — the longest type
 * name right after the verb owns it — unless it is one of the type's methods.
 */
function derivedActionName(mutationName: string, typeName: string, allTypeNames: string[]): string | undefined {
  const verb = /^[a-z0-9]+/.exec(mutationName)?.[0] ?? '';
  const rest = mutationName.slice(verb.length);
  const owner = allTypeNames
    .filter((candidate) => rest.startsWith(candidate) && !/^[a-z0-9]/.test(rest.slice(candidate.length)))
    .sort((a, b) => b.length - a.length)[0];
  const name = verb + rest.slice(typeName.length);
  return owner === typeName && !writeVerbs.has(name) ? name : undefined;
}

/** The Norman name a mutation declares for its action (`extensions.norman.action`), if any. */
function declaredActionName(mutation: GraphQLField<unknown, unknown>): string | undefined {
  const declared = (mutation.extensions as { norman?: { action?: unknown } } | null | undefined)?.norman?.action;
  return typeof declared === 'string' && declared !== '' ? declared : undefined;
}

/** Every action of a type, listed or not (an unlisted one may be the only way to reach its mutation on a resource). */
function everyAction(binding: ResourceBinding): ActionBinding[] {
  const { resourceActions, collectionActions, unlistedActions } = binding;
  return [resourceActions, collectionActions, unlistedActions.resource, unlistedActions.collection].flatMap((actions) => Object.values(actions));
}

/** `create<Type>`, `update<Type>`, `delete<Type>`: the type's methods, not actions. */
const writeVerbs = new Set(['create', 'update', 'delete']);

/** The GraphQL selection that reads a resource completely: its fields and permission fields, not its links. */
function selectionFor(type: GraphQLObjectType, links: Set<string>, embedded: EmbeddedSchemas): string {
  return embedded.selection(type, links);
}

/**
 * Schemas for object and input types that are not resources (nested specs, action
 * inputs and outputs): listed in /v3/schemas under their lowerCamel names.
 */
class EmbeddedSchemas {
  private readonly selections = new Map<string, string>();

  constructor(
    private readonly model: ApiModel,
    private readonly schemaIdOfType: Map<string, string>,
  ) {}

  outputSchema(type: GraphQLNamedType | undefined | null): string {
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return 'json';
    const id = lowerFirst(type.name);
    if (this.model.schemas.has(id) || this.schemaIdOfType.has(type.name)) return id;
    const normanSchema = emptySchema(id);
    this.model.schemas.set(id, normanSchema);
    for (const field of Object.values(type.getFields())) {
      normanSchema.resourceFields[field.name] = outputField(field, this.schemaIdOfType, this);
    }
    return id;
  }

  /** The fields of an embedded (non-resource) schema by id, for flags set from inputs. */
  embeddedFields(id: string): Record<string, NormanField> | undefined {
    return [...this.schemaIdOfType.values()].includes(id) ? undefined : this.model.schemas.get(id)?.resourceFields;
  }

  inputSchema(type: GraphQLInputObjectType): string {
    const id = lowerFirst(type.name);
    if (this.model.schemas.has(id)) return id;
    const normanSchema = emptySchema(id);
    this.model.schemas.set(id, normanSchema);
    for (const field of Object.values(type.getFields())) {
      normanSchema.resourceFields[field.name] = {
        type: normanTypeOf(field.type, field.name, this.schemaIdOfType, this),
        create: true,
        nullable: !isNonNullType(field.type),
        ...(isNonNullType(field.type) && field.defaultValue === undefined ? { required: true } : {}),
        ...(field.defaultValue !== undefined ? { default: field.defaultValue } : {}),
        ...(isEnumType(getNamedType(field.type)) ? { options: enumOptions(getNamedType(field.type)) } : {}),
        ...(field.description ? { description: field.description } : {}),
        ...fieldLimits(field),
      };
    }
    return id;
  }

  /** Every field, recursing into embedded objects; relations and connections are left to links. */
  selection(type: GraphQLObjectType | GraphQLNamedType, skip: Set<string> = new Set()): string {
    if (!isObjectType(type) && !isInterfaceType(type)) return '';
    const cached = skip.size === 0 ? this.selections.get(type.name) : undefined;
    if (cached !== undefined) return cached;
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      if (skip.has(field.name) || field.args.some((argument: GraphQLArgument) => isNonNullType(argument.type))) continue;
      const named = getNamedType(field.type);
      if (isObjectType(named) || isInterfaceType(named)) {
        if (this.schemaIdOfType.has(named.name) || connectionNodeType(named)) continue;
        parts.push(`${field.name} { ${this.selection(named)} }`);
      } else {
        parts.push(field.name);
      }
    }
    const text = parts.join(' ');
    if (skip.size === 0) this.selections.set(type.name, text);
    return text;
  }
}

/**
 * The Norman schema of one GraphQL input type, standing alone (the public face's
 * login input): the same field mapping as every embedded input schema.
 */
export function standaloneInputSchema(type: GraphQLInputObjectType, id: string): NormanSchema {
  const scratch: ApiModel = { schemas: new Map(), bindings: new Map(), aliases: new Map() };
  const derived = scratch.schemas.get(new EmbeddedSchemas(scratch, new Map()).inputSchema(type))!;
  return { ...derived, id, pluralName: `${id}s` };
}

function emptySchema(id: string): NormanSchema {
  return {
    id,
    pluralName: `${id}s`,
    resourceMethods: [],
    collectionMethods: [],
    resourceFields: {},
    resourceActions: {},
    collectionActions: {},
    collectionFilters: {},
    collectionFields: {},
  };
}

function inputTypeOf(argument: GraphQLArgument | undefined): GraphQLInputObjectType | undefined {
  const named = argument ? getNamedType(argument.type) : undefined;
  return named && isInputObjectType(named) ? named : undefined;
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
