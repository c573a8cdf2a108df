import { type ExecutionArgs, getOperationAST, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { ApiError } from '../errors.js';
import { rememberCaller } from '../http/caller.js';
import type { SocketRoute } from '../http/upgrade.js';
import { isGraphQLSocketPath } from './endpoint.js';
import { trustedText } from './trusted-documents.js';
import type { GraphQLServer } from './yoga.js';

/** The largest message a client may send (a subscription document and its variables). */
const maxMessageBytes = 256 * 1024;
/** graphql-ws pings this often and drops a peer that stops answering. */
const keepAliveMs = 15_000;

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;

export interface GraphQLSocketOptions {
  /** The rights the socket's credential carries now (undefined once it no longer works), asked before each new subscription. */
  recheck: (principal: Principal) => Promise<Principal | undefined>;
  /** Counts a subscription against its caller's per-minute limit, as the router counts the HTTP request that starts one over SSE; the refusal, if over it. */
  count: (principal: Principal) => Promise<ApiError | undefined>;
  /** Whether only the client package's trusted documents may run (the setting HTTP requests obey). */
  trustedDocumentsOnly: () => Promise<boolean>;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on /graphql, for subscriptions:
 * each operation runs through Yoga's own Envelop pipeline (`getEnveloped`), so
 * validation, limits, authorization and error masking are exactly those of HTTP.
 * The upgrade was admitted already (src/http/upgrade.ts: origin, credential).
 *
 * What the router does for an HTTP request is done here for each subscription: the
 * caller is who the key says now (an admin demoted since the socket opened is no longer
 * one), it is counted against the per-minute limit, and the trusted-documents rule
 * applies. Queries and mutations are refused: over HTTP they are counted, audited and
 * answered once, and a socket would take them past all three.
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
        // The context (src/app.ts) reads the caller from the request: the rights of now, for this operation and the next.
        principals.set(request, principal);
        rememberCaller(request, principal);
        const overLimit = await options.count(principal);
        if (overLimit) return [new GraphQLError(overLimit.message, { extensions: { code: overLimit.code } })];
        const text = await trustedText(params, options.trustedDocumentsOnly);
        if (typeof text !== 'string') return [text];
        const { schema, execute, subscribe, contextFactory, parse, validate } = graphql.getEnveloped({ req: request, socket, params });
        const document = parse(text);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, params.operationName)?.operation;
        if (operation === 'query' || operation === 'mutation') return [subscriptionsOnly(operation)];
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

function subscriptionsOnly(operation: 'query' | 'mutation'): GraphQLError {
  return new GraphQLError(`a WebSocket carries subscriptions only: send a ${operation} as an HTTP request to /graphql`, {
    extensions: { code: 'BAD_REQUEST' },
  });
}
