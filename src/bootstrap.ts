import { generatePassword, hashPassword } from './auth/passwords.js';
import type { PrismaClient, SqlRead } from './db/database.js';
import { userIdByName } from './db/start-reads.js';
import { newId, withFreshId } from './ids.js';
import { globalRoleBindingsFor } from './services/users.js';

export interface BootstrapResult {
  /** Set only on the start that created the admin with a generated password: print it once. */
  generatedAdminPassword?: string;
  createdAdmin: boolean;
}

/** The first admin's password, and its hash in the making (scrypt: ≈ 0.4 s of CPU on the thread pool). */
export interface AdminPassword {
  password: string;
  /** Generated here, not given: the banner shows it once. */
  generated: boolean;
  hash: Promise<string>;
}

/**
 * Begins hashing the first admin's password: CATTLE_BOOTSTRAP_PASSWORD when given,
 * otherwise a generated one. A start that knows its database is new (a new DATA_DIR)
 * begins it before the database opens, so the hash is ready when the admin is created.
 */
export function prepareAdminPassword(bootstrapPassword: string | undefined): AdminPassword {
  const password = bootstrapPassword ?? generatePassword();
  const hash = hashPassword(password);
  // A failure is thrown where the hash is awaited, not reported as unhandled meanwhile.
  hash.catch(() => undefined);
  return { password, generated: bootstrapPassword === undefined, hash };
}

/**
 * First start: creates the `admin` user with the password {@link prepareAdminPassword}
 * makes (begun here unless the caller began it), handed back when generated so the
 * banner can show it once; it is never stored in clear or logged. Later starts change
 * nothing.
 *
 * Instances starting together race on the unique username: the loser sees the
 * conflict and treats the admin as existing.
 */
export async function bootstrapAdmin(
  { prisma, read }: { prisma: PrismaClient; read: SqlRead },
  bootstrapPassword: string | undefined,
  prepared?: AdminPassword,
): Promise<BootstrapResult> {
  // Read as plain SQL, as every start does: src/db/start-reads.ts.
  if (await userIdByName(read, 'admin')) return { createdAdmin: false };
  const { password, generated, hash } = prepared ?? prepareAdminPassword(bootstrapPassword);
  const passwordHash = await hash;
  try {
    await withFreshId(
      () => newId('u'),
      (id) =>
        prisma.user.create({
          data: { id, username: 'admin', displayName: 'Default Admin', passwordHash, globalBindings: { create: globalRoleBindingsFor('admin') } },
        }),
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return { createdAdmin: false };
    throw error;
  }
  return { createdAdmin: true, ...(generated ? { generatedAdminPassword: password } : {}) };
}
