import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput } from '../errors.js';
import type { Prisma, User } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import type { TokenService } from './tokens.js';

export interface UserInput extends MetadataInput {
  username?: string | null;
  displayName?: string | null;
  description?: string | null;
  enabled?: boolean | null;
  globalRole?: 'admin' | 'user' | null;
  password?: string | null;
}

/**
 * Local users. Passwords follow Rancher's rules (at least 12 characters, not the
 * username) and are stored as scrypt hashes; changing a user's password, role or
 * enabled flag makes the server forget its cached keys at once.
 */
export class UserService extends ResourceStore<User, Prisma.UserWhereInput, Prisma.UserOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly tokens: TokenService,
  ) {
    super(prisma, 'user', 'user');
  }

  async create(input: UserInput & { username: string; password: string }, query: PrismaQuery = {}) {
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
            ...metadataColumns(input),
            globalBindings: { create: globalRoleBindingsFor(input.globalRole ?? 'user') },
            passwordHash,
          },
        }),
    );
  }

  /** Admins change anything but the username, within `scope`, in one statement; nobody disables or demotes themselves. */
  async update(id: string, input: UserInput, actorId: string, query: PrismaQuery = {}, scope?: Prisma.UserWhereInput) {
    if (id === actorId && input.enabled === false) throw new ApiError('INVALID_STATE', 'you cannot disable yourself', { fieldName: 'enabled' });
    if (id === actorId && input.globalRole === 'user')
      throw new ApiError('INVALID_STATE', 'you cannot remove your own admin role', { fieldName: 'globalRole' });
    const user = await this.write(
      id,
      {
        ...(input.displayName != null ? { displayName: input.displayName } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
        ...metadataColumns(input),
        // The role field is a view of the bindings: `admin` adds that binding, `user` removes it.
        ...(input.globalRole === 'admin'
          ? {
              globalBindings: {
                connectOrCreate: { where: { userId_globalRoleId: { userId: id, globalRoleId: 'admin' } }, create: { id: newId('grb'), globalRoleId: 'admin' } },
              },
            }
          : {}),
        ...(input.globalRole === 'user' ? { globalBindings: { deleteMany: { globalRoleId: 'admin' } } } : {}),
      },
      query,
      scope,
    );
    this.tokens.forgetUser(id);
    return user;
  }

  /** Deletes a user within `scope` in one statement; nobody deletes themselves. */
  async remove(id: string, actorId: string, query: PrismaQuery = {}, scope?: Prisma.UserWhereInput) {
    if (id === actorId) throw new ApiError('INVALID_STATE', 'you cannot delete yourself');
    const removed = await this.delete(id, query, scope);
    this.tokens.forgetUser(id);
    return removed;
  }

  /** An admin sets someone's password; their existing keys stay valid. */
  async setPassword(id: string, newPassword: string, query: PrismaQuery = {}, scope?: Prisma.UserWhereInput) {
    const user = await this.get(id, { select: { username: true } }, scope);
    checkPassword(newPassword, user.username, 'newPassword');
    return this.write(id, { passwordHash: await hashPassword(newPassword) }, query);
  }

  /** A user changes their own password, proving they know the current one. */
  async changeOwnPassword(id: string, currentPassword: string, newPassword: string, query: PrismaQuery = {}, scope?: Prisma.UserWhereInput) {
    const user = await this.get(id, { select: { username: true, passwordHash: true } }, scope);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) throw invalidInput('currentPassword', 'the current password is wrong');
    checkPassword(newPassword, user.username, 'newPassword');
    return this.write(id, { passwordHash: await hashPassword(newPassword) }, query);
  }
}

/** Every user holds the global role `user`; admins hold `admin` as well (as in Rancher). */
export function globalRoleBindingsFor(role: 'admin' | 'user'): Array<{ id: string; globalRoleId: string }> {
  return (role === 'admin' ? ['user', 'admin'] : ['user']).map((globalRoleId) => ({ id: newId('grb'), globalRoleId }));
}

function checkPassword(password: string, username: string, fieldName = 'password'): void {
  if (password.length < 12) throw invalidInput(fieldName, 'passwords have at least 12 characters');
  if (password === username) throw invalidInput(fieldName, 'the password must not be the username');
}
