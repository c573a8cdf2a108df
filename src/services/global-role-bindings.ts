import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput } from '../errors.js';
import type { GlobalRoleBinding, Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import type { TokenService } from './tokens.js';

/**
 * Global role bindings: every user holds `user`, admins hold `admin` as well. A
 * change reaches the user's keys at once (the key cache forgets them).
 */
export class GlobalRoleBindingService extends ResourceStore<
  GlobalRoleBinding,
  Prisma.GlobalRoleBindingWhereInput,
  Prisma.GlobalRoleBindingOrderByWithRelationInput
> {
  constructor(
    prisma: PrismaClient,
    private readonly tokens: TokenService,
  ) {
    super(prisma, 'globalRoleBinding', 'globalRoleBinding');
  }

  /** Grants a global role; the user's keys carry it from their next request. */
  async bind(input: { userId: string; globalRoleId: 'admin' | 'user' } & MetadataInput, query: PrismaQuery = {}) {
    const { userId, globalRoleId } = input;
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw invalidInput('userId', `user ${JSON.stringify(userId)} not found`, 'InvalidReference');
    try {
      const binding = await withFreshId(
        () => newId('grb'),
        (id) => this.prisma.globalRoleBinding.create({ ...query, data: { id, userId, globalRoleId, ...metadataColumns(input) } }),
      );
      this.tokens.forgetUser(userId);
      return binding;
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002')
        throw new ApiError('CONFLICT', `the user already holds ${globalRoleId}`, { fieldName: 'globalRoleId' });
      throw error;
    }
  }

  /** Removes a global role within `scope`; nobody removes their own admin role. */
  async unbind(id: string, actorId: string, query: PrismaQuery = {}, scope?: Prisma.GlobalRoleBindingWhereInput) {
    const binding = await this.get(id, { select: { userId: true, globalRoleId: true } }, scope);
    if (binding.userId === actorId && binding.globalRoleId === 'admin') throw new ApiError('INVALID_STATE', 'you cannot remove your own admin role');
    const removed = await this.delete(id, query);
    this.tokens.forgetUser(binding.userId);
    return removed;
  }
}
