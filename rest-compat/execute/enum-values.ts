import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * GraphQL names enum values in UPPER_CASE (`ACTIVE`, `STATEFUL_SET`); Rancher's faces
 * speak its own strings (`active`, `StatefulSet`). Each enum value's internal `value` is
 * Rancher's string (src/schema/upper-case-enums.ts), so the translation is read from the
 * schema itself, for every enum at once: the Rancher string is what /v3 and /v1 show,
 * list as `options` and accept, and the name is what the GraphQL operation behind them
 * carries. Nothing here knows a type.
 */

/** The Rancher strings an enum offers, in its order (`options` of a Norman field). */
export function rancherOptions(type: GraphQLEnumType): string[] {
  return type.getValues().map((value) => rancherValue(value.value, value.name));
}

/** The GraphQL name of a Rancher string of this enum; unknown strings pass unchanged, for GraphQL to refuse. */
function nameOfRancherValue(type: GraphQLEnumType, rancher: unknown): unknown {
  return type.getValues().find((value) => value.value === rancher)?.name ?? rancher;
}

/**
 * Translates an operation's variables (Rancher's strings, as the faces read them from
 * bodies and query strings) into what GraphQL takes: every value whose variable type
 * is, or holds, an enum becomes that value's name.
 */
export function graphqlVariables(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): Record<string, unknown> {
  const operation = operationOf(document);
  if (!operation?.variableDefinitions?.length) return variables;
  const translated: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (type && name in variables) translated[name] = inputToGraphQL(type, variables[name]);
  }
  return translated;
}

/** Where an answer holds enum values: response key → the enum, or what lies below. */
type Plan = Map<string, GraphQLEnumType | Plan>;

/** A plan as the walk over the data reads it: arrays, and each enum as its GraphQL names' Rancher strings. */
type Walk = ReadonlyArray<{ key: string; rancher?: ReadonlyMap<string, string>; below?: Walk }>;

/**
 * The answer's data with every enum value back in Rancher's string. The places to
 * look are worked out once per operation text (the faces send a few fixed texts), so a
 * page of rows costs a visit of its enum fields only.
 */
export function rancherDataReader(schema: GraphQLSchema): (source: string, document: DocumentNode, data: unknown) => unknown {
  const walks = new Map<string, Walk | null>();
  const strings = new Map<GraphQLEnumType, ReadonlyMap<string, string>>();
  const walkOf = (plan: Plan): Walk =>
    [...plan].map(([key, below]) => {
      if (below instanceof Map) return { key, below: walkOf(below) };
      let rancher = strings.get(below);
      if (!rancher) {
        rancher = new Map(below.getValues().map((value) => [value.name, rancherValue(value.value, value.name)]));
        strings.set(below, rancher);
      }
      return { key, rancher };
    });
  return (source, document, data) => {
    let walk = walks.get(source);
    if (walk === undefined) {
      const plan = planOf(schema, document);
      walk = plan && walkOf(plan);
      walks.set(source, walk);
    }
    return walk ? outputToRancher(walk, data) : data;
  };
}

function inputToGraphQL(type: GraphQLInputType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const nullable = getNullableType(type);
  if (isListType(nullable)) return Array.isArray(value) ? value.map((entry) => inputToGraphQL(nullable.ofType, entry)) : inputToGraphQL(nullable.ofType, value);
  if (isEnumType(nullable)) return nameOfRancherValue(nullable, value);
  if (isInputObjectType(nullable) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = nullable.getFields();
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fields[key] ? inputToGraphQL(fields[key].type, entry) : entry]));
  }
  return value;
}

function outputToRancher(walk: Walk, data: unknown): unknown {
  if (Array.isArray(data)) {
    for (let index = 0; index < data.length; index += 1) data[index] = outputToRancher(walk, data[index]);
    return data;
  }
  if (typeof data !== 'object' || data === null) return data;
  const row = data as Record<string, unknown>;
  for (let step = 0; step < walk.length; step += 1) {
    const { key, rancher, below } = walk[step]!;
    const value = row[key];
    if (value === null || value === undefined) continue;
    row[key] = below ? outputToRancher(below, value) : enumToRancher(rancher!, value);
  }
  return row;
}

function enumToRancher(rancher: ReadonlyMap<string, string>, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((entry) => enumToRancher(rancher, entry));
  return (typeof value === 'string' && rancher.get(value)) || value;
}

/** The plan of an operation, or null when its answer holds no enum. */
function planOf(schema: GraphQLSchema, document: DocumentNode): Plan | null {
  const operation = operationOf(document);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return null;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return selectionPlan(schema, root, operation.selectionSet, fragments);
}

function selectionPlan(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): Plan | null {
  const plan: Plan = new Map();
  const merge = (below: Plan | null) => {
    for (const [key, entry] of below ?? []) plan.set(key, entry);
  };
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = isObjectType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!field) continue;
      const named = getNamedType(field.type);
      const key = selection.alias?.value ?? selection.name.value;
      if (isEnumType(named)) plan.set(key, named);
      else if (selection.selectionSet) {
        const below = selectionPlan(schema, named, selection.selectionSet, fragments);
        if (below) plan.set(key, below);
      }
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      const typeName = fragment?.typeCondition?.name.value;
      if (fragment) merge(selectionPlan(schema, (typeName && schema.getType(typeName)) || parent, fragment.selectionSet, fragments));
    }
  }
  return plan.size > 0 ? plan : null;
}

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
}

/** An enum value's internal value is Rancher's string; one without a string value is shown by its name. */
function rancherValue(value: unknown, name: string): string {
  return typeof value === 'string' ? value : name;
}
