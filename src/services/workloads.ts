import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput } from '../errors.js';
import type { Prisma, Workload } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields } from './input.js';
import type { NamespaceService } from './namespaces.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import { configFor, workloadKindOf, type ConfigInputs } from './workload-configs.js';
import { checkWorkloadSpec, defaultLabelsAndSelector, type Container, type WorkloadKindName } from './workload-spec.js';

/**
 * A workload's id, `<clusterId>:<kind>:<namespace>:<name>` (Rancher's `<kind>:<namespace>:<name>`,
 * made unique server-wide), its kind in lower case. A kind is fixed once created, so the
 * id tells it for good, also after the row is gone (a removal's change has only the id).
 */
function workloadId(clusterId: string, kind: WorkloadKindName, namespace: string, name: string): string {
  return `${clusterId}:${kind.toLowerCase()}:${namespace}:${name}`;
}

/** Whether a workload's id (see {@link workloadId}) is that of a workload of `kind`. */
export function isWorkloadIdOfKind(id: string, kind: WorkloadKindName): boolean {
  return id.split(':', 2)[1] === kind.toLowerCase();
}

export interface WorkloadInput extends ConfigInputs {
  containers?: Container[] | null;
  /** Rancher's name for replicas; either may be given. */
  scale?: number | null;
  replicas?: number | null;
  schedule?: string | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  workloadLabels?: Record<string, string> | null;
  workloadAnnotations?: Record<string, string> | null;
}

export interface CreateWorkloadInput extends WorkloadInput {
  projectId: string;
  namespaceId: string;
  /** Absent: the kind whose config is given, else Deployment (as Rancher reads it). */
  kind?: WorkloadKindName | null;
  name: string;
  containers: Container[];
  selector?: { matchLabels?: Record<string, string> | null } | null;
}

/** Rancher sets this annotation to redeploy a workload; here it records when. */
const redeployAnnotation = 'cattle.io/timestamp';

/**
 * Workloads: what a cluster would run, kept as the desired state (no cluster is
 * contacted). Every change of the spec, and redeploy, bumps `generation` as the
 * Kubernetes API server does. Ids are Rancher's `<kind>:<namespace>:<name>` with the
 * cluster in front (see namespaces.ts). The kind's own settings are Rancher's configs
 * (workload-configs.ts).
 */
export class WorkloadService extends ResourceStore<Workload, Prisma.WorkloadWhereInput, Prisma.WorkloadOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly namespaces: NamespaceService,
  ) {
    super(prisma, 'workload', 'workload');
  }

  async create(input: CreateWorkloadInput, creatorId: string | null, query: PrismaQuery = {}) {
    const kind = workloadKindOf(input);
    const config = configFor(kind, input) ?? {};
    const namespace = await this.namespaces.inProject(input.namespaceId, input.projectId);
    const { labels, selector } = defaultLabelsAndSelector(input.name, input.labels, input.selector?.matchLabels);
    const replicas = scaleOf(input) ?? null;
    const spec = { kind, replicas, schedule: scheduleOf(input) ?? null, labels, selector };
    checkWorkloadSpec(spec);
    const scaled = kind === 'Deployment' || kind === 'StatefulSet';
    return createNamed('workload', input.name, () =>
      this.prisma.workload.create({
        ...query,
        data: {
          id: workloadId(namespace.clusterId, kind, namespace.name, input.name),
          namespaceId: namespace.id,
          projectId: input.projectId,
          kind,
          name: input.name,
          containers: input.containers,
          replicas: scaled ? (replicas ?? 1) : null,
          schedule: spec.schedule,
          config: config as Prisma.InputJsonObject,
          labels,
          selector,
          annotations: input.annotations ?? {},
          workloadLabels: input.workloadLabels ?? {},
          workloadAnnotations: input.workloadAnnotations ?? {},
          creatorId,
        },
      }),
    );
  }

  /**
   * Changes the spec of a workload within `scope` (what the caller may change): its
   * current spec is read within the scope, the write checks the scope again. A config
   * given replaces the kind's config; one of another kind is refused.
   */
  async update(id: string, input: WorkloadInput, query: PrismaQuery = {}, scope?: Prisma.WorkloadWhereInput) {
    const current = await this.get(id, { select: { kind: true, replicas: true, schedule: true, labels: true, selector: true } }, scope);
    const config = configFor(current.kind, input);
    const replicas = scaleOf(input);
    const schedule = scheduleOf(input);
    checkWorkloadSpec({
      kind: current.kind,
      // Given values are checked as given; a kind without replicas keeps its null.
      replicas: replicas ?? current.replicas,
      schedule: schedule ?? current.schedule,
      labels: input.labels ?? (current.labels as Record<string, string>),
      selector: current.selector as Record<string, string>,
    });
    const changes = definedFields({
      containers: input.containers,
      labels: input.labels,
      annotations: input.annotations,
      workloadLabels: input.workloadLabels,
      workloadAnnotations: input.workloadAnnotations,
      replicas,
      schedule,
      config: config as Prisma.InputJsonObject | undefined,
    });
    return this.write(id, { ...changes, generation: { increment: 1 } }, query, scope);
  }

  /** Rolls the pods again: a new timestamp annotation and the next generation. */
  async redeploy(id: string, query: PrismaQuery = {}, scope?: Prisma.WorkloadWhereInput) {
    const current = await this.get(id, { select: { annotations: true } }, scope);
    const annotations = { ...(current.annotations as Record<string, string>), [redeployAnnotation]: new Date().toISOString() };
    return this.write(id, { annotations, generation: { increment: 1 } }, query, scope);
  }

  /** Pauses or resumes a Deployment's rollout; other kinds have none, and a state is not entered twice. */
  async setPaused(id: string, paused: boolean, query: PrismaQuery = {}, scope?: Prisma.WorkloadWhereInput) {
    const current = await this.get(id, { select: { kind: true, paused: true } }, scope);
    if (current.kind !== 'Deployment') throw new ApiError('INVALID_STATE', `only Deployments can be ${paused ? 'paused' : 'resumed'}, not a ${current.kind}`);
    if (current.paused === paused) throw new ApiError('INVALID_STATE', `the deployment is already ${paused ? 'paused' : 'running'}`);
    return this.write(id, { paused }, query, scope);
  }
}

/** `scale` or `replicas` (Rancher's name and Kubernetes'); both given must agree. */
function scaleOf(input: WorkloadInput): number | undefined {
  return agreed('scale', input.scale, 'replicas', input.replicas);
}

/** A CronJob's schedule, from `cronJobConfig.schedule` or `schedule`; both given must agree. */
function scheduleOf(input: WorkloadInput): string | undefined {
  return agreed('cronJobConfig', input.cronJobConfig?.schedule as string | null | undefined, 'schedule', input.schedule);
}

function agreed<T>(field: string, value: T | null | undefined, otherField: string, other: T | null | undefined): T | undefined {
  if (value != null && other != null && value !== other) throw invalidInput(field, `${field} and ${otherField} say different things: give one`);
  return value ?? other ?? undefined;
}

/** The actions a workload offers in its state (to a caller who may change it). */
export function workloadActions(workload: { kind: WorkloadKindName; paused: boolean }): string[] {
  if (workload.kind !== 'Deployment') return ['redeploy'];
  return ['redeploy', workload.paused ? 'resume' : 'pause'];
}
