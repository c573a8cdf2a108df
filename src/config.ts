import path from 'node:path';
import { z } from 'zod';
import { settingDefinitions, settingEnvironmentName } from './settings/definitions.js';
import { originList, validateOrigin } from './http/cors.js';
import type { AuditLevel } from './audit/entry.js';
import { defaultDeliveryNiceness } from './http/delivery-process.js';

/**
 * Everything the server reads from its environment, parsed and validated once at
 * start-up. Nothing else in the code base reads `process.env`.
 */
export type Config = z.infer<typeof configSchema>;

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/[^/]/.test(value) && URL.canParse(value), {
  message: 'must be a postgres:// or postgresql:// URL',
});

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL server for scale-out; absent means the embedded database under dataDir. */
  databaseUrl: postgresUrl.optional(),
  dataDir: z.string().min(1).default('./data'),
  /** Makes rate limits global across instances. */
  redisUrl: z.string().url().optional(),
  /**
   * Put before every key this server writes to Redis, so that deployments (or test
   * suites) sharing one Redis never count into each other's limits. Instances that
   * must share limits need the same prefix.
   */
  redisKeyPrefix: z.string().min(1).max(100).default('cattle-graph:'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Password for the `admin` user created on first start; generated when absent. */
  bootstrapPassword: z.string().min(1).optional(),
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),
  /**
   * Keys that encrypt secrets at rest: base64 32-byte keys, comma-separated, the
   * current one first. Absent: a key generated into DATA_DIR on first start.
   */
  encryptionKeys: z.string().min(1).optional(),
  /**
   * A PEM file of CAs the meta proxy trusts for upstream TLS besides the public roots
   * (a vCenter or Harvester behind a private CA).
   */
  proxyCaFile: z.string().min(1).optional(),
  /**
   * Settings fixed by the installation, as Rancher takes them: `CATTLE_<NAME>` for a
   * declared setting (`CATTLE_SERVER_URL` → `server-url`). They show `source: env`
   * and refuse changes through the API.
   */
  settingsFromEnvironment: z.record(z.string(), z.string()).default({}),
  /** Browser origins allowed to call the API with CORS (the `cors-allowed-origins` setting adds more). */
  corsOrigins: z
    .string()
    .default('')
    .refine((value) => originList(value).every((entry) => isOrigin(entry)), { message: 'must be comma-separated origins like https://app.example.com:8443' })
    .transform(originList),
  /**
   * Whether GraphQL-over-SSE streams' events are written by a process of their own
   * (src/http/delivery-process.ts), sparing the server's thread a system call per
   * subscriber and batch; `off` writes them from the server as before.
   */
  streamDeliveryProcess: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  /** The delivery process's nice value, 0–19 (src/http/delivery-process.ts says why it is lower than the server's). */
  streamDeliveryNiceness: z.coerce.number().int().min(0).max(19).default(defaultDeliveryNiceness),
  /** Rancher's API audit levels: 0 off, 1 metadata, 2 + request body, 3 + response body. */
  auditLevel: z
    .enum(['0', '1', '2', '3'], { message: 'must be 0, 1, 2 or 3' })
    .default('0')
    .transform((level) => Number(level) as AuditLevel),
  /** JSON-lines file of the audit log; absent or `-`: stdout. */
  auditLogPath: z.string().min(1).optional(),
  /** Rotate the audit file at this many megabytes… */
  auditLogMaxSize: z.coerce.number().int().min(1).default(100),
  /** …keep this many rotated files… */
  auditLogMaxBackup: z.coerce.number().int().min(0).default(10),
  /** …and none older than this many days (0: no age limit). */
  auditLogMaxAge: z.coerce.number().int().min(0).default(10),
});

function isOrigin(entry: string): boolean {
  try {
    validateOrigin(entry, 'origin');
    return true;
  } catch {
    return false;
  }
}

/** The environment variable behind each setting, for error messages and the README. */
const environmentNames: Record<Exclude<keyof Config, 'settingsFromEnvironment'>, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  dataDir: 'DATA_DIR',
  redisUrl: 'REDIS_URL',
  redisKeyPrefix: 'REDIS_KEY_PREFIX',
  logLevel: 'LOG_LEVEL',
  bootstrapPassword: 'CATTLE_BOOTSTRAP_PASSWORD',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  encryptionKeys: 'CATTLE_ENCRYPTION_KEY',
  proxyCaFile: 'CATTLE_PROXY_CA_FILE',
  corsOrigins: 'CATTLE_CORS_ORIGINS',
  streamDeliveryProcess: 'STREAM_DELIVERY_PROCESS',
  streamDeliveryNiceness: 'STREAM_DELIVERY_NICENESS',
  auditLevel: 'AUDIT_LEVEL',
  auditLogPath: 'AUDIT_LOG_PATH',
  auditLogMaxSize: 'AUDIT_LOG_MAXSIZE',
  auditLogMaxBackup: 'AUDIT_LOG_MAXBACKUP',
  auditLogMaxAge: 'AUDIT_LOG_MAXAGE',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(environmentNames).map(([key, name]) => [key, emptyToUndefined(environment[name])]));
  const parsed = configSchema.safeParse({ ...raw, settingsFromEnvironment: settingsIn(environment) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = environmentNames[issue.path[0] as keyof typeof environmentNames] ?? String(issue.path[0]);
    throw new ConfigError(`${variable}: ${issue.message}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}

function settingsIn(environment: NodeJS.ProcessEnv): Record<string, string> {
  const found: Record<string, string> = {};
  for (const { name, validate } of settingDefinitions) {
    const variable = settingEnvironmentName(name);
    const value = emptyToUndefined(environment[variable]);
    if (value === undefined) continue;
    try {
      validate?.(value);
    } catch (error) {
      throw new ConfigError(`${variable}: ${(error as Error).message}`);
    }
    found[name] = value;
  }
  return found;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
