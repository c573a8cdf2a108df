import { Prisma, type RoleTemplateContext } from '../generated/prisma/client.js';
import type { SqlRead } from './database.js';

/**
 * The reads every start makes, as plain SQL through {@link SqlRead} (`Database.read`).
 * Prisma's client plans each distinct statement of its query API with its query
 * compiler (WebAssembly) before sending it: 15–60 ms a statement while the compiler is
 * cold, which it is at every start, and those plans were the largest part of a start
 * on an existing DATA_DIR (issue 12). Even a raw statement through the client builds
 * the compiler first (≈ 80 ms); these reads on the embedded database go to PGlite
 * itself, so a start that finds everything in place wakes neither. What a start writes
 * when something is missing, and everything after the start, goes through the typed API.
 */

/** The seeds among `items` (each stored under `idOf(item)`) that a seeded table does not hold yet. */
export async function unstored<T>(read: SqlRead, table: 'NodeDriver' | 'Setting', items: readonly T[], idOf: (item: T) => string): Promise<T[]> {
  if (items.length === 0) return [];
  const rows = await read<{ id: string }>(Prisma.sql`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id IN (${Prisma.join(items.map(idOf))})`);
  const stored = new Set(rows.map((row) => row.id));
  return items.filter((item) => !stored.has(idOf(item)));
}

export interface StoredRoleTemplate {
  id: string;
  name: string;
  description: string;
  context: RoleTemplateContext;
}

/** The role templates among `ids`, with what the seed keeps current. */
export async function storedRoleTemplates(read: SqlRead, ids: readonly string[]): Promise<StoredRoleTemplate[]> {
  if (ids.length === 0) return [];
  return read<StoredRoleTemplate>(Prisma.sql`SELECT id, name, description, context::text AS context FROM "RoleTemplate" WHERE id IN (${Prisma.join(ids)})`);
}

/** The id of the user with this name, if there is one. */
export async function userIdByName(read: SqlRead, username: string): Promise<string | undefined> {
  const rows = await read<{ id: string }>(Prisma.sql`SELECT id FROM "User" WHERE username = ${username}`);
  return rows[0]?.id;
}

/** The change feed's newest revision (0 before any change). */
export async function newestRevision(read: SqlRead): Promise<bigint> {
  const rows = await read<{ revision: bigint | number | null }>(Prisma.sql`SELECT max(revision) AS revision FROM "Change"`);
  return BigInt(rows[0]?.revision ?? 0);
}
