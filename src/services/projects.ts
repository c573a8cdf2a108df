import { projectCreatorRole } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import { invalidInput, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { definedFields } from './input.js';
import { projectNamespace } from './role-bindings.js';

export interface ProjectInput {
  name?: string | null;
  description?: string | null;
}

type ProjectQuery = { include?: Prisma.ProjectInclude; select?: Prisma.ProjectSelect };

/** Domain rules for projects: each lives in one cluster, its id is `<clusterId>:p-xxxxx`. */
export class ProjectService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(id: string, query: ProjectQuery = {}) {
    return orNotFound(this.prisma.project.findUnique({ ...query, where: { id } }), 'project', id);
  }

  list(query: ProjectQuery, where: Prisma.ProjectWhereInput, orderBy: Prisma.ProjectOrderByWithRelationInput[], take: number) {
    return this.prisma.project.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.ProjectWhereInput) {
    return this.prisma.project.count({ where });
  }

  async create(input: ProjectInput & { clusterId: string; name: string }, creatorId: string | null, query: ProjectQuery = {}) {
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
            // The creator owns what they create, in the same statement.
            ...(creatorId ? { bindings: { create: { id: `${projectNamespace(id)}:${newId('prtb')}`, userId: creatorId, roleTemplateId: projectCreatorRole } } } : {}),
          },
        }),
    );
  }

  async update(id: string, input: ProjectInput, query: ProjectQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.project.update({ ...query, where: { id }, data: definedFields(input) });
  }

  async delete(id: string, query: ProjectQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.project.delete({ ...query, where: { id } });
  }
}
