import { builtinRoleTemplates, roleTemplate } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';

type TemplateQuery = { include?: Prisma.RoleTemplateInclude; select?: Prisma.RoleTemplateSelect };
type ClusterBindingQuery = { include?: Prisma.ClusterRoleTemplateBindingInclude; select?: Prisma.ClusterRoleTemplateBindingSelect };
type ProjectBindingQuery = { include?: Prisma.ProjectRoleTemplateBindingInclude; select?: Prisma.ProjectRoleTemplateBindingSelect };

export interface BindingInput {
  userId: string;
  roleTemplateId: string;
}

/**
 * Role templates (read-only, seeded from src/auth/role-templates.ts) and the
 * bindings that grant them: cluster role template bindings (`c-xxxxx:crtb-xxxxx`)
 * and project role template bindings (`p-xxxxx:prtb-xxxxx`, named after the
 * project's own part as Rancher names them in the project's namespace). A binding
 * is immutable: to change a role, bind the new one and remove the old.
 */
export class RoleBindingService {
  constructor(private readonly prisma: PrismaClient) {}

  /** The row sources the API's lists page through. */
  readonly templates = {
    list: (query: TemplateQuery, where: Prisma.RoleTemplateWhereInput, orderBy: Prisma.RoleTemplateOrderByWithRelationInput[], take: number) =>
      this.prisma.roleTemplate.findMany({ ...query, where, orderBy, take }),
    count: (where: Prisma.RoleTemplateWhereInput) => this.prisma.roleTemplate.count({ where }),
  };

  readonly clusterBindings = {
    list: (query: ClusterBindingQuery, where: Prisma.ClusterRoleTemplateBindingWhereInput, orderBy: Prisma.ClusterRoleTemplateBindingOrderByWithRelationInput[], take: number) =>
      this.prisma.clusterRoleTemplateBinding.findMany({ ...query, where, orderBy, take }),
    count: (where: Prisma.ClusterRoleTemplateBindingWhereInput) => this.prisma.clusterRoleTemplateBinding.count({ where }),
  };

  readonly projectBindings = {
    list: (query: ProjectBindingQuery, where: Prisma.ProjectRoleTemplateBindingWhereInput, orderBy: Prisma.ProjectRoleTemplateBindingOrderByWithRelationInput[], take: number) =>
      this.prisma.projectRoleTemplateBinding.findMany({ ...query, where, orderBy, take }),
    count: (where: Prisma.ProjectRoleTemplateBindingWhereInput) => this.prisma.projectRoleTemplateBinding.count({ where }),
  };

  /** Creates the built-in templates that are missing and keeps their descriptions current. */
  async seedRoleTemplates(): Promise<void> {
    for (const template of builtinRoleTemplates) {
      const fields = { name: template.name, description: template.description, context: template.context };
      await this.prisma.roleTemplate.upsert({ where: { id: template.id }, create: { id: template.id, builtin: true, ...fields }, update: fields });
    }
  }

  async bindOnCluster(clusterId: string, input: BindingInput, query: ClusterBindingQuery = {}) {
    await this.checkBinding('cluster', input);
    return this.unique(() =>
      withFreshId(
        () => `${clusterId}:${newId('crtb')}`,
        (id) => this.prisma.clusterRoleTemplateBinding.create({ ...query, data: { id, clusterId, ...input } }),
      ),
    );
  }

  async bindOnProject(projectId: string, input: BindingInput, query: ProjectBindingQuery = {}) {
    await this.checkBinding('project', input);
    return this.unique(() =>
      withFreshId(
        () => `${projectNamespace(projectId)}:${newId('prtb')}`,
        (id) => this.prisma.projectRoleTemplateBinding.create({ ...query, data: { id, projectId, ...input } }),
      ),
    );
  }

  // The callers have found the binding already (to authorize); one that vanished since is P2025 → NOT_FOUND.
  unbindOnCluster(id: string, query: ClusterBindingQuery = {}) {
    return this.prisma.clusterRoleTemplateBinding.delete({ ...query, where: { id } });
  }

  unbindOnProject(id: string, query: ProjectBindingQuery = {}) {
    return this.prisma.projectRoleTemplateBinding.delete({ ...query, where: { id } });
  }

  private async checkBinding(context: 'cluster' | 'project', input: BindingInput): Promise<void> {
    const template = roleTemplate(input.roleTemplateId);
    if (!template) throw invalidInput('roleTemplateId', `role template ${JSON.stringify(input.roleTemplateId)} not found`, 'InvalidReference');
    if (template.context !== context) throw invalidInput('roleTemplateId', `${template.id} is a ${template.context} role, not a ${context} role`);
    const user = await this.prisma.user.findUnique({ where: { id: input.userId }, select: { id: true } });
    if (!user) throw invalidInput('userId', `user ${JSON.stringify(input.userId)} not found`, 'InvalidReference');
  }

  /** The same role twice for the same user and target is a conflict, not a second row. */
  private async unique<T>(create: () => Promise<T>): Promise<T> {
    try {
      return await create();
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', 'the user already has this role here', { fieldName: 'roleTemplateId' });
      throw error;
    }
  }
}

/** `c-xxxxx:p-yyyyy` → `p-yyyyy`: the namespace Rancher keeps a project's bindings in. */
export function projectNamespace(projectId: string): string {
  return projectId.slice(projectId.indexOf(':') + 1);
}
