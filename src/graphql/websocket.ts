import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, getOperationAST, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal.js';
import { ApiError, toApiError } from '../errors.js';
import { rememberCaller } from '../http/caller.js';
import { credentialCheckOf, refuseWith, type SocketRoute } from '../http/upgrade.js';
import { isGraphQLSocketPath } from './endpoint.js';
import { trustedText } from './trusted-documents.js';
import { connectionCredential } from './websocket-credential.js';
import type { GraphQLServer } from './yoga.js';

/** The largest message a client may send (a subscription document and its variables). */
const maxMessageBytes = 256 * 1024;
/** graphql-ws pings this often and drops a peer that stops answering. */
const keepAliveMs = 15_000;
/**
 * How long a socket may stay open before its ConnectionInit (graphql-ws closes it with
 * 4408). Set here rather than left to the library's default: a socket let in without a
 * credential holds a place under the per-instance stream cap meanwhile, and clients send
 * their ConnectionInit as soon as the socket opens.
 */
const connectionInitWaitMs = 3_000;
/** Try Again Later (RFC 6455 registry): the close code for a refusal that may pass later (RATE_LIMITED, UNAVAILABLE), which clients retry. */
const tryAgainLater = 1013;
/** A WebSocket close reason holds at most 123 bytes. */
const maxCloseReasonBytes = 123;

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;

export interface GraphQLSocketOptions {
  /** The rights the socket's credential carries now (undefined once it no longer works), asked before each new subscription. */
  recheck: (principal: Principal) => Promise<Principal | undefined>;
  /** Counts a subscription against its caller's per-minute limit, as the router counts the HTTP request that starts one over SSE; the refusal, if over it. */
  count: (principal: Principal) => Promise<ApiError | undefined>;
  /** Whether only the client package's trusted documents may run (the setting HTTP requests obey). */
  trustedDocumentsOnly: () => Promise<boolean>;
  /** A place under the per-instance stream cap for a socket without a credential yet (src/changes/registry.ts), or RATE_LIMITED; the answer gives it back. */
  holdUntilAuthenticated: () => Promise<() => void>;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on /graphql, for subscriptions:
 * each operation runs through Yoga's own Envelop pipeline (`getEnveloped`), so
 * validation, limits, authorization and error masking are exactly those of HTTP.
 * The upgrade was admitted already (src/http/upgrade.ts: origin, credential).
 *
 * An upgrade without a credential (a browser page cannot set a header on a WebSocket)
 * authenticates from its ConnectionInit's `connectionParams` (websocket-credential.ts)
 * through the same step as HTTP, failures counted against the address alike. Until then
 * nothing runs: graphql-ws acknowledges the connection only once `onConnect` says yes and
 * closes a socket that subscribes before (4401); a missing or bad credential closes it with
 * 4403, a locked-out address with 1013; one that sends no ConnectionInit is closed after
 * {@link connectionInitWaitMs}, and meanwhile holds a place under the per-instance stream
 * cap. When both the upgrade and `connectionParams` carry a credential, both are checked
 * and they must name the same key: a socket has one identity, never swapped in-band.
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
  /** Gives back the place a socket let in without a credential holds under the stream cap. */
  const places = new WeakMap<object, () => void>();
  useServer<Record<string, unknown> | undefined, { principal: Principal }>(
    {
      connectionInitWaitTimeout: connectionInitWaitMs,
      execute: (args) => (args.rootValue as Pick<Enveloped, 'execute'>).execute(args),
      subscribe: (args) => (args.rootValue as Pick<Enveloped, 'subscribe'>).subscribe(args),
      onConnect: async (context) => {
        const { request, socket } = context.extra;
        try {
          const principal = await authenticated(request, principals.get(request), context.connectionParams);
          principals.set(request, principal);
          rememberCaller(request, principal);
          return true;
        } catch (error) {
          const refusal = toApiError(error);
          if (!(refusal instanceof ApiError)) throw error;
          const code = refusal.code === 'UNAUTHORIZED' ? CloseCode.Forbidden : tryAgainLater;
          // Closed here to say why; graphql-ws' own close for `false` then finds it closing.
          socket.close(code, closeReason(refusal.message));
          return false;
        } finally {
          // Authenticated or refused, it no longer waits for a credential.
          places.get(request)?.();
        }
      },
      onSubscribe: async (context, _id, params) => {
        const { request, socket } = context.extra;
        const authenticatedAs = principals.get(request);
        const principal = authenticatedAs && (await options.recheck(authenticatedAs));
        // A key revoked since the socket opened opens nothing more; the socket goes.
        if (!principal) {
          socket.close(CloseCode.Unauthorized, 'Unauthorized');
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
  const open = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    sockets.handleUpgrade(request, socket, head, (client: WebSocket) => sockets.emit('connection', client, request));
  return {
    matches: isGraphQLSocketPath,
    accept(request, socket, head, principal) {
      if (principal) {
        principals.set(request, principal);
        return open(request, socket, head);
      }
      void options.holdUntilAuthenticated().then(
        (release) => {
          places.set(request, release);
          // The connection's end, whatever became of it (a handshake ws refused never becomes a WebSocket).
          socket.once('close', release);
          open(request, socket, head);
        },
        (error: unknown) => {
          const refusal = toApiError(error);
          if (refusal instanceof ApiError) refuseWith(socket, refusal);
          else socket.destroy();
        },
      );
    },
    close() {
      for (const client of sockets.clients) client.close(1001, 'server shutting down');
      sockets.close();
    },
  };
}

/**
 * Who the socket is: the credential of its upgrade or of its ConnectionInit (when both,
 * the same key), or UNAUTHORIZED / RATE_LIMITED from the authentication step.
 */
async function authenticated(
  request: IncomingMessage,
  upgradedAs: Principal | undefined,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
): Promise<Principal> {
  const credential = connectionCredential(connectionParams);
  if (credential.kind === 'unusable') throw new ApiError('UNAUTHORIZED', credential.reason);
  if (credential.kind === 'none') {
    if (upgradedAs) return upgradedAs;
    throw new ApiError('UNAUTHORIZED', 'this API needs a credential: an API key in connectionParams ({ authorization: "Bearer <key>" })');
  }
  const check = credentialCheckOf(request);
  if (!check) throw new Error('a graphql-ws socket was admitted without the upgrade handler’s credential check');
  const principal = await check(credential.authorization);
  if (upgradedAs && principal.tokenId !== upgradedAs.tokenId)
    throw new ApiError('UNAUTHORIZED', 'connectionParams name another key than the upgrade’s credential');
  return upgradedAs ?? principal;
}

/** `reason` cut, at a character, to what a close frame holds. */
function closeReason(reason: string): string {
  let cut = reason;
  while (Buffer.byteLength(cut) > maxCloseReasonBytes) cut = cut.slice(0, -1);
  return cut;
}

function subscriptionsOnly(operation: 'query' | 'mutation'): GraphQLError {
  return new GraphQLError(`a WebSocket carries subscriptions only: send a ${operation} as an HTTP request to /graphql`, {
    extensions: { code: 'BAD_REQUEST' },
  });
}
