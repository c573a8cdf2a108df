import type { PrismaClient } from '../db/database.js';
import { Prisma, type Ingress } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import {
  checkBackend,
  checkIngressSpec,
  type IngressBackend,
  type IngressBackendInput,
  type IngressRule,
  type IngressRuleInput,
  type IngressTls,
  type IngressTlsInput,
} from './ingress-spec.js';
import { definedFields, type MetadataInput } from './input.js';
import { rowIn, type HomeNamespace, type NamespaceReferences } from './namespace-references.js';
import { invalidAt } from './network-names.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

export interface IngressInput extends MetadataInput {
  description?: string | null;
  rules?: IngressRuleInput[] | null;
  tls?: IngressTlsInput[] | null;
  defaultBackend?: IngressBackendInput | null;
  ingressClassName?: string | null;
}

export interface CreateIngressInput extends IngressInput {
  projectId: string;
  namespaceId: string;
  name: string;
}

type FieldPath = ReadonlyArray<string | number>;

/**
 * Ingresses (Rancher's project.cattle.io/v3 ingress): the desired routing of a project's
 * namespace, kept without contacting a cluster. The id is Rancher's `<namespace>:<name>`
 * with the cluster in front. Every backend names a service or workloads of the same
 * namespace and a port (of that service, when it is one); every TLS entry a certificate
 * the namespace can mount. References are resolved to server-wide ids when written and
 * are not followed afterwards (namespace-references.ts).
 */
export class IngressService extends ResourceStore<Ingress, Prisma.IngressWhereInput, Prisma.IngressOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly references: NamespaceReferences,
  ) {
    super(prisma, 'ingress', 'ingress');
  }

  async create(input: CreateIngressInput, creatorId: string | null, query: PrismaQuery = {}) {
    const namespace = await this.references.home(input.namespaceId, input.projectId);
    const routing = await this.routing(namespace, input.rules ?? [], input.tls ?? [], input.defaultBackend ?? null);
    return createNamed('ingress', input.name, () =>
      this.prisma.ingress.create({
        ...query,
        data: {
          ...rowIn(namespace, input, creatorId),
          ...routing,
          ingressClassName: input.ingressClassName || null,
        },
      }),
    );
  }

  /** Changes an ingress within `scope`; rules, tls and defaultBackend given replace the kept ones, and the whole is checked again. */
  async update(id: string, input: IngressInput, query: PrismaQuery = {}, scope?: Prisma.IngressWhereInput) {
    const changes = definedFields({
      description: input.description,
      ingressClassName: input.ingressClassName,
      labels: input.labels,
      annotations: input.annotations,
    });
    if (input.rules == null && input.tls == null && input.defaultBackend == null) return this.write(id, changes, query, scope);
    const current = (await this.get(
      id,
      { select: { rules: true, tls: true, defaultBackend: true, namespace: { select: { id: true, clusterId: true, name: true, projectId: true } } } },
      scope,
    )) as Ingress & { namespace: HomeNamespace };
    // What is kept was resolved when written; it is checked again as given back (dangling references stay allowed only untouched).
    const routing = await this.routing(
      current.namespace,
      input.rules ?? (current.rules as unknown as IngressRuleInput[]),
      input.tls ?? (current.tls as unknown as IngressTlsInput[]),
      input.defaultBackend ?? (current.defaultBackend as IngressBackendInput | null),
      { rules: input.rules == null, tls: input.tls == null, defaultBackend: input.defaultBackend == null },
    );
    return this.write(id, { ...changes, ...routing }, query, scope);
  }

  /**
   * The rules, TLS entries and default backend as stored, after the checks: each
   * reference resolved in the namespace, unless `kept` says the part was not given
   * (then it is stored as it was, so a reference left dangling by a delete stays).
   */
  private async routing(
    namespace: HomeNamespace,
    rules: IngressRuleInput[],
    tls: IngressTlsInput[],
    defaultBackend: IngressBackendInput | null,
    kept: { rules: boolean; tls: boolean; defaultBackend: boolean } = { rules: false, tls: false, defaultBackend: false },
  ) {
    checkIngressSpec(rules, defaultBackend);
    const storedRules: IngressRule[] = kept.rules ? (rules as IngressRule[]) : [];
    if (!kept.rules) {
      for (const [index, rule] of rules.entries()) {
        const paths = [];
        for (const [pathIndex, path] of (rule.paths ?? []).entries()) {
          const backend = await this.backend(namespace, path, ['rules', index, 'paths', pathIndex]);
          paths.push({ path: path.path ?? '/', pathType: path.pathType ?? 'ImplementationSpecific', ...backend });
        }
        storedRules.push({ host: rule.host || null, paths });
      }
    }
    const storedTls: IngressTls[] = kept.tls ? (tls as IngressTls[]) : [];
    if (!kept.tls) {
      for (const [index, entry] of tls.entries()) {
        const certificateId = entry.certificateId ? await this.references.certificate(namespace, entry.certificateId, ['tls', index, 'certificateId']) : null;
        storedTls.push({ certificateId, hosts: entry.hosts ?? [] });
      }
    }
    const storedDefault = defaultBackend && !kept.defaultBackend ? await this.backend(namespace, defaultBackend, ['defaultBackend']) : defaultBackend;
    return {
      rules: storedRules as unknown as Prisma.InputJsonArray,
      tls: storedTls as unknown as Prisma.InputJsonArray,
      // Prisma writes SQL NULL for a nullable JSON column only when asked by name.
      defaultBackend: storedDefault ? (storedDefault as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
    };
  }

  /** One backend: its target resolved in the namespace; a service's port must be one of its ports (by number or name). */
  private async backend(namespace: HomeNamespace, backend: IngressBackendInput, path: FieldPath): Promise<IngressBackend> {
    checkBackend(backend, path);
    const targetPort = backend.targetPort!;
    if (backend.serviceId) {
      const service = await this.references.service(namespace, backend.serviceId, [...path, 'serviceId']);
      if (!service.ports.some((port) => port.port === targetPort || (port.name !== null && port.name === targetPort))) {
        throw invalidAt([...path, 'targetPort'], `service ${JSON.stringify(backend.serviceId)} has no port ${JSON.stringify(targetPort)}`, 'InvalidReference');
      }
      return { serviceId: service.id, workloadIds: [], targetPort };
    }
    return { serviceId: null, workloadIds: await this.references.workloads(namespace, backend.workloadIds ?? [], [...path, 'workloadIds']), targetPort };
  }
}
