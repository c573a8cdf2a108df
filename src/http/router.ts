import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestCompat } from '../../rest-compat/index.js';
import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { graphiqlAssets } from '../graphiql/assets.js';
import { graphqlEndpoint, type GraphQLServer } from '../graphql/yoga.js';
import type { Logger } from '../logger.js';
import { healthz, ping } from './health.js';
import { sendNormanError } from './respond.js';

export interface RouterDependencies {
  database: Database;
  graphql: GraphQLServer;
  logger: Logger;
  createContext: (request: IncomingMessage) => Context;
  restCompat: RestCompat;
}

/**
 * The front door: one `node:http` listener that picks a face by path. Each face
 * owns its own error format; this function only guarantees that nothing escapes
 * as an unhandled rejection or a half-written response.
 */
export function createRouter(dependencies: RouterDependencies) {
  const { database, graphql, logger, createContext, restCompat } = dependencies;

  return async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = pathnameOf(request.url);
    try {
      if (pathname === '/ping') return ping(response);
      if (pathname === '/healthz') return await healthz(response, database);
      if (pathname === graphqlEndpoint) {
        // The adapter, called as a request listener, parses and answers the request.
        await graphql.handle(request, response, { context: createContext(request) });
        return;
      }
      if (await graphiqlAssets.serve(request, response, pathname)) return;
      if (await restCompat.handle(request, response, pathname)) return;
      sendNormanError(response, 404, 'NotFound', `no route for ${request.method} ${pathname}`);
    } catch (error) {
      logger.error({ err: error, path: pathname }, 'unhandled error in request');
      if (!response.headersSent) sendNormanError(response, 500, 'ServerError', 'internal server error');
      else response.destroy();
    }
  };
}

function pathnameOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!;
  return path.replace(/\/{2,}/g, '/');
}
