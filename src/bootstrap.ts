import { generatePassword, hashPassword } from './auth/passwords.js';
import type { PrismaClient } from './db/database.js';
import { newId, withFreshId } from './ids.js';
import { globalRoleBindingsFor } from './services/users.js';

export interface BootstrapResult {
  /** Set only on the start that created the admin with a generated password: print it once. */
  generatedAdminPassword?: string;
  createdAdmin: boolean;
}

/**
 * First start: creates the `admin` user. Its password is CATTLE_BOOTSTRAP_PASSWORD
 * when given, otherwise generated and handed back so the banner can show it once;
 * it is never stored in clear or logged. Later starts change nothing.
 *
 * Instances starting together race on the unique username: the loser sees the
 * conflict and treats the admin as existing.
 */
export async function bootstrapAdmin(prisma: PrismaClient, bootstrapPassword: string | undefined): Promise<BootstrapResult> {
  const existing = await prisma.user.findUnique({ where: { username: 'admin' }, select: { id: true } });
  if (existing) return { createdAdmin: false };
  const password = bootstrapPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
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
  return { createdAdmin: true, ...(bootstrapPassword ? {} : { generatedAdminPassword: password }) };
}
