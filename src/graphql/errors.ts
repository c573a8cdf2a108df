import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { ApiError, toApiError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The GraphQL face's translation of errors: API errors keep their message and gain
 * `extensions.code` (plus `fieldName`/`reason` when known); anything else is an
 * internal error whose details are logged, never sent.
 *
 * Only the codes that are about the HTTP exchange itself change the HTTP status
 * (401, 429, and 503 while the database is away); the rest travel as ordinary GraphQL errors in a 200 response, so
 * partial data still reaches the client. The whole contract is in README, "Errors".
 */
export function graphQLErrorMasker(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const graphQLError = isGraphQLError(error) ? error : undefined;
    // Request errors (parse, validation, variables, limits) and Yoga's own HTTP refusals
    // already carry their code (graphql/request-errors.ts), whatever they wrap.
    if (graphQLError?.extensions?.code) return graphQLError;
    const original = fromSchemaLayer(toApiError(graphQLError?.originalError ?? error));
    if (original instanceof ApiError) {
      return new GraphQLError(original.message, {
        ...(graphQLError ? { nodes: graphQLError.nodes, source: graphQLError.source, positions: graphQLError.positions, path: graphQLError.path } : {}),
        originalError: original,
        extensions: {
          code: original.code,
          ...(original.details.fieldName ? { fieldName: original.details.fieldName } : {}),
          ...(original.details.fieldPath ? { fieldPath: original.details.fieldPath } : {}),
          ...(original.details.reason ? { reason: original.details.reason } : {}),
          ...httpExtension(original),
        },
      });
    }
    // A GraphQL error raised with its own code passes; one without a code arose while
    // executing (a null in a non-null field, …): ours, internal, below.
    if (isGraphQLError(original) && original.extensions?.code) return original;
    logger.error({ err: original, path: graphQLError?.path }, 'unexpected error while executing GraphQL');
    return new GraphQLError(message, {
      ...(graphQLError ? { nodes: graphQLError.nodes, path: graphQLError.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}

/**
 * By shape, not `instanceof`: graphql ships CommonJS and ES builds, and libraries that
 * load the other one raise errors of "another" GraphQLError class.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** Pothos refuses malformed arguments it decodes itself (cursors) with its own error type. */
function fromSchemaLayer(error: unknown): unknown {
  return error instanceof PothosValidationError ? new ApiError('INVALID_INPUT', error.message, { reason: 'InvalidFormat' }) : error;
}

/** The codes about the exchange itself, which set the HTTP status (and headers such as Retry-After) even in GraphQL. */
const exchangeCodes = new Set(['UNAUTHORIZED', 'RATE_LIMITED', 'UNAVAILABLE']);

function httpExtension(error: ApiError) {
  if (!exchangeCodes.has(error.code)) return {};
  return { http: { status: error.status, ...(error.details.headers ? { headers: error.details.headers } : {}) } };
}
