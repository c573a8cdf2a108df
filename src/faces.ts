import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestCompat } from '../rest-compat/index.js';
import type { Context } from './context.js';
import type { GraphQLServer, GraphQLServerOptions } from './graphql/yoga.js';
import type { Logger } from './logger.js';

/** What the router needs of the GraphQL face and the REST faces. */
export interface Faces {
  graphql: Pick<GraphQLServer, 'handle'>;
  restCompat: Pick<RestCompat, 'handle'>;
}

/**
 * GraphQL, /v3 and /v1, built when the first request needs one of them. Building the
 * Pothos schema and deriving /v3 from it is the largest part of a start (most of a
 * second of CPU), and `/ping`, `/healthz`, the login and the static assets need none
 * of it; so the server listens first and the first API request pays it once.
 */
export function lazyFaces(logger: Logger, createContext: (request: IncomingMessage) => Context, graphqlOptions: GraphQLServerOptions): Faces {
  let built: Promise<{ graphql: GraphQLServer; restCompat: RestCompat }> | undefined;
  const build = () =>
    (built ??= (async () => {
      const [{ schema }, { createGraphQLServer }, { createRestCompat }] = await Promise.all([
        import('./schema/index.js'),
        import('./graphql/yoga.js'),
        import('../rest-compat/index.js'),
      ]);
      const graphql = createGraphQLServer(schema, logger, createContext, graphqlOptions);
      return { graphql, restCompat: createRestCompat({ schema, graphql, logger }) };
    })());
  return {
    graphql: {
      handle: async (request: IncomingMessage, response: ServerResponse, serverContext: Record<string, never>) => (await build()).graphql.handle(request, response, serverContext),
    } as Pick<GraphQLServer, 'handle'>,
    restCompat: {
      handle: async (request, response, pathname) => (await build()).restCompat.handle(request, response, pathname),
    },
  };
}
