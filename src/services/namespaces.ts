import type { PrismaClient } from '../db/database.js';
import { globalIdIn, localIdIn, type ClusterLocalId } from '../cluster-local-ids.js';
import { invalidInput } from '../errors.js';
import type { Namespace, Prisma } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

export interface NamespaceInput extends MetadataInput {
  description?: string | null;
}

/**
 * Namespaces (project.cattle.io/v3 in Rancher). Rancher's namespace id is its bare
 * name, unique only within a cluster; here the id is `<clusterId>:<name>` so that
 * GraphQL ids stay unique server-wide, and the ids of what a namespace holds build on it:
 * `<clusterId>:<kind>:<namespace>:<name>` for workloads, `<clusterId>:<namespace>:<name>`
 * for secrets — Rancher's own forms with the cluster in front. Reads and the delete
 * (its workloads and secrets go with it, ON DELETE CASCADE) come from ResourceStore.
 */
export class NamespaceService extends ResourceStore<Namespace, Prisma.NamespaceWhereInput, Prisma.NamespaceOrderByWithRelationInput> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'namespace', 'namespace');
  }

  /** `clusterId` comes from the project when one is given (the caller has been authorised on both). */
  create(input: NamespaceInput & { clusterId: string; projectId: string | null; name: string }, creatorId: string | null, query: PrismaQuery = {}) {
    // `p-xxxxx` would read as a project id once the cluster is put in front.
    if (/^p-[a-z0-9]+$/.test(input.name)) throw invalidInput('name', 'namespace names of the form p-xxxxx are reserved: they read as project ids');
    return createNamed('namespace', input.name, () =>
      this.prisma.namespace.create({
        ...query,
        data: {
          id: `${input.clusterId}:${input.name}`,
          clusterId: input.clusterId,
          projectId: input.projectId,
          name: input.name,
          creatorId,
          ...definedFields(inputFields(input)),
        },
      }),
    );
  }

  /** Re-describes a namespace within `scope` (what the caller may change), in one statement. */
  update(id: string, input: NamespaceInput, query: PrismaQuery = {}, scope?: Prisma.NamespaceWhereInput) {
    return this.write(id, definedFields(inputFields(input)), query, scope);
  }

  /**
   * Moves a namespace of cluster `clusterId` into another project of that cluster, or out
   * of any (`null`), taking its workloads, secrets, services and ingresses along, in one transaction.
   */
  async move(id: string, clusterId: string, projectId: string | null, query: PrismaQuery = {}) {
    if (projectId) {
      const project = await this.prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } });
      if (project?.clusterId !== clusterId)
        throw invalidInput('projectId', `project ${JSON.stringify(projectId)} is not in cluster ${JSON.stringify(clusterId)}`, 'InvalidReference');
    }
    // The namespace last, so that what its answer includes has already moved.
    const [, , , , , moved] = await this.prisma.$transaction([
      this.prisma.workload.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.service.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.ingress.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.namespacedSecret.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.projectSecret.updateMany({ where: { namespaceId: id }, data: { projectId } }),
      this.prisma.namespace.update({ ...query, where: { id }, data: { projectId } }),
    ]);
    return moved;
  }

  /**
   * The namespace a workload or secret is created in, which must belong to `projectId`.
   * `namespaceId` may be Rancher's bare name (`apps`), read within the project's cluster,
   * or the server-wide id (`c-x:apps`).
   */
  async inProject(namespaceId: string, projectId: string): Promise<{ id: string; clusterId: string; name: string }> {
    const project = await this.prisma.project.findUnique({ where: { id: projectId }, select: { clusterId: true } });
    if (!project) throw invalidInput('projectId', `project ${JSON.stringify(projectId)} not found`, 'InvalidReference');
    const id = globalIdIn(project.clusterId, namespaceId, namespaceLocalId);
    const namespace = await this.prisma.namespace.findFirst({
      where: { id, clusterId: project.clusterId },
      select: { id: true, clusterId: true, name: true, projectId: true },
    });
    if (!namespace)
      throw invalidInput(
        'namespaceId',
        `cluster ${JSON.stringify(project.clusterId)} has no namespace ${JSON.stringify(localIdIn(project.clusterId, id, namespaceLocalId))}`,
        'InvalidReference',
      );
    if (namespace.projectId !== projectId)
      throw invalidInput(
        'namespaceId',
        `namespace ${JSON.stringify(namespace.name)} of cluster ${JSON.stringify(namespace.clusterId)} is ${namespace.projectId ? 'in another project' : 'in no project'}, not in project ${JSON.stringify(projectId)}`,
        'InvalidReference',
      );
    return namespace;
  }
}

/** Rancher's namespace id is its name (see src/cluster-local-ids.ts). */
export const namespaceLocalId: ClusterLocalId = { segments: 1 };

function inputFields(input: NamespaceInput): NamespaceInput {
  return { description: input.description, labels: input.labels, annotations: input.annotations };
}
