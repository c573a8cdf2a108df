import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromApiError } from '../../rest-compat/errors.js';
import { isV1Path } from '../../rest-compat/paths.js';
import { statusFromApiError } from '../../rest-compat/v1/status.js';
import { auditFaceOf, type AuditLog } from '../audit/index.js';
import { auditedProxyCalls } from '../audit/proxy-hook.js';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/database.js';
import { ApiError, asGraphQLErrorShape, toApiError } from '../errors.js';
import { graphiqlAssets } from '../graphiql/assets.js';
import type { Faces } from '../faces.js';
import { graphqlEndpoint } from '../graphql/endpoint.js';
import type { Logger } from '../logger.js';
import { handleMetaProxy, metaProxyPrefix, type ProxyDependencies } from '../proxy/index.js';
import { proxyCallerOf } from '../services/meta-proxy.js';
import { rememberCaller } from './caller.js';
import { healthz, ping } from './health.js';
import { overLimit, rateLimitHeaders, type RateLimitDecision, userCountKey } from '../rate-limit/request-limiter.js';
import { addressCountKey, callerAddress } from '../auth/failed-authentications.js';
import { sendJson } from './respond.js';
import { invalidUtf8, hasUtf8Escapes } from './strict-utf8.js';

export interface RouterDependencies {
  database: Database;
  /** Whether limits are shared through Redis right now (`ok`, `unreachable`, `not configured`), for /healthz. */
  redisStatus: () => string;
  /** The live-change streams as /healthz shows them: open, buffered, ended by reason, how their events went. */
  streamsStatus: () => object;
  graphql: Faces['graphql'];
  logger: Logger;
  restCompat: Faces['restCompat'];
  /** The authentication step (src/auth/authenticate.ts), bound to this server's services. */
  authenticate: (request: IncomingMessage) => Promise<Principal | null>;
  /** Remembers who made a request, for the context every face builds from it. */
  /** Counts a request against the caller's per-minute limit (the `api-rate-limit` setting). */
  rateLimit: (key: string) => Promise<RateLimitDecision>;
  /** The meta proxy as this server runs it (allow list, credentials, audit, transport). */
  metaProxy: ProxyDependencies;
  /** Adds CORS headers for allowed origins; true when it answered (a preflight) itself (./cors.ts). */
  cors: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  /** The web console's page and assets (public: the data behind it needs a session). */
  dashboard: (request: IncomingMessage, response: ServerResponse, pathname: string) => Promise<boolean>;
  /** The API audit log: each request to a face is opened here, with its HTTP facts. */
  audit: AuditLog;
}

type Face = 'graphql' | 'norman' | 'kubernetes';

/**
 * The front door: one `node:http` listener that picks a face by path, authenticates
 * the caller once for every face, and guarantees that nothing escapes as an unhandled
 * rejection or a half-written response. Each face answers in its own error format.
 */
export function createRouter(dependencies: RouterDependencies) {
  const { database, graphql, logger, restCompat } = dependencies;

  /** Authenticates once and records who asked, for the context and the request log. */
  async function identify(request: IncomingMessage): Promise<Principal | null> {
    const principal = await dependencies.authenticate(request);
    rememberCaller(request, principal);
    dependencies.audit.of(request)?.identify(principal);
    return principal;
  }

  /** Authenticates and counts the request against its caller's limit, or answers 401/429 itself and returns nothing. */
  async function admit(
    request: IncomingMessage,
    response: ServerResponse,
    face: Face,
    required: boolean,
  ): Promise<{ principal: Principal | null } | undefined> {
    try {
      const principal = await identify(request);
      if (!principal && required) throw new ApiError('UNAUTHORIZED', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie');
      // Per user, whichever key they use; anonymous callers (logins) per address.
      const decision = await dependencies.rateLimit(principal ? userCountKey(principal) : addressCountKey(callerAddress(request)));
      const headers = rateLimitHeaders(decision);
      for (const name in headers) response.setHeader(name, headers[name]!);
      if (!decision.allowed) throw overLimit(decision);
      return { principal };
    } catch (error) {
      const apiError = toApiError(error);
      if (!(apiError instanceof ApiError)) throw error;
      writeError(response, face, apiError);
      return undefined;
    }
  }

  return async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = pathnameOf(request.url);
    try {
      if (await dependencies.cors(request, response)) return;
      // Percent-escapes that decode to no UTF-8 would reach every face as U+FFFD.
      if (!hasUtf8Escapes(request.url ?? '/')) return writeError(response, faceOfPath(pathname), invalidUtf8('the request path or query string'));
      if (pathname === '/ping') return ping(response);
      if (pathname === '/healthz')
        return await healthz(response, database, () => ({
          // Without Redis the API still works, counting limits per instance.
          redis: { status: dependencies.redisStatus() },
          audit: { level: dependencies.audit.level, ...dependencies.audit.stats() },
          streams: dependencies.streamsStatus(),
        }));
      if (await graphiqlAssets.serve(request, response, pathname)) return;
      if (await dependencies.dashboard(request, response, pathname)) return;
      if (pathname === graphqlEndpoint) {
        // The GraphiQL page itself is public; every operation is checked by the schema.
        const isPage = request.method === 'GET' && String(request.headers.accept ?? '').includes('text/html');
        if (!isPage) dependencies.audit.begin(request, response, 'graphql');
        if (!isPage && !(await admit(request, response, 'graphql', false))) return;
        await graphql.handle(request, response, {});
        return;
      }
      const face = auditFaceOf(pathname);
      if (face) dependencies.audit.begin(request, response, face);
      if (pathname.toLowerCase().startsWith('/v3-public') && !(await admit(request, response, 'norman', false))) return;
      if (pathname.startsWith(metaProxyPrefix)) {
        // Admitted like /v3 (401 and 429 as Norman errors); the proxy answers the rest itself.
        const admitted = await admit(request, response, 'norman', true);
        if (!admitted?.principal) return;
        const audit = auditedProxyCalls(dependencies.metaProxy.audit, dependencies.audit.of(request));
        return await handleMetaProxy(request, response, proxyCallerOf(admitted.principal), { ...dependencies.metaProxy, audit });
      }
      if (pathname === '/v3' || pathname.startsWith('/v3/')) {
        // A registration token's `manifestUrl`: public in Rancher, the token in its name its
        // credential. No agent connects to this server, so it serves no manifest, to anyone.
        if (pathname.startsWith('/v3/import/'))
          return writeError(response, 'norman', new ApiError('NOT_FOUND', 'this server serves no cluster agent manifest: no agent connects to it'));
        if (!(await admit(request, response, 'norman', true))) return;
      }
      // The Kubernetes-shaped view: the same admission, refusals as Status objects.
      if (isV1Path(pathname) && !(await admit(request, response, 'kubernetes', true))) return;
      if (await restCompat.handle(request, response, pathname)) return;
      writeError(response, 'norman', new ApiError('NOT_FOUND', `no route for ${request.method} ${pathname}`));
    } catch (error) {
      logger.error({ err: error, path: pathname }, 'unhandled error in request');
      if (!response.headersSent) writeError(response, 'norman', new ApiError('INTERNAL_SERVER_ERROR', 'internal server error'));
      else response.destroy();
    }
  };
}

/** Whose error format a path answers in: GraphQL's, Kubernetes' on /v1, Norman's elsewhere (as the 404 for no route). */
function faceOfPath(pathname: string): Face {
  if (pathname === graphqlEndpoint) return 'graphql';
  return isV1Path(pathname) ? 'kubernetes' : 'norman';
}

/** A refusal in the face's own format: a GraphQL error body, Norman's error object, or a Kubernetes Status. */
function writeError(response: ServerResponse, face: Face, error: ApiError): void {
  const challenge: Record<string, string> = error.code === 'UNAUTHORIZED' && face === 'norman' ? { 'www-authenticate': 'Basic realm="API key"' } : {};
  if (face === 'graphql') {
    // As Yoga answers its own errors: status and headers are the response's, never in the body (`extensions.http`).
    const { message, extensions } = asGraphQLErrorShape(error);
    const { http: _http, ...shown } = extensions;
    sendJson(response, error.status, { errors: [{ message, extensions: shown }] }, error.details.headers);
    return;
  }
  if (face === 'kubernetes') {
    const status = statusFromApiError(error);
    sendJson(response, status.code, status.toStatus(), status.headers);
    return;
  }
  // The one Norman error table (rest-compat/errors.ts), so a refusal here reads like one from a resolver.
  const norman = fromApiError(error);
  sendJson(response, norman.status, norman.toJSON(), { ...norman.headers, ...challenge });
}

function pathnameOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!;
  return path.replace(/\/{2,}/g, '/');
}
