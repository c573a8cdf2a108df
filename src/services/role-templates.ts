import { builtinRoleTemplates } from '../auth/role-templates.js';
import type { PrismaClient, SqlRead } from '../db/database.js';
import { storedRoleTemplates } from '../db/start-reads.js';
import type { Prisma, RoleTemplate } from '../generated/prisma/client.js';
import { ResourceStore } from './resource-store.js';

/** Role templates: read-only rows seeded from src/auth/role-templates.ts, which says what each grants. */
export class RoleTemplateService extends ResourceStore<RoleTemplate, Prisma.RoleTemplateWhereInput, Prisma.RoleTemplateOrderByWithRelationInput> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'roleTemplate', 'roleTemplate');
  }

  /**
   * Creates the built-in templates that are missing and keeps their names and
   * descriptions current. One read at every start and a write only for what differs:
   * an upsert per template was five statements at every start (≈ 0.15–0.4 s of an
   * embedded start, issue 12).
   */
  async seed(read: SqlRead): Promise<void> {
    // Read as plain SQL: src/db/start-reads.ts.
    const stored = await storedRoleTemplates(
      read,
      builtinRoleTemplates.map((template) => template.id),
    );
    const byId = new Map(stored.map((row) => [row.id, row]));
    const fieldsOf = ({ name, description, context }: (typeof builtinRoleTemplates)[number]) => ({ name, description, context });
    const missing = builtinRoleTemplates.filter((template) => !byId.has(template.id));
    // Another instance starting at the same time may create them first.
    if (missing.length > 0)
      await this.prisma.roleTemplate.createMany({
        data: missing.map((template) => ({ id: template.id, builtin: true, ...fieldsOf(template) })),
        skipDuplicates: true,
      });
    for (const template of builtinRoleTemplates) {
      const row = byId.get(template.id);
      const fields = fieldsOf(template);
      if (row && (row.name !== fields.name || row.description !== fields.description || row.context !== fields.context))
        await this.prisma.roleTemplate.update({ where: { id: template.id }, data: fields });
    }
  }
}
