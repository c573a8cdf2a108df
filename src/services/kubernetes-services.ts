import type { PrismaClient } from '../db/database.js';
import type { Prisma, Service } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields, type MetadataInput } from './input.js';
import { rowIn, type HomeNamespace, type NamespaceReferences } from './namespace-references.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import { checkServiceSpec, storedPorts, type ServiceKindName, type ServicePortInput } from './service-spec.js';

export interface ServiceInput extends MetadataInput {
  kind?: ServiceKindName | null;
  description?: string | null;
  ports?: ServicePortInput[] | null;
  selector?: Record<string, string> | null;
  targetWorkloadIds?: string[] | null;
  hostname?: string | null;
}

export interface CreateServiceInput extends ServiceInput {
  projectId: string;
  namespaceId: string;
  name: string;
  /** Fixed once created, as in Kubernetes. */
  clusterIp?: string | null;
}

/** What the rules read of a stored service to check an update. */
const specColumns = {
  kind: true,
  ports: true,
  selector: true,
  targetWorkloadIds: true,
  hostname: true,
  clusterIp: true,
  namespace: { select: { id: true, clusterId: true, name: true, projectId: true } },
} as const;

/**
 * Services (Rancher's project.cattle.io/v3 service): the desired state of a Kubernetes
 * service in a project's namespace; no cluster is contacted. The id is Rancher's
 * `<namespace>:<name>` with the cluster in front. What it targets — a selector,
 * Rancher's targetWorkloadIds (workloads of its namespace) or an external name — is
 * checked when written (service-spec.ts, namespace-references.ts).
 */
export class KubernetesServiceStore extends ResourceStore<Service, Prisma.ServiceWhereInput, Prisma.ServiceOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly references: NamespaceReferences,
  ) {
    super(prisma, 'service', 'service');
  }

  async create(input: CreateServiceInput, creatorId: string | null, query: PrismaQuery = {}) {
    const namespace = await this.references.home(input.namespaceId, input.projectId);
    const spec = {
      kind: input.kind ?? 'ClusterIP',
      ports: input.ports ?? [],
      selector: input.selector ?? {},
      targetWorkloadIds: input.targetWorkloadIds ?? [],
      hostname: input.hostname ?? null,
      clusterIp: input.clusterIp || null,
    };
    checkServiceSpec(spec);
    const targetWorkloadIds = await this.references.workloads(namespace, spec.targetWorkloadIds, ['targetWorkloadIds']);
    return createNamed('service', input.name, () =>
      this.prisma.service.create({
        ...query,
        data: {
          ...rowIn(namespace, input, creatorId),
          ...spec,
          ports: storedPorts(spec.ports) as unknown as Prisma.InputJsonArray,
          targetWorkloadIds,
        },
      }),
    );
  }

  /**
   * Changes a service within `scope` (what the caller may change). The result must be
   * a valid service as a whole: what is given is checked against what is kept. A
   * selector given replaces targetWorkloadIds and the other way round, as Rancher
   * turns either into the one selector.
   */
  async update(id: string, input: ServiceInput, query: PrismaQuery = {}, scope?: Prisma.ServiceWhereInput) {
    const current = (await this.get(id, { select: specColumns }, scope)) as Service & { namespace: HomeNamespace };
    const { namespace } = current;
    const kind = input.kind ?? current.kind;
    const targeting = input.selector != null || input.targetWorkloadIds != null;
    const spec = {
      kind,
      ports: input.ports ?? (current.ports as unknown as ServicePortInput[]),
      selector: input.selector ?? (targeting ? {} : (current.selector as Record<string, string>)),
      targetWorkloadIds: input.targetWorkloadIds ?? (targeting ? [] : current.targetWorkloadIds),
      // A hostname is an ExternalName's alone: changing the kind away from it drops the kept one.
      hostname: input.hostname ?? (kind === 'ExternalName' ? current.hostname : null),
      clusterIp: current.clusterIp,
    };
    checkServiceSpec(spec);
    const targetWorkloadIds = input.targetWorkloadIds
      ? await this.references.workloads(namespace, input.targetWorkloadIds, ['targetWorkloadIds'])
      : spec.targetWorkloadIds;
    const changes = definedFields({
      kind: input.kind,
      description: input.description,
      labels: input.labels,
      annotations: input.annotations,
    });
    return this.write(
      id,
      {
        ...changes,
        ports: storedPorts(spec.ports) as unknown as Prisma.InputJsonArray,
        selector: spec.selector,
        targetWorkloadIds,
        hostname: spec.hostname,
      },
      query,
      scope,
    );
  }
}
