import type { PrismaClient } from '../db/database.js';
import { globalIdIn, localIdIn, type ClusterLocalId } from '../cluster-local-ids.js';
import type { NamespaceService } from './namespaces.js';
import { invalidAt } from './network-names.js';
import type { ServicePort } from './service-spec.js';
import type { MetadataInput } from './input.js';

/** The namespace a service or ingress lives in, as its references are resolved within it. */
export interface HomeNamespace {
  id: string;
  clusterId: string;
  name: string;
  projectId: string | null;
}

type FieldPath = ReadonlyArray<string | number>;

/** What a new service or ingress is given, whatever its type. */
interface NewRow extends MetadataInput {
  name: string;
  description?: string | null;
}

/** The columns every new row in a namespace has: Rancher's `<namespace>:<name>` with the cluster in front, its place, its description and metadata. */
export function rowIn(namespace: HomeNamespace, input: NewRow, creatorId: string | null) {
  return {
    id: `${namespace.id}:${input.name}`,
    namespaceId: namespace.id,
    projectId: namespace.projectId,
    name: input.name,
    description: input.description ?? '',
    labels: input.labels ?? {},
    annotations: input.annotations ?? {},
    creatorId,
  };
}

/** Rancher's ids within a cluster: `deployment:apps:api` for a workload; `apps:web` for a service; `apps:www` or `p-x:www` for a certificate. */
const workloadLocalId: ClusterLocalId = { segments: 3 };
const serviceLocalId: ClusterLocalId = { segments: 2 };
const certificateLocalId: ClusterLocalId = { segments: 2 };

/**
 * What a service or an ingress may name, checked when it is written: workloads and
 * services of its own namespace, certificates its namespace can mount (the
 * namespace's own, or the project's project-wide ones). Either id form is taken —
 * Rancher's, read within the namespace's cluster, or the server-wide one — and the
 * server-wide id is kept. A reference that does not resolve is INVALID_INPUT
 * (InvalidReference) on the field at fault. References are names, as in Kubernetes:
 * deleting what is named later leaves them dangling, and nothing cascades.
 */
export class NamespaceReferences {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly namespaces: NamespaceService,
  ) {}

  /** The namespace a new resource goes in: one of the project's (`apps` or `c-x:apps`), or INVALID_INPUT. */
  async home(namespaceId: string, projectId: string): Promise<HomeNamespace> {
    return { ...(await this.namespaces.inProject(namespaceId, projectId)), projectId };
  }

  /** Workloads of the namespace, by id; duplicates collapse. */
  async workloads(namespace: HomeNamespace, ids: readonly string[], path: FieldPath): Promise<string[]> {
    const wanted = [...new Set(ids.map((id) => globalIdIn(namespace.clusterId, id, workloadLocalId)))];
    if (wanted.length === 0) return [];
    const found = await this.prisma.workload.findMany({ where: { id: { in: wanted }, namespaceId: namespace.id }, select: { id: true } });
    const known = new Set(found.map((row) => row.id));
    const missing = wanted.find((id) => !known.has(id));
    if (missing) throw notInNamespace(path, 'workload', localIdIn(namespace.clusterId, missing, workloadLocalId), namespace);
    return wanted;
  }

  /** A service of the namespace, with its ports (an ingress's targetPort must be one of them). */
  async service(namespace: HomeNamespace, id: string, path: FieldPath): Promise<{ id: string; ports: ServicePort[] }> {
    const global = globalIdIn(namespace.clusterId, id, serviceLocalId);
    const found = await this.prisma.service.findFirst({ where: { id: global, namespaceId: namespace.id }, select: { id: true, ports: true } });
    if (!found) throw notInNamespace(path, 'service', localIdIn(namespace.clusterId, global, serviceLocalId), namespace);
    return { id: found.id, ports: found.ports as unknown as ServicePort[] };
  }

  /** A certificate the namespace can mount: a namespaced certificate of the namespace, or a project-wide one of its project. */
  async certificate(namespace: HomeNamespace, id: string, path: FieldPath): Promise<string> {
    const global = globalIdIn(namespace.clusterId, id, certificateLocalId);
    const found = await this.prisma.projectSecret.findFirst({
      where: {
        id: global,
        kind: 'certificate',
        OR: [{ namespaceId: namespace.id }, ...(namespace.projectId ? [{ namespaceId: null, projectScopeId: namespace.projectId }] : [])],
      },
      select: { id: true },
    });
    if (!found) {
      throw invalidAt(
        path,
        `no certificate ${JSON.stringify(localIdIn(namespace.clusterId, global, certificateLocalId))} in namespace ${JSON.stringify(namespace.name)} or its project`,
        'InvalidReference',
      );
    }
    return found.id;
  }
}

function notInNamespace(path: FieldPath, type: string, id: string, namespace: HomeNamespace) {
  return invalidAt(path, `no ${type} ${JSON.stringify(id)} in namespace ${JSON.stringify(namespace.name)}`, 'InvalidReference');
}
