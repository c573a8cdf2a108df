import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput, notFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import type { TokenService } from './tokens.js';

export interface UserInput {
  username?: string | null;
  displayName?: string | null;
  description?: string | null;
  enabled?: boolean | null;
  globalRole?: 'admin' | 'user' | null;
  password?: string | null;
}

type UserQuery = { include?: Prisma.UserInclude; select?: Prisma.UserSelect };

/**
 * Local users. Passwords follow Rancher's rules (at least 12 characters, not the
 * username) and are stored as scrypt hashes; changing a user's password, role or
 * enabled flag makes the server forget its cached keys at once.
 */
export class UserService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: TokenService,
  ) {}

  async get(id: string, query: UserQuery = {}) {
    const user = await this.prisma.user.findUnique({ ...query, where: { id } });
    if (!user) throw notFound('user', id);
    return user;
  }

  list(query: UserQuery, where: Prisma.UserWhereInput, orderBy: Prisma.UserOrderByWithRelationInput[], take: number) {
    return this.prisma.user.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.UserWhereInput) {
    return this.prisma.user.count({ where });
  }

  async create(input: UserInput & { username: string; password: string }, query: UserQuery = {}) {
    checkPassword(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    return withFreshId(
      () => newId('u'),
      (id) =>
        this.prisma.user.create({
          ...query,
          data: {
            id,
            username: input.username,
            displayName: input.displayName ?? '',
            description: input.description ?? '',
            enabled: input.enabled ?? true,
            globalRole: input.globalRole ?? 'user',
            passwordHash,
          },
        }),
    );
  }

  /** Admins change anything but the username; nobody disables or demotes themselves. */
  async update(id: string, input: UserInput, actorId: string, query: UserQuery = {}) {
    await this.get(id, { select: { id: true } });
    if (id === actorId && input.enabled === false) throw new ApiError('INVALID_STATE', 'you cannot disable yourself', { fieldName: 'enabled' });
    if (id === actorId && input.globalRole === 'user') throw new ApiError('INVALID_STATE', 'you cannot remove your own admin role', { fieldName: 'globalRole' });
    const user = await this.prisma.user.update({
      ...query,
      where: { id },
      data: {
        ...(input.displayName != null ? { displayName: input.displayName } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
        ...(input.globalRole != null ? { globalRole: input.globalRole } : {}),
      },
    });
    this.tokens.forgetUser(id);
    return user;
  }

  async delete(id: string, actorId: string, query: UserQuery = {}) {
    if (id === actorId) throw new ApiError('INVALID_STATE', 'you cannot delete yourself');
    await this.get(id, { select: { id: true } });
    this.tokens.forgetUser(id);
    return this.prisma.user.delete({ ...query, where: { id } });
  }

  /** An admin sets someone's password; their existing keys stay valid. */
  async setPassword(id: string, newPassword: string, query: UserQuery = {}) {
    const user = await this.get(id, { select: { username: true } });
    checkPassword(newPassword, user.username, 'newPassword');
    return this.prisma.user.update({ ...query, where: { id }, data: { passwordHash: await hashPassword(newPassword) } });
  }

  /** A user changes their own password, proving they know the current one. */
  async changeOwnPassword(id: string, currentPassword: string, newPassword: string, query: UserQuery = {}) {
    const user = await this.get(id, { select: { username: true, passwordHash: true } });
    if (!(await verifyPassword(currentPassword, user.passwordHash))) throw invalidInput('currentPassword', 'the current password is wrong');
    checkPassword(newPassword, user.username, 'newPassword');
    return this.prisma.user.update({ ...query, where: { id }, data: { passwordHash: await hashPassword(newPassword) } });
  }
}

function checkPassword(password: string, username: string, fieldName = 'password'): void {
  if (password.length < 12) throw invalidInput(fieldName, 'passwords have at least 12 characters');
  if (password === username) throw invalidInput(fieldName, 'the password must not be the username');
}
