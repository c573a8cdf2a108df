import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { DatabaseOptions, SqlRead } from './database.js';

/** Prisma's client over `adapter`, telling `onQuery` of every statement when asked to. */
export function createPrismaClient(adapter: SqlMigrationAwareDriverAdapterFactory, { onQuery }: DatabaseOptions): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onQuery(event.query, 'prisma'));
  return prisma;
}

/** `Database.ping`: a trivial read the way this database reads. */
export function pingWith(read: SqlRead): () => Promise<void> {
  return async () => {
    await read(Prisma.sql`SELECT 1`);
  };
}
