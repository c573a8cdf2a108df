import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import type { CacheLifetimes } from '../../src/services/cache-lifetimes.js';
import { startApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { atServerPriority } from './delivery-process.js';
import { suiteKeyPrefix } from './redis.js';
import { createScratchSchema, type DatabaseTarget } from './targets.js';
import type { Json } from './json.js';

export interface TestApp {
  app: App;
  url: string;
  /** The admin's session key (`token-xxxxx:secret`); graphql() and v3() send it. */
  token: string;
  /** The admin's password, for tests that log in themselves. */
  adminPassword: string;
  /** Every SQL statement the server sent since the start (clear it to count one request's). */
  queries: string[];
  /**
   * The statements in `queries` that a request's own work sent: without the refreshes
   * of the settings cache and of the API-key cache (the key, its user and the user's
   * admin binding), which happen whenever a cache's lifetime ran out, so counting them
   * would make a count depend on the clock.
   */
  requestStatements(): string[];
  /** POSTs a GraphQL operation and returns the parsed response body. */
  graphql<T = Record<string, Json>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, Json> }>;
}

export interface TestAppOptions {
  /** Receives the server's log lines (at level info) instead of silence. */
  logTo?: DestinationStream;
  /** Shorter cache backstops, for suites that must not wait for one. */
  cacheLifetimes?: Partial<CacheLifetimes>;
}

/**
 * Starts the real server (HTTP, migrations, bootstrap) on a loopback port against a
 * fresh database of the given kind: a temporary PGlite directory, or a scratch
 * schema in PostgreSQL. Everything is removed again by `close()`.
 */
export async function startTestApp(target: DatabaseTarget, overrides: Partial<Config> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cattle-graph-test-'));
  const scratch = target.name === 'postgres' ? await createScratchSchema(target.url) : undefined;
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
    bootstrapPassword: 'admin-password-for-tests',
    shutdownGraceMs: 2_000,
    redisKeyPrefix: suiteKeyPrefix,
    streamDeliveryNiceness: atServerPriority.niceness,
    ...(scratch ? { databaseUrl: scratch.url } : {}),
    ...overrides,
  };
  const queries: string[] = [];
  const logger = options.logTo ? createLogger('info', options.logTo) : createLogger(config.logLevel);
  const app = await startApp(config, logger, {
    onQuery: (sql) => queries.push(sql),
    ...(options.cacheLifetimes ? { cacheLifetimes: options.cacheLifetimes } : {}),
  });
  const token = await login(app.url, 'admin', config.bootstrapPassword!);
  // Suites send far more than the default 100 requests a minute; the rate-limit suite lowers it again.
  const raised = await graphqlAs(app.url, token, `mutation { updateSetting(id: "api-rate-limit", input: { value: "1000000" }) { value } }`);
  if (raised.errors) throw new Error(`could not raise api-rate-limit: ${JSON.stringify(raised.errors)}`);
  return {
    app,
    url: app.url,
    token,
    adminPassword: config.bootstrapPassword!,
    queries,
    requestStatements: () => queries.filter((sql) => !cacheRefresh.test(sql)),
    graphql: (query, variables) => graphqlAs(app.url, token, query, variables),
    close: async () => {
      await app.close();
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A read by the settings cache or the API-key cache refreshing itself. */
const cacheRefresh = /^SELECT [^;]* FROM "[^"]+"\."(Setting|Token|User|GlobalRoleBinding)"(?: AS "\w+")? WHERE/;

/** Logs in through the public login route and returns the session key. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/v3-public/localProviders/local?action=login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || !body.token) throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** A GraphQL request with someone's key (or none, with `token` undefined). */
export async function graphqlAs<T = Record<string, Json>>(
  url: string,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<GraphQLResponse<T>>;
}
