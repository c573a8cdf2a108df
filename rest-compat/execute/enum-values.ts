import { mapSchema } from '@graphql-tools/utils';
import {
  getNullableType,
  isEnumType,
  isIntrospectionType,
  isInputObjectType,
  isListType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
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

/**
 * The schema /v3 and /v1 execute against: the same types, fields and resolvers, but every
 * enum answers Rancher's string where GraphQL answers the value's name. Validation uses
 * the schema itself (the two accept the same documents); only serialising differs, so a
 * face gets `active` from the executor instead of `ACTIVE` turned back per row and field.
 */
export function rancherOutputSchema(schema: GraphQLSchema): GraphQLSchema {
  // mapSchema without mappers is a copy with types of its own (it rebuilds every type
  // from its config, so a subclass would not survive it): changing them leaves GraphQL's alone.
  const twin = mapSchema(schema);
  for (const type of Object.values(twin.getTypeMap())) if (isEnumType(type) && !isIntrospectionType(type)) serialiseToRancher(type);
  return twin;
}

function serialiseToRancher(type: GraphQLEnumType): void {
  const rancher = new Map(type.getValues().map((value) => [value.value, rancherValue(value.value, value.name)]));
  const graphqlSerialize = type.serialize.bind(type);
  // Anything else gets GraphQL's own refusal ("Enum … cannot represent value").
  type.serialize = (outputValue) => rancher.get(outputValue) ?? graphqlSerialize(outputValue);
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

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
}

/** An enum value's internal value is Rancher's string; one without a string value is shown by its name. */
function rancherValue(value: unknown, name: string): string {
  return typeof value === 'string' ? value : name;
}
