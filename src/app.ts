import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { requestUrls } from '../rest-compat/write/urls.js';
import { createAuditLog } from './audit/index.js';
import { fieldMeanings } from './audit/field-meanings.js';
import { useAudit } from './audit/graphql-plugin.js';
import { auditSinks } from './audit/sinks/index.js';
import { Access } from './auth/access.js';
import { invalidateCachesOnChange } from './auth/revocation.js';
import { installChangeCapture } from './changes/capture.js';
import { openChangeFeed, type ChangeFeed } from './changes/feed.js';
import { StreamRegistry } from './changes/registry.js';
import { openNotificationChannel } from './notify/channel.js';
import { authenticate } from './auth/authenticate.js';
import { addressCountKey, callerAddress, FailedAuthentications } from './auth/failed-authentications.js';
import { bootstrapAdmin, type BootstrapResult, prepareAdminPassword } from './bootstrap.js';
import { ConfigError, type Config } from './config.js';
import type { Context } from './context.js';
import { loadSecretBox } from './crypto/keys.js';
import { openDatabase, type Database, type DatabaseOptions } from './db/database.js';
import { applyPendingMigrations } from './db/migrate.js';
import { takeDataDirectory } from './db/data-dir.js';
import { requestLogger } from './http/request-log.js';
import { createFieldLimiter } from './graphql/field-limits.js';
import { createCors, isAllowed } from './http/cors.js';
import { createDashboard } from './dashboard/serve.js';
import { createRouter } from './http/router.js';
import { createUpgradeHandler } from './http/upgrade.js';
import { callerOf, rememberCaller } from './http/caller.js';
import { createRequestLimiter, overLimit, userCountKey } from './rate-limit/request-limiter.js';
import { closeRedis, connectRedis, redisStatus, whenRedisReady } from './rate-limit/redis.js';
import type { Logger } from './logger.js';
import { createTransport } from './proxy/index.js';
import type { AuditEventService } from './services/audit-events.js';
import type { CacheLifetimes } from './services/cache-lifetimes.js';
import { createServices } from './services/index.js';
import { lazyFaces } from './faces.js';
import { DeliveryProcess } from './http/delivery-process.js';
import { streamsStatus } from './http/streams-status.js';

export interface App {
  readonly server: Server;
  readonly database: Database;
  /** Base URL of this instance, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly bootstrap: BootstrapResult;
  /** Every committed write of every instance (src/changes/feed.ts). */
  readonly changes: ChangeFeed;
  /** This instance's change streams (subscriptions, /v3/subscribe, /v1 watch). */
  readonly streams: StreamRegistry;
  /** Writes GraphQL-over-SSE streams' events (src/http/delivery-process.ts); absent when STREAM_DELIVERY_PROCESS=off. */
  readonly deliveryProcess: DeliveryProcess | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the database. */
  close(): Promise<void>;
}

/** What a caller of {@link startApp} may add beyond the configuration: hooks on the database, shorter cache backstops. */
export interface StartOptions extends DatabaseOptions {
  cacheLifetimes?: Partial<CacheLifetimes>;
}

/**
 * The composition root: database → migrations → first-start data → services →
 * faces → HTTP listener. `main.ts` calls it for the real process, tests call it
 * with their own configuration.
 */
export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<App> {
  const { cacheLifetimes, ...databaseOptions } = options;
  const dataDirectory = config.databaseUrl ? undefined : (databaseOptions.dataDirectory ?? takeDataDirectory(config.dataDir, databaseOptions.startImage));
  // A new DATA_DIR: the admin's password is hashed (thread pool) while PGlite opens.
  const adminPassword = (await dataDirectory)?.created ? prepareAdminPassword(config.bootstrapPassword) : undefined;
  const database = await openDatabase(config, { onLooseDataDir: (message) => logger.warn(message), ...databaseOptions, dataDirectory });
  // One connection to Redis (when configured) for both kinds of limit.
  const redis = await connectRedis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, logger });
  let closeFeed: (() => Promise<void>) | undefined;
  try {
    await applyPendingMigrations(database, logger);
    await installChangeCapture(database, logger);
    // On a first start the admin's password hash (scrypt, ≈ 0.4 s on the thread pool) is
    // made while this thread goes on (begun above when the database is new, or here once
    // the admin is found missing); awaited before listening.
    const bootstrapping = bootstrapAdmin(database, config.bootstrapPassword, adminPassword);
    // A failure is thrown where it is awaited, not reported as unhandled meanwhile.
    bootstrapping.catch(() => undefined);
    const transport = createTransport({ ca: await proxyTrust(config) });
    const services = createServices(database.prisma, {
      secrets: await loadSecretBox(config, logger),
      metaProxy: { audit: logger, transport },
      settingsFromEnvironment: config.settingsFromEnvironment,
      ...(cacheLifetimes ? { cacheLifetimes } : {}),
    });
    const notifications = await openNotificationChannel(database, logger);
    const changes = await openChangeFeed(database, notifications, logger);
    invalidateCachesOnChange(changes, services);
    services.counts.followChanges(changes);
    const audit = createAuditLog(config.auditLevel, config.auditLevel > 0 ? auditSinks(config, database.prisma) : [], logger);
    const streams = new StreamRegistry(changes, services.settings, services.tokens, audit, database.prisma);
    const closeChanges = async () => {
      await changes.close();
      await notifications.close();
    };
    closeFeed = closeChanges;
    const requestLimiter = createRequestLimiter(redis);
    // Every request is counted: the limit is read without waiting when the setting is cached, as it nearly always is.
    const countRequest = (key: string) => {
      const limit = services.settings.currentNumber('api-rate-limit');
      return typeof limit === 'number' ? requestLimiter.consume(key, limit) : limit.then((read) => requestLimiter.consume(key, read));
    };
    const failedAuthentications = new FailedAuthentications((address) => countRequest(addressCountKey(address)));
    // The one authentication every face and WebSocket upgrade goes through.
    const authenticateRequest = (request: IncomingMessage) => authenticate(request, services.tokens, failedAuthentications);
    await services.nodeDrivers.seedBuiltins(database.read);
    await services.settings.seed(database.read);
    await services.roleTemplates.seed(database.read);
    const bootstrap = await bootstrapping;
    // The router authenticates each request once; every face's context reads the result.
    const limitField = createFieldLimiter(redis);
    const createContext = (request: IncomingMessage): Context => {
      const principal = callerOf(request);
      return {
        prisma: database.prisma,
        services,
        principal,
        access: new Access(database.prisma, principal),
        clientAddress: request.socket.remoteAddress ?? 'unknown',
        limitField,
        // Built when a resolver opens a stream, not for every request.
        get streams() {
          return streams.of(request);
        },
        // Worked out only when an answer needs it (kubeconfigs), not on every request.
        get baseUrl() {
          return requestUrls(request).base;
        },
      };
    };
    const corsOrigins = { configured: config.corsOrigins, fromSetting: () => services.settings.value('cors-allowed-origins') };
    const trustedDocumentsOnly = async () => (await services.settings.value('graphql-trusted-documents-only')) === 'true';
    // Started at the first GraphQL-over-SSE stream, never when no one subscribes.
    const deliveryProcess = config.streamDeliveryProcess === 'on' ? new DeliveryProcess(logger, { niceness: config.streamDeliveryNiceness }) : undefined;
    const faces = lazyFaces(
      logger,
      createContext,
      (schema, model) => ({
        trustedDocumentsOnly,
        // Off (the default), the audit log adds nothing to the pipeline.
        plugins: config.auditLevel > 0 ? [useAudit({ schema, auditOf: audit.of, meaningOf: fieldMeanings(model) })] : [],
        deliveryProcess,
      }),
      {
        recheck: (principal) => services.tokens.recheck(principal),
        count: async (principal) => {
          const decision = await countRequest(userCountKey(principal));
          return decision.allowed ? undefined : overLimit(decision);
        },
        trustedDocumentsOnly,
        holdUntilAuthenticated: () => streams.holdUntilAuthenticated(),
      },
    );
    const route = createRouter({
      database,
      redisStatus: () => redisStatus(redis),
      streamsStatus: () => streamsStatus(streams, deliveryProcess),
      graphql: faces.graphql,
      restCompat: faces.restCompat,
      logger,
      authenticate: authenticateRequest,
      metaProxy: services.metaProxy.dependencies,
      dashboard: createDashboard(),
      cors: createCors(corsOrigins),
      audit,
      rateLimit: countRequest,
    });
    const logRequest = requestLogger(logger);
    const upgrade = createUpgradeHandler({
      logger,
      identify: async (request) => {
        const principal = await authenticateRequest(request);
        rememberCaller(request, principal);
        return principal;
      },
      routes: faces.sockets,
      originAllowed: (origin) => isAllowed(origin, corsOrigins),
      countAnonymous: async (request) => {
        const decision = await countRequest(addressCountKey(callerAddress(request)));
        return decision.allowed ? undefined : overLimit(decision);
      },
    });

    const server = createServer((request, response) => {
      logRequest(request, response);
      void route(request, response);
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(request, socket, head));
    const pruning = keepAuditRetention(services.auditEvents, logger);
    await whenRedisReady(redis);
    await listen(server, config.port, config.host);
    // Prisma's client builds its query compiler from the data model at its first query
    // (≈ 80 ms of this thread); the start read around it (Database.read), so it is built
    // now, while the first client is on its way, rather than inside that client's request.
    setImmediate(() => void database.prisma.$connect().catch(() => undefined));
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

    const closeAll = async (): Promise<void> => {
      // Streams never finish by themselves: end them first so the server can drain.
      streams.endAll();
      await faces.closeSockets();
      await stopServer(server, config.shutdownGraceMs);
      // After the streams' last events were handed to it.
      await deliveryProcess?.close();
      pruning.close();
      // What the last requests queued is written while the database is still open.
      await audit.close();
      await closeRedis(redis);
      await transport.close();
      await closeChanges();
      await database.close();
    };
    let closing: Promise<void> | undefined;

    return {
      server,
      database,
      bootstrap,
      changes,
      streams,
      deliveryProcess,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      // Once, however many callers ask (two signals, a signal and a test's teardown): a
      // second close would close the database under the first ("PGlite is closed").
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeFeed?.().catch(() => undefined);
    await closeRedis(redis);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Deletes audit entries past `audit-log-retention-days` a minute after the start and
 * every hour after (on every instance: deletes are idempotent). Not at once: its two
 * statements would be the first the start plans with Prisma's query compiler (see
 * src/db/start-reads.ts), on this thread just as the first requests arrive.
 */
function keepAuditRetention(auditEvents: AuditEventService, logger: Logger): { close(): void } {
  const prune = () => void auditEvents.prune().catch((error: unknown) => logger.warn({ err: error }, 'could not prune audit entries'));
  let hourly: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    prune();
    hourly = setInterval(prune, 3_600_000).unref();
  }, 60_000).unref();
  return {
    close() {
      clearTimeout(first);
      clearInterval(hourly);
    },
  };
}

/** The CAs upstream TLS may chain to: the public roots, plus a private CA when configured. */
async function proxyTrust(config: Config): Promise<string[] | undefined> {
  if (!config.proxyCaFile) return undefined;
  const extra = await readFile(config.proxyCaFile, 'utf8').catch(() => {
    throw new ConfigError(`CATTLE_PROXY_CA_FILE: cannot read ${config.proxyCaFile}`);
  });
  // Giving TLS a `ca` replaces the default roots, so they are passed along explicitly.
  return [...rootCertificates, extra];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new ConfigError(`PORT: ${port} is already in use on ${host}`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new ConfigError(`HOST: cannot listen on ${host}`));
      else if (error.code === 'EACCES') reject(new ConfigError(`PORT: no permission to listen on ${port}`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

/**
 * Graceful stop: refuse new connections, close idle keep-alive ones, let requests
 * in flight finish; after the grace period, cut whatever is left.
 */
function stopServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
