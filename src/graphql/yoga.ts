import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Context } from '../context.js';
import { renderGraphiQLPage } from '../graphiql/page.js';
import type { DeliveryProcess } from '../http/delivery-process.js';
import type { Logger } from '../logger.js';
import { graphqlEndpoint } from './endpoint.js';
import { useDocumentLimits } from './document-limits.js';
import { useHttpCaching } from './http-caching.js';
import { useEveryInputError } from './input-errors.js';
import { graphQLErrorMasker } from './errors.js';
import { useRequestErrorCodes } from './request-errors.js';
import { useRequireCredential } from './require-credential.js';
import { useSharedSseEncoding } from './shared-sse.js';
import { useSharedSubscriptionEvents } from './shared-subscription-events.js';
import { useStrictUtf8Body } from './strict-utf8-body.js';
import { useBodilessRefusals } from './bodiless-refusals.js';
import { useWellFormedStrings } from './well-formed-strings.js';
import { useTrustedDocuments } from './trusted-documents.js';

/** What the HTTP server hands Yoga with every request (Yoga's "server context"). */
interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

export type GraphQLServer = YogaServerInstance<ServerContext, Context>;

const welcomeQuery = `# Welcome to the management API.
# Ctrl-Enter runs a query; the Docs panel lists every type.
query Clusters {
  clusters(first: 10) {
    totalCount
    edges { node { id name state projects { totalCount } } }
  }
}
`;

export interface GraphQLServerOptions {
  /** Whether only the client package's persisted documents may run (a setting, read per request). */
  trustedDocumentsOnly: () => Promise<boolean>;
  /** Plugins the composition root adds (the audit log's, when it is on). */
  plugins?: Plugin[];
  /** Writes GraphQL-over-SSE streams' events off the server's thread (src/http/delivery-process.ts); absent, the server writes them. */
  deliveryProcess?: DeliveryProcess;
}

export function createGraphQLServer(
  schema: GraphQLSchema,
  logger: Logger,
  createContext: (request: IncomingMessage) => Context,
  options: GraphQLServerOptions,
): GraphQLServer {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint,
    // The same context every face builds from the request (its principal included).
    context: ({ req }) => createContext(req),
    landingPage: false,
    // Same-origin only: Yoga's default echoes any Origin with credentials allowed, which
    // would let any site drive a logged-in browser's session.
    cors: false,
    // No uploads in this API: less surface.
    multipart: false,
    // The body limit is enforced where the body is read, strictly as UTF-8 (strict-utf8-body.ts).
    maxRequestBodySize: false,
    graphiql: { title: 'Management API — GraphiQL', defaultQuery: welcomeQuery },
    renderGraphiQL: (options) =>
      renderGraphiQLPage({
        title: options?.title ?? 'GraphiQL',
        endpoint: graphqlEndpoint,
        defaultQuery: typeof options?.defaultQuery === 'string' ? options.defaultQuery : welcomeQuery,
      }),
    maskedErrors: { maskError: graphQLErrorMasker(logger) },
    // Error contract (README, "Errors"): request errors (document, variables, limits) are
    // 400 under application/graphql-response+json, 200 under application/json; missing
    // credentials 401, rate limits 429; errors while executing travel in a 200 answer.
    plugins: [
      useBodilessRefusals(),
      useStrictUtf8Body(),
      useTrustedDocuments(options.trustedDocumentsOnly),
      useRequireCredential(),
      useWellFormedStrings(),
      useDocumentLimits(),
      useRequestErrorCodes(),
      useEveryInputError(),
      useHttpCaching(),
      useSharedSubscriptionEvents(),
      useSharedSseEncoding(options.deliveryProcess),
      ...(options.plugins ?? []),
    ],
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, 'yoga'),
      info: (...args) => logger.info({ yoga: args }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args }, 'yoga'),
      // Unexpected errors are logged where they are masked (graphql/errors.ts); what
      // Yoga reports here are the errors it sends to clients, which are not ours to alarm on.
      error: (...args) => logger.debug({ yoga: args }, 'yoga'),
    },
  });
}
