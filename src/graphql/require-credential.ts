import { getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';

/** Root mutation fields an anonymous caller may use: the way to get a credential. */
const publicMutations = new Set(['login']);

/**
 * Field authorization covers every field of the schema, but not what lies outside it:
 * `__typename` and introspection would still answer an anonymous caller. This closes
 * the schema as a whole: without a credential, only a mutation made of nothing but
 * `login` runs; anything else is UNAUTHORIZED (401) before execution starts.
 */
export function useRequireCredential(): Plugin<Context> {
  return {
    onExecute({ args }) {
      if ((args.contextValue as Context).principal) return;
      const operation = getOperationAST(args.document, args.operationName);
      const selections = operation?.operation === 'mutation' ? operation.selectionSet.selections : [];
      const onlyPublic = selections.length > 0 && selections.every((selection) => selection.kind === Kind.FIELD && publicMutations.has(selection.name.value));
      if (!onlyPublic) throw new ApiError('UNAUTHORIZED', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie');
    },
    // Subscriptions never run anonymously.
    onSubscribe({ args }) {
      if (!(args.contextValue as Context).principal)
        throw new ApiError('UNAUTHORIZED', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie');
    },
  };
}
