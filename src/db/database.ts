import type { PGlite } from '@electric-sql/pglite';
import type { ClientConfig } from 'pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { ConfigError, type Config } from '../config.js';
import { firstLine } from '../errors.js';
import { createPrismaClient, pingWith } from './client.js';
import type { TakenDataDirectory } from './data-dir.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export type { PrismaClient };

/**
 * A read as plain SQL, rows as objects. Integers of eight bytes come back as numbers or
 * bigints depending on the driver: convert them where they are read.
 */
export type SqlRead = <Row>(query: Prisma.Sql) => Promise<Row[]>;

/**
 * One database, whichever engine is behind it. The Prisma client and the migration
 * runner share the adapter factory, so both talk to the same PGlite instance or the
 * same PostgreSQL server.
 */
export interface Database {
  readonly kind: 'embedded' | 'postgres';
  readonly prisma: PrismaClient;
  /**
   * Plain SQL reads that do not wake Prisma's client. Its first query of any kind builds
   * the query compiler from the data model (≈ 80 ms of this thread, WebAssembly), which a
   * start that only reads (src/db/start-reads.ts) need not pay before it listens: on the
   * embedded database these go to PGlite itself; on PostgreSQL through Prisma's raw query.
   */
  readonly read: SqlRead;
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The PostgreSQL schema the tables live in (`public` unless the URL names one). */
  readonly schema: string;
  /**
   * How to hear NOTIFY: the embedded database's own listener, or the settings for a
   * dedicated PostgreSQL connection (a pooled one cannot hold LISTEN). src/notify/ uses it.
   */
  readonly listener: { kind: 'embedded'; pglite: PGlite } | { kind: 'postgres'; config: ClientConfig };
  /** A human-readable location for the banner (never contains a password). */
  readonly location: string;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called with every SQL statement sent, and whether Prisma's client or {@link Database.read} sent it (tests count them; nothing else needs it). */
  onQuery?: (sql: string, via: 'prisma' | 'read') => void;
  /** Told once when DATA_DIR was found readable by others and tightened. */
  onLooseDataDir?: (message: string) => void;
  /** DATA_DIR as the caller began taking it (main.ts and startApp do, see data-dir.ts); taken here when not given. */
  dataDirectory?: Promise<TakenDataDirectory>;
  /**
   * The start image (a data directory) a new DATA_DIR is copied from instead of the
   * build's (tests make their own), or `false` for none: PGlite runs initdb (tests that
   * replay the history from its start).
   */
  startImage?: string | false;
}

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: DatabaseOptions = {}): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, options);
  // PGlite and its Prisma adapter are loaded only for the embedded database: a server on PostgreSQL never needs them.
  const { openEmbedded } = await import('./embedded-database.js');
  return openEmbedded(config.dataDir, options);
}

/**
 * {@link Database.read} through Prisma's raw query, for PostgreSQL: its connections belong to the
 * client's adapter, so the client is built at the start's first read there, as before.
 */
function readThroughPrisma(prisma: PrismaClient): SqlRead {
  return (query) => prisma.$queryRaw(query);
}

async function openPostgres(databaseUrl: string, options: DatabaseOptions): Promise<Database> {
  const url = new URL(databaseUrl);
  // `?schema=` selects a PostgreSQL schema, as Prisma's own URLs do. node-postgres
  // does not understand the parameter, so it becomes the session's search_path.
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const clientConfig: ClientConfig = {
    connectionString: url.toString(),
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path="${schema.replaceAll('"', '""')}"` } : {}),
  };
  // Prisma's PostgreSQL adapter (and node-postgres under it) is loaded only for a DATABASE_URL: the embedded start never needs it.
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapterFactory = new PrismaPg(clientConfig, schema ? { schema } : undefined);
  const prisma = createPrismaClient(adapterFactory, options);
  const read = readThroughPrisma(prisma);
  const database: Database = {
    kind: 'postgres',
    prisma,
    read,
    schema: schema ?? 'public',
    listener: { kind: 'postgres', config: clientConfig },
    adapterFactory,
    location: `PostgreSQL at ${url.host}${url.pathname}${schema ? ` (schema ${schema})` : ''}`,
    ping: pingWith(read),
    close: () => prisma.$disconnect(),
  };
  try {
    await database.ping();
    // A schema named in the URL is created on first use, like `prisma migrate deploy` does.
    if (schema) await prisma.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new ConfigError(`DATABASE_URL: cannot connect to ${url.host}${url.pathname}: ${firstLine(error)}`);
  }
  return database;
}
