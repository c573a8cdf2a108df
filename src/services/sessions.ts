import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { PrismaQuery } from './resource-store.js';
import type { TokenService } from './tokens.js';

export interface LoginRequest {
  username: string;
  password: string;
  /** Milliseconds; absent: 16 hours, Rancher's session length. */
  ttl?: number | null;
  description?: string | null;
}

const defaultSessionMs = 16 * 60 * 60 * 1000;

/**
 * Logging in and out with a local username and password. A wrong username and a
 * wrong password get the same answer after the same work: an unknown user is checked
 * against a dummy hash, so timing does not reveal which usernames exist.
 */
export class SessionService {
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: TokenService,
  ) {
    this.dummyHash = hashPassword('not-a-real-password-just-for-timing');
  }

  async login(request: LoginRequest, query: PrismaQuery = {}) {
    const user = await this.prisma.user.findUnique({ where: { username: request.username }, select: { id: true, passwordHash: true, enabled: true } });
    const matches = await verifyPassword(request.password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !matches || !user.enabled) throw new ApiError('UNAUTHORIZED', 'wrong username or password');
    return this.tokens.issue(
      user.id,
      { ttl: request.ttl ?? defaultSessionMs, description: request.description ?? 'login session' },
      { isDerived: false },
      query,
    );
  }

  /** Ends the session (or key) that made this request. */
  logout(tokenId: string, query: PrismaQuery = {}) {
    return this.tokens.delete(tokenId, query);
  }
}
