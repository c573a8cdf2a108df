import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLSchema } from 'graphql';
import type { ApiModel, RestCompat } from '../rest-compat/index.js';
import { isNormanSubscribePath } from '../rest-compat/paths.js';
import type { Principal } from './auth/principal.js';
import type { Context } from './context.js';
import { isGraphQLSocketPath } from './graphql/endpoint.js';
import type { GraphQLSocketOptions } from './graphql/websocket.js';
import type { GraphQLServer, GraphQLServerOptions } from './graphql/yoga.js';
import type { SocketRoute } from './http/upgrade.js';
import type { Logger } from './logger.js';

/** What the router needs of the GraphQL face and the REST faces. */
export interface Faces {
  graphql: Pick<GraphQLServer, 'handle'>;
  restCompat: Pick<RestCompat, 'handle'>;
  /** The WebSocket routes (graphql-ws on /graphql, Rancher's /v3/subscribe), for the upgrade handler. */
  sockets: SocketRoute[];
  /** Ends every open socket of the faces (nothing to do when they were never built). */
  closeSockets(): Promise<void>;
}

/**
 * GraphQL, /v3 and /v1, built when the first request needs one of them. Building the
 * Pothos schema and deriving /v3 from it is the largest part of a start (most of a
 * second of CPU), and `/ping`, `/healthz`, the login and the static assets need none
 * of it; so the server listens first and the first API request pays it once.
 */
export function lazyFaces(
  logger: Logger,
  createContext: (request: IncomingMessage) => Context,
  /**
   * The GraphQL server's options, given the built schema and the /v3 model derived
   * from it (plugins such as the audit log's read the field meanings from it).
   */
  graphqlOptions: (schema: GraphQLSchema, model: ApiModel) => GraphQLServerOptions,
  socketOptions: GraphQLSocketOptions,
): Faces {
  let built: Promise<BuiltFaces> | undefined;
  const build = () =>
    (built ??= (async () => {
      const [{ schema }, { createGraphQLServer }, { createRestCompat }, { deriveApiModel }, { graphqlSocketRoute }] = await Promise.all([
        import('./schema/index.js'),
        import('./graphql/yoga.js'),
        import('../rest-compat/index.js'),
        import('../rest-compat/schemas/derive.js'),
        import('./graphql/websocket.js'),
      ]);
      // Derived once, for /v3 and /v1 and for whatever GraphQL plugin reads it.
      const model = deriveApiModel(schema);
      const graphql = createGraphQLServer(schema, logger, createContext, graphqlOptions(schema, model));
      return { graphql, restCompat: createRestCompat({ schema, model, graphql, logger }), graphqlSockets: graphqlSocketRoute(graphql, socketOptions) };
    })());
  // Which path is a socket's is known without building anything; the faces are built
  // when the first socket is accepted (the upgrade's socket holds its data meanwhile).
  const lazySocket = (matches: (pathname: string) => boolean, routeOf: (faces: BuiltFaces) => SocketRoute): SocketRoute => ({
    matches,
    accept: (request: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal | null) =>
      void build().then(
        (faces) => routeOf(faces).accept(request, socket, head, principal),
        () => socket.destroy(),
      ),
  });
  return {
    sockets: [lazySocket(isGraphQLSocketPath, (faces) => faces.graphqlSockets), lazySocket(isNormanSubscribePath, (faces) => faces.restCompat.subscribe)],
    closeSockets: async () => {
      if (!built) return;
      const faces = await built;
      faces.graphqlSockets.close();
      faces.restCompat.subscribe.close();
    },
    graphql: {
      handle: async (request: IncomingMessage, response: ServerResponse, serverContext: Record<string, never>) =>
        (await build()).graphql.handle(request, response, serverContext),
    } as Pick<GraphQLServer, 'handle'>,
    restCompat: {
      handle: async (request, response, pathname) => (await build()).restCompat.handle(request, response, pathname),
    },
  };
}

interface BuiltFaces {
  graphql: GraphQLServer;
  restCompat: RestCompat;
  graphqlSockets: SocketRoute & { close(): void };
}
