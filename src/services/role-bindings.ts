import { roleTemplate } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput } from '../errors.js';
import type { ClusterRoleTemplateBinding, Prisma, ProjectRoleTemplateBinding } from '../generated/prisma/client.js';
import { localPrincipalId, userIdOfPrincipal } from '../auth/principal-ids.js';
import { newId, withFreshId } from '../ids.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery, type ResourceModel } from './resource-store.js';

export interface BindingInput extends MetadataInput {
  /** The user bound: by id, or by principal id (`local://<userId>`, as Rancher's CLI and UIs send it), or both alike. */
  userId?: string | null;
  userPrincipalId?: string | null;
  roleTemplateId: string;
}

/**
 * The bindings that grant role templates: cluster role template bindings
 * (`c-xxxxx:crtb-xxxxx`) and project role template bindings (`p-xxxxx:prtb-xxxxx`,
 * named after the project's own part as Rancher names them in the project's
 * namespace). A binding's user and role are fixed: to change a role, bind the new one
 * and remove the old; its labels and annotations change (`writeMetadata`). Removing is the shared scoped delete.
 */
abstract class RoleBindingStore<Row extends { id: string }, Where extends object, OrderBy extends object> extends ResourceStore<Row, Where, OrderBy> {
  constructor(
    prisma: PrismaClient,
    model: ResourceModel,
    private readonly context: 'cluster' | 'project',
  ) {
    super(prisma, model, model);
  }

  /** Checks the role fits this kind of binding and the user exists, then creates; the same role twice is a conflict. */
  protected async bind<T>(input: BindingInput, create: (columns: BindingColumns) => Promise<T>): Promise<T> {
    const template = roleTemplate(input.roleTemplateId);
    if (!template) throw invalidInput('roleTemplateId', `role template ${JSON.stringify(input.roleTemplateId)} not found`, 'InvalidReference');
    if (template.context !== this.context) throw invalidInput('roleTemplateId', `${template.id} is a ${template.context} role, not a ${this.context} role`);
    const { userId, fieldName } = boundUser(input);
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw invalidInput(fieldName, `user ${JSON.stringify(userId)} not found`, 'InvalidReference');
    try {
      return await create(bindingColumns(userId, input));
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', 'the user already has this role here', { fieldName: 'roleTemplateId' });
      throw error;
    }
  }
}

export class ClusterRoleBindingService extends RoleBindingStore<
  ClusterRoleTemplateBinding,
  Prisma.ClusterRoleTemplateBindingWhereInput,
  Prisma.ClusterRoleTemplateBindingOrderByWithRelationInput
> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'clusterRoleTemplateBinding', 'cluster');
  }

  bindOnCluster(clusterId: string, input: BindingInput, query: PrismaQuery = {}) {
    return this.bind(input, (columns) =>
      withFreshId(
        () => `${clusterId}:${newId('crtb')}`,
        (id) => this.prisma.clusterRoleTemplateBinding.create({ ...query, data: { id, clusterId, ...columns } }),
      ),
    );
  }
}

export class ProjectRoleBindingService extends RoleBindingStore<
  ProjectRoleTemplateBinding,
  Prisma.ProjectRoleTemplateBindingWhereInput,
  Prisma.ProjectRoleTemplateBindingOrderByWithRelationInput
> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'projectRoleTemplateBinding', 'project');
  }

  bindOnProject(projectId: string, input: BindingInput, query: PrismaQuery = {}) {
    return this.bind(input, (columns) =>
      withFreshId(
        () => `${projectNamespace(projectId)}:${newId('prtb')}`,
        (id) => this.prisma.projectRoleTemplateBinding.create({ ...query, data: { id, projectId, ...columns } }),
      ),
    );
  }
}

/** What a binding's row holds of its input: the user (and their principal), the role and the metadata given. */
function bindingColumns(userId: string, input: BindingInput) {
  return { ...boundUserColumns(userId), roleTemplateId: input.roleTemplateId, ...metadataColumns(input) };
}

type BindingColumns = ReturnType<typeof bindingColumns>;

/** A binding's user columns: the user's id and their principal id, which always agree. */
export const boundUserColumns = (userId: string) => ({ userId, userPrincipalId: localPrincipalId(userId) });

/**
 * The user an input binds, and the field that named them (for an error about that user):
 * `userId`, or the user of a local `userPrincipalId`; given both, they must name the same user.
 * Blank ids arrive as null (the inputs' `optionalReference`).
 */
function boundUser({ userId, userPrincipalId }: BindingInput): { userId: string; fieldName: 'userId' | 'userPrincipalId' } {
  if (userPrincipalId == null) {
    if (userId == null) throw invalidInput('userId', 'a binding needs its user: userId or userPrincipalId', 'MissingRequired');
    return { userId, fieldName: 'userId' };
  }
  const principalUser = userIdOfPrincipal(userPrincipalId);
  if (principalUser === undefined)
    throw invalidInput('userPrincipalId', `${JSON.stringify(userPrincipalId)} is no local principal: only local://<userId> principals exist on this server`);
  if (userId != null && userId !== principalUser)
    throw invalidInput('userPrincipalId', `${JSON.stringify(userPrincipalId)} names another user than userId ${JSON.stringify(userId)}`);
  return { userId: principalUser, fieldName: userId == null ? 'userPrincipalId' : 'userId' };
}

/** `c-xxxxx:p-yyyyy` → `p-yyyyy`: the namespace Rancher keeps a project's bindings in. */
export function projectNamespace(projectId: string): string {
  return projectId.slice(projectId.indexOf(':') + 1);
}
