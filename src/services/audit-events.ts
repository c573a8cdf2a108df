import type { PrismaClient } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { SettingService } from './settings.js';

type AuditEventQuery = { select?: Prisma.AuditEventSelect };

/** The stored audit entries: read by admins, pruned after `audit-log-retention-days`. */
export class AuditEventService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: SettingService,
  ) {}

  /** One entry, or null when there is none. */
  find(id: string, query: AuditEventQuery = {}) {
    return this.prisma.auditEvent.findUnique({ ...query, where: { id } });
  }

  list(query: AuditEventQuery, where: Prisma.AuditEventWhereInput, orderBy: Prisma.AuditEventOrderByWithRelationInput[], take: number) {
    return this.prisma.auditEvent.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.AuditEventWhereInput) {
    return this.prisma.auditEvent.count({ where });
  }

  /** Deletes entries older than the retention setting; 0 keeps them forever. Returns how many went. */
  async prune(now = new Date()): Promise<number> {
    const days = await this.settings.numberValue('audit-log-retention-days');
    if (days <= 0) return 0;
    const { count } = await this.prisma.auditEvent.deleteMany({ where: { time: { lt: new Date(now.getTime() - days * 86_400_000) } } });
    return count;
  }
}
