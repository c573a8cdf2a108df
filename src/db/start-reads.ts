import { Prisma, type RoleTemplateContext } from '../generated/prisma/client.js';
import type { PrismaClient } from './database.js';

/**
 * The reads every start makes, as plain SQL. Prisma's client plans each distinct
 * statement of its query API with its query compiler (WebAssembly) before sending it:
 * 15–60 ms a statement while the compiler is cold, which it is at every start, and
 * those plans were the largest part of a start on an existing DATA_DIR (issue 12).
 * A raw statement is sent as written and never wakes the compiler, so a start that
 * finds everything in place plans nothing. What a start writes when something is
 * missing, and everything after the start, goes through the typed API.
 */

/** The seeds among `items` (each stored under `idOf(item)`) that a seeded table does not hold yet. */
export async function unstored<T>(prisma: PrismaClient, table: 'NodeDriver' | 'Setting', items: readonly T[], idOf: (item: T) => string): Promise<T[]> {
  if (items.length === 0) return [];
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id IN (${Prisma.join(items.map(idOf))})`;
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
export async function storedRoleTemplates(prisma: PrismaClient, ids: readonly string[]): Promise<StoredRoleTemplate[]> {
  if (ids.length === 0) return [];
  return prisma.$queryRaw<StoredRoleTemplate[]>`SELECT id, name, description, context::text AS context FROM "RoleTemplate" WHERE id IN (${Prisma.join(ids)})`;
}

/** The id of the user with this name, if there is one. */
export async function userIdByName(prisma: PrismaClient, username: string): Promise<string | undefined> {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM "User" WHERE username = ${username}`;
  return rows[0]?.id;
}

/** The change feed's newest revision (0 before any change). */
export async function newestRevision(prisma: PrismaClient): Promise<bigint> {
  const rows = await prisma.$queryRaw<Array<{ revision: bigint | null }>>`SELECT max(revision) AS revision FROM "Change"`;
  return rows[0]?.revision ?? 0n;
}
