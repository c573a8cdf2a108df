import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('needs nothing: the embedded database in ./data on port 8080', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: path.resolve('data'), logLevel: 'info' });
    // The audit log is off, with Rancher's rotation defaults ready for when it is turned on.
    expect(config).toMatchObject({ auditLevel: 0, auditLogMaxSize: 100, auditLogMaxBackup: 10, auditLogMaxAge: 10 });
    expect(config.databaseUrl).toBeUndefined();
    // Redis keys carry a prefix even when nobody chose one.
    expect(config.redisKeyPrefix).toBe('cattle-graph:');
    // Live changes are written by a process of their own, below the server's priority.
    expect(config).toMatchObject({ streamDeliveryProcess: 'on', streamDeliveryNiceness: 10 });
  });

  it('reads every documented variable', () => {
    const environment = {
      PORT: '9000',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://u@db:5432/rancher?schema=api',
      DATA_DIR: '/var/lib/api',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'rancher-a:',
      LOG_LEVEL: 'debug',
      CATTLE_BOOTSTRAP_PASSWORD: 'correct horse',
      SHUTDOWN_GRACE_MS: '500',
      CATTLE_CORS_ORIGINS: 'https://app.example.com:8443, http://127.0.0.1:5173',
      AUDIT_LEVEL: '2',
      AUDIT_LOG_PATH: '/var/log/auditlog/api-audit.log',
      AUDIT_LOG_MAXSIZE: '50',
      AUDIT_LOG_MAXBACKUP: '3',
      AUDIT_LOG_MAXAGE: '7',
      CATTLE_ENCRYPTION_KEY: 'bmV3LWtleQ==,b2xkLWtleQ==',
      CATTLE_PROXY_CA_FILE: '/etc/ssl/private-ca.pem',
      CATTLE_SERVER_URL: 'https://rancher.example.com',
      STREAM_DELIVERY_PROCESS: 'off',
      STREAM_DELIVERY_NICENESS: '0',
    };
    // The README's configuration table is the list of what an operator may set.
    expect(Object.keys(environment).sort()).toEqual(documentedVariables());
    const config = loadConfig(environment);
    expect(config).toStrictEqual({
      port: 9000,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u@db:5432/rancher?schema=api',
      dataDir: '/var/lib/api',
      redisUrl: 'redis://127.0.0.1:6379',
      redisKeyPrefix: 'rancher-a:',
      logLevel: 'debug',
      bootstrapPassword: 'correct horse',
      shutdownGraceMs: 500,
      encryptionKeys: 'bmV3LWtleQ==,b2xkLWtleQ==',
      proxyCaFile: '/etc/ssl/private-ca.pem',
      settingsFromEnvironment: { 'server-url': 'https://rancher.example.com' },
      corsOrigins: ['https://app.example.com:8443', 'http://127.0.0.1:5173'],
      auditLevel: 2,
      auditLogPath: '/var/log/auditlog/api-audit.log',
      auditLogMaxSize: 50,
      auditLogMaxBackup: 3,
      auditLogMaxAge: 7,
      streamDeliveryProcess: 'off',
      streamDeliveryNiceness: 0,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' })).toMatchObject({ port: 8080, databaseUrl: undefined });
  });

  it.each([
    [{ PORT: '70000' }, /^PORT: /],
    [{ CATTLE_CORS_ORIGINS: 'https://*.example.com' }, /^CATTLE_CORS_ORIGINS: /],
    [{ PORT: 'http' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /^DATABASE_URL: must be a postgres/],
    [{ DATABASE_URL: 'postgres://' }, /^DATABASE_URL: /],
    [{ REDIS_URL: 'not a url' }, /^REDIS_URL: /],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: /],
    [{ REDIS_KEY_PREFIX: 'x'.repeat(101) }, /^REDIS_KEY_PREFIX: /],
    [{ AUDIT_LEVEL: '4' }, /^AUDIT_LEVEL: must be 0, 1, 2 or 3/],
    [{ AUDIT_LOG_MAXSIZE: '0' }, /^AUDIT_LOG_MAXSIZE: /],
    [{ AUDIT_LOG_MAXBACKUP: '-1' }, /^AUDIT_LOG_MAXBACKUP: /],
    [{ AUDIT_LOG_MAXAGE: 'ten' }, /^AUDIT_LOG_MAXAGE: /],
    [{ STREAM_DELIVERY_PROCESS: 'yes' }, /^STREAM_DELIVERY_PROCESS: must be on or off/],
    [{ STREAM_DELIVERY_NICENESS: '20' }, /^STREAM_DELIVERY_NICENESS: /],
    [{ STREAM_DELIVERY_NICENESS: '-1' }, /^STREAM_DELIVERY_NICENESS: /],
    [{ STREAM_DELIVERY_NICENESS: 'low' }, /^STREAM_DELIVERY_NICENESS: /],
  ])('names the variable at fault in %j', (environment, message) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    expect(() => loadConfig(environment)).toThrow(message);
  });
});

/**
 * The variables in README's configuration table, with its `CATTLE_<SETTING>` row
 * stood for by one setting (`CATTLE_SERVER_URL`).
 */
function documentedVariables(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const names = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_<>]*)` \|/gm)].map((match) => match[1]!);
  return names.map((name) => (name === 'CATTLE_<SETTING>' ? 'CATTLE_SERVER_URL' : name)).sort();
}
