import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { requestError, type RequestErrorCode } from './request-errors.js';

/**
 * Static limits on what one document may ask, checked before anything runs: deep
 * nesting, alias floods (which also multiply field-level rate limits), huge documents
 * and expensive selections.
 *
 * graphql-armor throws its refusals as "Syntax Error: …" with no code, which Yoga then
 * answers as something that went wrong while executing. Instead each refusal is
 * reported as a validation error (or, for the token count, a parse error) with a code
 * of its own and the limit it broke, so it is a request error like any invalid document.
 */
const documentLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 5000,
  maxDirectives: 20,
  maxCost: 20_000,
} as const;

export function useDocumentLimits() {
  return EnvelopArmorPlugin({
    maxDepth: { n: documentLimits.maxDepth, ignoreIntrospection: true, ...reportedAs('QUERY_TOO_DEEP') },
    maxAliases: { n: documentLimits.maxAliases, ...reportedAs('TOO_MANY_ALIASES') },
    maxDirectives: { n: documentLimits.maxDirectives, ...reportedAs('TOO_MANY_DIRECTIVES') },
    costLimit: { maxCost: documentLimits.maxCost, ...reportedAs('QUERY_TOO_COSTLY') },
    // Counted by the parser, which has no validation context to report to: it stops by throwing.
    maxTokens: {
      n: documentLimits.maxTokens,
      onReject: [
        (_context: ValidationContext | null, error: GraphQLError) => {
          throw requestError('TOO_MANY_TOKENS', truthful(error));
        },
      ],
    },
    blockFieldSuggestion: { enabled: false },
  });
}

function reportedAs(code: RequestErrorCode) {
  return {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(requestError(code, truthful(error)))],
  };
}

/** armor's own words ("Query depth limit of 15 exceeded, found 16.") without the false "Syntax Error:" in front. */
function truthful(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error: /, '');
}
