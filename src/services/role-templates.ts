import { builtinRoleTemplates } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import type { Prisma, RoleTemplate } from '../generated/prisma/client.js';
import { ResourceStore } from './resource-store.js';

/** Role templates: read-only rows seeded from src/auth/role-templates.ts, which says what each grants. */
export class RoleTemplateService extends ResourceStore<RoleTemplate, Prisma.RoleTemplateWhereInput, Prisma.RoleTemplateOrderByWithRelationInput> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'roleTemplate', 'roleTemplate');
  }

  /** Creates the built-in templates that are missing and keeps their descriptions current. */
  async seed(): Promise<void> {
    for (const template of builtinRoleTemplates) {
      const fields = { name: template.name, description: template.description, context: template.context };
      await this.prisma.roleTemplate.upsert({ where: { id: template.id }, create: { id: template.id, builtin: true, ...fields }, update: fields });
    }
  }
}
