import type { IncomingMessage } from 'node:http';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { GraphQLServer } from '../../src/graphql/yoga.js';
import { fromGraphQLError } from '../errors.js';

/**
 * Runs one GraphQL operation in process, through the same Envelop pipeline Yoga
 * uses for /graphql (parse and validation caches, error masking, every plugin) and
 * with the same per-request context: a REST face can never do what GraphQL forbids.
 */
export type RunOperation = (request: IncomingMessage, document: string, variables: Record<string, unknown>) => Promise<unknown>;

/** How a face turns the first GraphQL error (its `extensions.code`) into its own error. */
export type TranslateError = (error: GraphQLFormattedError) => Error;

/** Each face brings its translation: /v3 answers Norman errors (the default), /v1 Kubernetes Status objects. */
export function createOperationRunner(graphql: GraphQLServer, translate: TranslateError = fromGraphQLError): RunOperation {
  return async (request, source, variables) => {
    // Yoga's context factory builds the context from the request, as for /graphql.
    const { parse, validate, contextFactory, execute, schema } = graphql.getEnveloped({ req: request } as never);
    const document = parse(source);
    const invalid = validate(schema, document);
    if (invalid.length > 0) throw translate(invalid[0]!.toJSON());
    const contextValue = await contextFactory();
    const result = (await execute({ schema, document, variableValues: variables, contextValue })) as ExecutionResult;
    const firstError = result.errors?.[0];
    // Every error has its code by now, request errors included (a variable GraphQL
    // could not coerce is BAD_USER_INPUT: src/graphql/request-errors.ts).
    if (firstError) throw translate(formatted(firstError));
    const data = result.data as { r?: unknown } | null | undefined;
    if (!data) throw translate({ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    return data.r;
  };
}

function formatted(error: { toJSON?: () => GraphQLFormattedError } & GraphQLFormattedError): GraphQLFormattedError {
  return typeof error.toJSON === 'function' ? error.toJSON() : error;
}
