import { randomInt } from 'node:crypto';
import { ApiError } from './errors.js';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Rancher-style resource ids: a type prefix and five random characters (`c-x8k2m`),
 * the same string in GraphQL and /v3. Collisions are possible and are retried by
 * {@link withFreshId}.
 */
export function newId(prefix: string, length = 5): string {
  return `${prefix}-${randomText(alphabet, length)}`;
}

/** `length` characters drawn from `characters` with the system's cryptographic generator. */
export function randomText(characters: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += characters[randomInt(characters.length)];
  return text;
}

/**
 * Runs `create` with a new id until the id does not collide with an existing row
 * (Prisma's unique violation on the primary key), at most a few times.
 */
export async function withFreshId<T>(makeId: () => string, create: (id: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await create(makeId());
    } catch (error) {
      if (attempt >= 5 || !isPrimaryKeyCollision(error)) throw error;
    }
  }
}

function isPrimaryKeyCollision(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as { code?: string; meta?: Record<string, unknown> };
  if (code !== 'P2002') return false;
  const text = JSON.stringify(meta ?? {});
  return /"id"|_pkey/.test(text);
}

/**
 * Runs `create` for a resource whose id is made from its name (namespaces, workloads,
 * secrets): a duplicate is a CONFLICT on `name`, whichever unique constraint caught it.
 */
export async function createNamed<T>(type: string, name: string, create: () => Promise<T>, fieldName = 'name'): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'P2002') throw error;
    throw new ApiError('CONFLICT', `${type} ${JSON.stringify(name)} already exists`, { fieldName, reason: 'AlreadyExists' });
  }
}
