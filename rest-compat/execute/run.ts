import type { IncomingMessage } from 'node:http';
import { getNamedType, Kind, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { GraphQLServer } from '../../src/graphql/yoga.js';
import { fromGraphQLError } from '../errors.js';
import { graphqlVariables, rancherOutputSchema } from './enum-values.js';

/**
 * Runs one GraphQL operation in process, through the same Envelop pipeline Yoga
 * uses for /graphql (parse and validation caches, error masking, every plugin) and
 * with the same per-request context: a REST face can never do what GraphQL forbids.
 * Variables go in and data comes out in Rancher's enum strings (enum-values.ts): the
 * operation is validated against the schema and executed against its Rancher-string twin.
 */
export type RunOperation = (request: IncomingMessage, document: string, variables: Record<string, unknown>) => Promise<unknown>;

/** How a face turns the first GraphQL error (its `extensions.code`) into its own error. */
export type TranslateError = (error: GraphQLFormattedError) => Error;

/** Each face brings its translation: /v3 answers Norman errors (the default), /v1 Kubernetes Status objects. */
export function createOperationRunner(graphql: GraphQLServer, translate: TranslateError = fromGraphQLError): RunOperation {
  const outputSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();
  const outputSchemaOf = (schema: GraphQLSchema) => {
    let outputSchema = outputSchemas.get(schema);
    if (!outputSchema) {
      outputSchema = rancherOutputSchema(schema);
      outputSchemas.set(schema, outputSchema);
    }
    return outputSchema;
  };
  return async (request, source, variables) => {
    // Yoga's context factory builds the context from the request, as for /graphql.
    const { parse, validate, contextFactory, execute, schema } = graphql.getEnveloped({ req: request } as never);
    const document = parse(source);
    const invalid = validate(schema, document);
    if (invalid.length > 0) throw translate(invalid[0]!.toJSON());
    const contextValue = await contextFactory();
    const result = (await execute({
      schema: outputSchemaOf(schema),
      document,
      variableValues: graphqlVariables(schema, document, variables),
      contextValue,
    })) as ExecutionResult;
    const firstError = result.errors?.[0];
    // Every error has its code by now, request errors included (a variable GraphQL
    // could not coerce is BAD_USER_INPUT: src/graphql/request-errors.ts).
    if (firstError) throw translate(formatted(firstError));
    const data = result.data as { r?: unknown } | null | undefined;
    if (!data) throw translate({ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    // A lookup answers null for what is missing or invisible; to a REST face that is a 404.
    if (data.r === null) throw translate(notFoundError(schema, document, variables));
    return data.r;
  };
}

/** NOT_FOUND naming the type the operation's one field answers and the id it was given. */
function notFoundError(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): GraphQLFormattedError {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const selection = operation?.selectionSet.selections[0];
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  const field = selection?.kind === Kind.FIELD ? root?.getFields()[selection.name.value] : undefined;
  const typeName = field ? getNamedType(field.type).name : 'resource';
  return { message: `${typeName} ${JSON.stringify(variables.id)} not found`, extensions: { code: 'NOT_FOUND' } };
}

function formatted(error: { toJSON?: () => GraphQLFormattedError } & GraphQLFormattedError): GraphQLFormattedError {
  return typeof error.toJSON === 'function' ? error.toJSON() : error;
}
