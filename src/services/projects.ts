import { projectCreatorRole } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import { invalidInput } from '../errors.js';
import type { Prisma, Project } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { definedFields, metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import { boundUserColumns, projectNamespace } from './role-bindings.js';

export interface ProjectInput extends MetadataInput {
  name?: string | null;
  description?: string | null;
}

/** Domain rules for projects: each lives in one cluster, its id is `<clusterId>:p-xxxxx`. */
export class ProjectService extends ResourceStore<Project, Prisma.ProjectWhereInput, Prisma.ProjectOrderByWithRelationInput> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'project', 'project');
  }

  async create(input: ProjectInput & { clusterId: string; name: string }, creatorId: string | null, query: PrismaQuery = {}) {
    const cluster = await this.prisma.cluster.findUnique({ where: { id: input.clusterId }, select: { id: true } });
    if (!cluster) throw invalidInput('clusterId', `cluster ${JSON.stringify(input.clusterId)} not found`, 'InvalidReference');
    return withFreshId(
      () => `${cluster.id}:${newId('p')}`,
      (id) =>
        this.prisma.project.create({
          ...query,
          data: {
            id,
            clusterId: cluster.id,
            creatorId,
            name: input.name,
            ...definedFields({ description: input.description }),
            ...metadataColumns(input),
            // The creator owns what they create, in the same statement.
            ...(creatorId
              ? { bindings: { create: { id: `${projectNamespace(id)}:${newId('prtb')}`, ...boundUserColumns(creatorId), roleTemplateId: projectCreatorRole } } }
              : {}),
          },
        }),
    );
  }

  /** Renames or re-describes a project within `scope` (what the caller may update), in one statement. */
  update(id: string, input: ProjectInput, query: PrismaQuery = {}, scope?: Prisma.ProjectWhereInput) {
    return this.write(id, definedFields(input), query, scope);
  }
}
