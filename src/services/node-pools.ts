import type { PrismaClient } from '../db/database.js';
import type { NodePool, Prisma } from '../generated/prisma/client.js';
import { createNamed, newId } from '../ids.js';
import { definedFields, type MetadataInput } from './input.js';
import type { NodeTemplateService } from './node-templates.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

export interface NodePoolInput extends MetadataInput {
  hostnamePrefix?: string | null;
  displayName?: string | null;
  nodeTemplateId?: string | null;
  quantity?: number | null;
  controlPlane?: boolean | null;
  etcd?: boolean | null;
  worker?: boolean | null;
  deleteNotReadyAfterSecs?: number | null;
  drainBeforeDelete?: boolean | null;
  nodeDrainInput?: Record<string, unknown> | null;
  nodeLabels?: Record<string, string> | null;
}

/**
 * A cluster's node pools (`<clusterId>:np-xxxxx`): each names a node template whose
 * driver must be active when the pool is made or moved to it, and a hostname prefix no
 * other pool of the cluster has (the nodes' names start with it).
 */
export class NodePoolService extends ResourceStore<NodePool, Prisma.NodePoolWhereInput, Prisma.NodePoolOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly templates: NodeTemplateService,
  ) {
    super(prisma, 'nodePool', 'nodePool');
  }

  async create(
    input: NodePoolInput & { clusterId: string; hostnamePrefix: string; nodeTemplateId: string },
    creatorId: string | null,
    query: PrismaQuery = {},
  ) {
    await this.requireUsableTemplate(input.nodeTemplateId);
    return createNamed(
      'node pool with hostnamePrefix',
      input.hostnamePrefix,
      () =>
        this.prisma.nodePool.create({
          ...query,
          data: { ...(definedFields(input) as typeof input), id: `${input.clusterId}:${newId('np')}`, creatorId } as Prisma.NodePoolUncheckedCreateInput,
        }),
      'hostnamePrefix',
    );
  }

  /** Changes a pool within `scope` (what the caller may change), in one statement; a new template must be usable. */
  async update(id: string, input: NodePoolInput, query: PrismaQuery = {}, scope?: Prisma.NodePoolWhereInput) {
    if (input.nodeTemplateId) await this.requireUsableTemplate(input.nodeTemplateId);
    return createNamed('node pool with hostnamePrefix', input.hostnamePrefix ?? '', () => this.write(id, definedFields(input), query, scope), 'hostnamePrefix');
  }

  private async requireUsableTemplate(id: string): Promise<void> {
    const template = await this.templates.get(id, { select: { driver: true } });
    await this.templates.requireActiveDriver(template.driver, 'nodeTemplateId');
  }
}
