import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { SocketRoute } from '../http/upgrade.js';
import { isGraphQLSocketPath } from './endpoint.js';
import type { GraphQLServer } from './yoga.js';

/** The largest message a client may send (a subscription document and its variables). */
const maxMessageBytes = 256 * 1024;
/** graphql-ws pings this often and drops a peer that stops answering. */
const keepAliveMs = 15_000;

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;

export interface GraphQLSocketOptions {
  /** Asks whether the socket's credential still works before each new subscription. */
  recheck: (principal: Principal) => Promise<Principal | undefined>;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on /graphql, for subscriptions:
 * each operation runs through Yoga's own Envelop pipeline (`getEnveloped`), so
 * validation, limits, authorization and error masking are exactly those of HTTP.
 * The upgrade was admitted already (src/http/upgrade.ts: origin, credential).
 */
export function graphqlSocketRoute(graphql: GraphQLServer, options: GraphQLSocketOptions): SocketRoute & { close(): void } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const principals = new WeakMap<object, Principal>();
  useServer<Record<string, unknown> | undefined, { principal: Principal }>(
    {
      execute: (args) => (args.rootValue as Pick<Enveloped, 'execute'>).execute(args),
      subscribe: (args) => (args.rootValue as Pick<Enveloped, 'subscribe'>).subscribe(args),
      onSubscribe: async (context, _id, params) => {
        const { request, socket } = context.extra;
        const principal = await options.recheck(principals.get(request)!);
        // A key revoked since the socket opened opens nothing more; the socket goes.
        if (!principal) {
          socket.close(4401, 'Unauthorized');
          return [];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = graphql.getEnveloped({ req: request, socket, params });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        return args;
      },
    },
    sockets,
    keepAliveMs,
  );
  return {
    matches: isGraphQLSocketPath,
    accept(request, socket, head, principal) {
      principals.set(request, principal);
      sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
    },
    close() {
      for (const client of sockets.clients) client.close(1001, 'server shutting down');
      sockets.close();
    },
  };
}
