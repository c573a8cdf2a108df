import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { InvalidInputs } from '../errors.js';

/**
 * A resolver that finds several invalid input fields throws them as one error
 * (`InvalidInputs`), because a resolver can throw only one. This spreads it into one
 * GraphQL error per field, each with its own `fieldName`, at the same path. It runs
 * before error masking, which then gives each its code.
 */
export function useEveryInputError(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || !result.errors?.some((error) => error.originalError instanceof InvalidInputs)) return;
          setResult({ ...result, errors: result.errors.flatMap(spread) });
        },
      };
    },
  };
}

function spread(error: GraphQLError): GraphQLError[] {
  const original = error.originalError;
  if (!(original instanceof InvalidInputs)) return [error];
  return original.issues.map(
    (issue) =>
      new GraphQLError(issue.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: issue }),
  );
}
