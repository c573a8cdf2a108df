import type { PrismaClient } from '../db/database.js';
import { invalidInput, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields } from './input.js';

export interface NamespaceInput {
  description?: string | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

type NamespaceQuery = { include?: Prisma.NamespaceInclude; select?: Prisma.NamespaceSelect };

/**
 * Namespaces (project.cattle.io/v3 in Rancher). Rancher's namespace id is its bare
 * name, unique only within a cluster; here the id is `<clusterId>:<name>` so that
 * GraphQL ids stay unique server-wide, and the ids of what a namespace holds build on it:
 * `<clusterId>:<kind>:<namespace>:<name>` for workloads, `<clusterId>:<namespace>:<name>`
 * for secrets — Rancher's own forms with the cluster in front.
 */
export class NamespaceService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(id: string, query: NamespaceQuery = {}) {
    return orNotFound(this.prisma.namespace.findUnique({ ...query, where: { id } }), 'namespace', id);
  }

  list(query: NamespaceQuery, where: Prisma.NamespaceWhereInput, orderBy: Prisma.NamespaceOrderByWithRelationInput[], take: number) {
    return this.prisma.namespace.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.NamespaceWhereInput) {
    return this.prisma.namespace.count({ where });
  }

  /** `clusterId` comes from the project when one is given (the caller has been authorised on both). */
  create(input: NamespaceInput & { clusterId: string; projectId: string | null; name: string }, creatorId: string | null, query: NamespaceQuery = {}) {
    // `p-xxxxx` would read as a project id once the cluster is put in front.
    if (/^p-[a-z0-9]+$/.test(input.name)) throw invalidInput('name', 'namespace names of the form p-xxxxx are reserved: they read as project ids');
    return createNamed('namespace', input.name, () =>
      this.prisma.namespace.create({
        ...query,
        data: { id: `${input.clusterId}:${input.name}`, clusterId: input.clusterId, projectId: input.projectId, name: input.name, creatorId, ...definedFields(inputFields(input)) },
      }),
    );
  }

  async update(id: string, input: NamespaceInput, query: NamespaceQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.namespace.update({ ...query, where: { id }, data: definedFields(inputFields(input)) });
  }

  /** Its workloads and secrets go with it (ON DELETE CASCADE). */
  async delete(id: string, query: NamespaceQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.namespace.delete({ ...query, where: { id } });
  }

  /**
   * Moves a namespace into another project of its cluster, or out of any (`null`),
   * taking its workloads and secrets along, in one transaction.
   */
  async move(id: string, projectId: string | null, query: NamespaceQuery = {}) {
    const namespace = await this.get(id, { select: { clusterId: true } });
    if (projectId) {
      const project = await this.prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } });
      if (project?.clusterId !== namespace.clusterId) throw invalidInput('projectId', `project ${JSON.stringify(projectId)} is not in cluster ${JSON.stringify(namespace.clusterId)}`, 'InvalidReference');
    }
    // The namespace last, so that what its answer includes has already moved.
    const [, , moved] = await this.prisma.$transaction([
      this.prisma.workload.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.namespacedSecret.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.namespace.update({ ...query, where: { id }, data: { projectId } }),
    ]);
    return moved;
  }

  /** The namespace a workload or secret is created in, which must belong to `projectId`. */
  async inProject(namespaceId: string, projectId: string): Promise<{ id: string; clusterId: string; name: string }> {
    const namespace = await this.prisma.namespace.findFirst({ where: { id: namespaceId, projectId }, select: { id: true, clusterId: true, name: true } });
    if (!namespace) throw invalidInput('namespaceId', `namespace ${JSON.stringify(namespaceId)} is not in project ${JSON.stringify(projectId)}`, 'InvalidReference');
    return namespace;
  }
}

function inputFields(input: NamespaceInput): NamespaceInput {
  return { description: input.description, labels: input.labels, annotations: input.annotations };
}
