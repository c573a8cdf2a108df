import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLServer } from '../src/graphql/yoga.js';
import type { Logger } from '../src/logger.js';
import { createOperationRunner } from './execute/run.js';
import { createV3Handler } from './handler.js';
import { isV1Path } from './paths.js';
import { normanSubscribeRoute } from './subscribe.js';
import type { SocketRoute } from '../src/http/upgrade.js';
import type { ApiModel } from './schemas/types.js';
import { apiUiAssets } from './ui/page.js';
import { createV1Handler } from './v1/handler.js';
import { createPublicBrowser, publicPrefix } from './v3-public/browse.js';
import { createPublicHandler } from './v3-public/login.js';
import { statusFromGraphQLError } from './v1/status.js';

export type { ApiModel };

export interface RestCompat {
  model: ApiModel;
  /** Rancher's /v3/subscribe WebSocket (subscribe.ts), for the server's upgrade handler. */
  subscribe: SocketRoute & { close(): void };
  /** Answers /v3, /v3-public and /v1 requests and the API UI's assets; false when the path is not ours. */
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean>;
}

/**
 * Rancher's /v3 API, derived at start-up from the GraphQL schema and answered by
 * running GraphQL operations in process through the same Yoga pipeline and context;
 * and the Kubernetes-shaped /v1 view of some of the same resources (v1/), served by
 * the same runner from the same derived model.
 */
export function createRestCompat(options: {
  schema: GraphQLSchema;
  /** `deriveApiModel(schema)` (schemas/derive.ts), derived once by the caller. */
  model: ApiModel;
  graphql: GraphQLServer;
  logger: Logger;
}): RestCompat {
  const { model } = options;
  const handleV3 = createV3Handler({ model, schema: options.schema, run: createOperationRunner(options.graphql), logger: options.logger });
  const handlePublic = createPublicHandler({
    model,
    schema: options.schema,
    run: createOperationRunner(options.graphql),
    logger: options.logger,
    browse: createPublicBrowser(model, options.schema),
  });
  const handleV1 = createV1Handler({
    model,
    run: createOperationRunner(options.graphql, statusFromGraphQLError),
    graphql: options.graphql,
    logger: options.logger,
  });
  return {
    model,
    subscribe: normanSubscribeRoute({ model, graphql: options.graphql, run: createOperationRunner(options.graphql), logger: options.logger }),
    async handle(request, response, pathname) {
      if (pathname.toLowerCase() === publicPrefix || pathname.toLowerCase().startsWith(`${publicPrefix}/`)) {
        await handlePublic(request, response);
        return true;
      }
      if (pathname === '/v3' || pathname.startsWith('/v3/')) {
        await handleV3(request, response);
        return true;
      }
      if (pathname === publicPrefix || pathname.startsWith(`${publicPrefix}/`)) {
        handlePublic(request, response);
        return true;
      }
      if (isV1Path(pathname)) {
        await handleV1(request, response);
        return true;
      }
      return apiUiAssets.serve(request, response, pathname);
    },
  };
}
