import type { PrismaClient } from '../db/database.js';
import { ApiError, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields } from './input.js';
import type { NamespaceService } from './namespaces.js';
import { checkWorkloadSpec, defaultLabelsAndSelector, type Container, type WorkloadKindName } from './workload-spec.js';

export interface WorkloadInput {
  containers?: Container[] | null;
  replicas?: number | null;
  schedule?: string | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

export interface CreateWorkloadInput extends WorkloadInput {
  projectId: string;
  namespaceId: string;
  kind: WorkloadKindName;
  name: string;
  containers: Container[];
  selector?: { matchLabels?: Record<string, string> | null } | null;
}

type WorkloadQuery = { include?: Prisma.WorkloadInclude; select?: Prisma.WorkloadSelect };

/** Rancher sets this annotation to redeploy a workload; here it records when. */
export const redeployAnnotation = 'cattle.io/timestamp';

/**
 * Workloads: what a cluster would run, kept as the desired state (no cluster is
 * contacted). Every change of the spec, and redeploy, bumps `generation` as the
 * Kubernetes API server does. Ids are Rancher's `<kind>:<namespace>:<name>` with the
 * cluster in front (see namespaces.ts).
 */
export class WorkloadService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly namespaces: NamespaceService,
  ) {}

  async get(id: string, query: WorkloadQuery = {}) {
    return orNotFound(this.prisma.workload.findUnique({ ...query, where: { id } }), 'workload', id);
  }

  list(query: WorkloadQuery, where: Prisma.WorkloadWhereInput, orderBy: Prisma.WorkloadOrderByWithRelationInput[], take: number) {
    return this.prisma.workload.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.WorkloadWhereInput) {
    return this.prisma.workload.count({ where });
  }

  async create(input: CreateWorkloadInput, creatorId: string | null, query: WorkloadQuery = {}) {
    const namespace = await this.namespaces.inProject(input.namespaceId, input.projectId);
    const { labels, selector } = defaultLabelsAndSelector(input.name, input.labels, input.selector?.matchLabels);
    const spec = { kind: input.kind, replicas: input.replicas ?? null, schedule: input.schedule ?? null, labels, selector };
    checkWorkloadSpec(spec);
    const scaled = input.kind === 'Deployment' || input.kind === 'StatefulSet';
    return createNamed('workload', input.name, () =>
      this.prisma.workload.create({
        ...query,
        data: {
          id: `${namespace.clusterId}:${input.kind.toLowerCase()}:${namespace.name}:${input.name}`,
          namespaceId: namespace.id,
          projectId: input.projectId,
          kind: input.kind,
          name: input.name,
          containers: input.containers,
          replicas: scaled ? (input.replicas ?? 1) : null,
          schedule: spec.schedule,
          labels,
          selector,
          annotations: input.annotations ?? {},
          creatorId,
        },
      }),
    );
  }

  async update(id: string, input: WorkloadInput, query: WorkloadQuery = {}) {
    const current = await this.get(id, { select: { kind: true, replicas: true, schedule: true, labels: true, selector: true } });
    checkWorkloadSpec({
      kind: current.kind,
      // Given values are checked as given; a kind without replicas keeps its null.
      replicas: input.replicas ?? current.replicas,
      schedule: input.schedule ?? current.schedule,
      labels: input.labels ?? (current.labels as Record<string, string>),
      selector: current.selector as Record<string, string>,
    });
    return this.prisma.workload.update({ ...query, where: { id }, data: { ...definedFields(input), generation: { increment: 1 } } });
  }

  async delete(id: string, query: WorkloadQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.workload.delete({ ...query, where: { id } });
  }

  /** Rolls the pods again: a new timestamp annotation and the next generation. */
  async redeploy(id: string, query: WorkloadQuery = {}) {
    const current = await this.get(id, { select: { annotations: true } });
    const annotations = { ...(current.annotations as Record<string, string>), [redeployAnnotation]: new Date().toISOString() };
    return this.prisma.workload.update({ ...query, where: { id }, data: { annotations, generation: { increment: 1 } } });
  }

  /** Pauses or resumes a Deployment's rollout; other kinds have none, and a state is not entered twice. */
  async setPaused(id: string, paused: boolean, query: WorkloadQuery = {}) {
    const current = await this.get(id, { select: { kind: true, paused: true } });
    if (current.kind !== 'Deployment') throw new ApiError('INVALID_STATE', `only Deployments can be ${paused ? 'paused' : 'resumed'}, not a ${current.kind}`);
    if (current.paused === paused) throw new ApiError('INVALID_STATE', `the deployment is already ${paused ? 'paused' : 'running'}`);
    return this.prisma.workload.update({ ...query, where: { id }, data: { paused } });
  }
}

/** The actions a workload offers in its state (to a caller who may change it). */
export function workloadActions(workload: { kind: WorkloadKindName; paused: boolean }): string[] {
  if (workload.kind !== 'Deployment') return ['redeploy'];
  return ['redeploy', workload.paused ? 'resume' : 'pause'];
}
