import { getOperationAST, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Request errors: the document or its variables are refused before anything runs, so
 * the answer has no `data`. Each kind has its own code (README, "Errors"). They carry
 * Yoga's `http: { status: 400, spec: true }`: 400 when the client accepts
 * `application/graphql-response+json`, 200 for the legacy `application/json`, as the
 * GraphQL-over-HTTP specification asks. (Yoga gives its own parse and validation
 * errors the same marks.)
 */
const ownCodes = [
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_COSTLY',
] as const;

export type RequestErrorCode = (typeof ownCodes)[number];

/** Ours and Yoga's own (which it gives a malformed or invalid document). */
const requestErrorCodes: ReadonlySet<string> = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', ...ownCodes]);

/** Whether a GraphQL error code says the request itself was refused (what REST faces call invalid input). */
export const isRequestErrorCode = (code: string | undefined): boolean => code !== undefined && requestErrorCodes.has(code);

export function requestError(code: RequestErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400, spec: true } } });
}

/**
 * GraphQL refuses variables that do not coerce (and an operation it cannot pick)
 * while setting up execution, with errors that have no code. They are the caller's
 * request at fault, never ours: this names them before error masking sees them
 * (it runs after this plugin and leaves errors that have a code alone).
 */
export function useRequestErrorCodes(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) || !result.errors || 'data' in result) return;
          const code: RequestErrorCode = getOperationAST(args.document, args.operationName) ? 'BAD_USER_INPUT' : 'OPERATION_RESOLUTION_FAILURE';
          for (const error of result.errors) {
            if (error.extensions.code) continue;
            const extensions = error.extensions as Record<string, unknown>;
            extensions.code = code;
            extensions.http = { status: 400, spec: true };
          }
        },
      };
    },
  };
}
