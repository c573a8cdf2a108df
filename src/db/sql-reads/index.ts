import type { PrismaClient } from '../database.js';
import { countSql, findManySql, type FindManyArgs } from './find-many-sql.js';

export type { FindManyArgs } from './find-many-sql.js';

/** A client that can send raw SQL: the PrismaClient, or a transaction's. */
type RawSql = Pick<PrismaClient, '$queryRawUnsafe'>;

/**
 * List reads as plain SQL through Prisma's connection (issue 11).
 *
 * A page of 100 rows through Prisma's query API cost ≈ 515 µs of CPU against ≈ 294 µs
 * for the same statement sent raw through the same client (a micro-benchmark on
 * PostgreSQL, 5 columns and a relation count): the query API turns every value of every
 * row into a tagged value, maps the rows through its result plan, and copies them again
 * while deserialising. A raw statement comes back with each column decoded once by its
 * database type, which for the columns read here is what the query API answers (text,
 * numbers, booleans, Date, parsed JSON, bigint, enum names).
 *
 * Each returns `undefined` when the read asks for more than is written here (related
 * rows in the selection, filters on JSON or list columns…): the caller asks Prisma.
 * The statements stay visible to query logging like any other.
 */
export function sqlFindMany<Row>(client: RawSql, model: string, args: FindManyArgs): Promise<Row[]> | undefined {
  const text = findManySql(model, args);
  return text && client.$queryRawUnsafe<Row[]>(text.sql, ...text.params);
}

export function sqlCount(client: RawSql, model: string, where: unknown): Promise<number> | undefined {
  const text = countSql(model, where);
  return text && client.$queryRawUnsafe<Array<{ count: bigint }>>(text.sql, ...text.params).then((rows) => Number(rows[0]?.count ?? 0));
}
