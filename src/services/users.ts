import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput, notFound, orNotFound } from '../errors.js';
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
type GlobalBindingQuery = { include?: Prisma.GlobalRoleBindingInclude; select?: Prisma.GlobalRoleBindingSelect };

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
    return orNotFound(this.prisma.user.findUnique({ ...query, where: { id } }), 'user', id);
  }

  list(query: UserQuery, where: Prisma.UserWhereInput, orderBy: Prisma.UserOrderByWithRelationInput[], take: number) {
    return this.prisma.user.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.UserWhereInput) {
    return this.prisma.user.count({ where });
  }

  /** The global role bindings' rows, for the API's lists. */
  readonly globalBindings = {
    list: (query: GlobalBindingQuery, where: Prisma.GlobalRoleBindingWhereInput, orderBy: Prisma.GlobalRoleBindingOrderByWithRelationInput[], take: number) =>
      this.prisma.globalRoleBinding.findMany({ ...query, where, orderBy, take }),
    count: (where: Prisma.GlobalRoleBindingWhereInput) => this.prisma.globalRoleBinding.count({ where }),
  };

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
            globalBindings: { create: globalRoleBindingsFor(input.globalRole ?? 'user') },
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
        // The role field is a view of the bindings: `admin` adds that binding, `user` removes it.
        ...(input.globalRole === 'admin' ? { globalBindings: { connectOrCreate: { where: { userId_globalRoleId: { userId: id, globalRoleId: 'admin' } }, create: { id: newId('grb'), globalRoleId: 'admin' } } } } : {}),
        ...(input.globalRole === 'user' ? { globalBindings: { deleteMany: { globalRoleId: 'admin' } } } : {}),
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

  /** Grants a global role; the user's keys carry it from their next request. */
  async bindGlobalRole(userId: string, globalRoleId: 'admin' | 'user', query: GlobalBindingQuery = {}) {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw invalidInput('userId', `user ${JSON.stringify(userId)} not found`, 'InvalidReference');
    try {
      const binding = await withFreshId(
        () => newId('grb'),
        (id) => this.prisma.globalRoleBinding.create({ ...query, data: { id, userId, globalRoleId } }),
      );
      this.tokens.forgetUser(userId);
      return binding;
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', `the user already holds ${globalRoleId}`, { fieldName: 'globalRoleId' });
      throw error;
    }
  }

  /** Removes a global role; nobody removes their own admin role. */
  async unbindGlobalRole(id: string, actorId: string, query: GlobalBindingQuery = {}) {
    const binding = await this.prisma.globalRoleBinding.findUnique({ where: { id }, select: { userId: true, globalRoleId: true } });
    if (!binding) throw notFound('globalRoleBinding', id);
    if (binding.userId === actorId && binding.globalRoleId === 'admin') throw new ApiError('INVALID_STATE', 'you cannot remove your own admin role');
    const removed = await this.prisma.globalRoleBinding.delete({ ...query, where: { id } });
    this.tokens.forgetUser(binding.userId);
    return removed;
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

/** Every user holds the global role `user`; admins hold `admin` as well (as in Rancher). */
export function globalRoleBindingsFor(role: 'admin' | 'user'): Array<{ id: string; globalRoleId: string }> {
  return (role === 'admin' ? ['user', 'admin'] : ['user']).map((globalRoleId) => ({ id: newId('grb'), globalRoleId }));
}

function checkPassword(password: string, username: string, fieldName = 'password'): void {
  if (password.length < 12) throw invalidInput(fieldName, 'passwords have at least 12 characters');
  if (password === username) throw invalidInput(fieldName, 'the password must not be the username');
}
