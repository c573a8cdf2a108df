import type { Prisma } from '../../generated/prisma/client.js';
import { z } from 'zod';
import { whenKnown } from '../../auth/access.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { workloadPolicy, workloadRowColumns } from '../../auth/policies/workload.js';
import type { Container } from '../../services/workload-spec.js';
import { containersSchema, cronSchedule } from '../../services/workload-spec.js';
import { isWorkloadIdOfKind, workloadActions } from '../../services/workloads.js';
import { builder } from '../builder.js';
import { BooleanFilter, DateTimeFilter, LabelFilter, StringFilter, enumFilter } from '../list-options.js';
import { annotations, kubernetesName, labels } from '../validators.js';
import { metadataFields, metadataListFields } from '../kubernetes-metadata.js';
import { ContainerInput, ContainerRef, LabelSelectorInput, LabelSelectorRef, WorkloadKind, WorkloadState } from '../workload-spec.js';
import { defineResource, type NodeFields } from './define-resource.js';
import type { ObjectRef } from '@pothos/core';
import { configOutput, type WorkloadConfig } from '../../services/workload-configs.js';
import { workloadStatusOf } from '../../services/workload-state.js';
import { workloadKinds, type WorkloadKindName } from '../../services/workload-spec.js';
import type { BuilderTypes } from '../builder.js';
import { Transitioning } from '../transitioning.js';
import { CronJobConfig, DaemonSetConfig, DeploymentConfig, JobConfig, StatefulSetConfig } from '../workload-configs.js';
import { creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  containers: 'The containers of its pods (Rancher’s `containers`): 1–20, with unique names.',
} as const;

/** Everything that makes a Workload a resource: its fields, who may see and change it, its list, its mutations and actions. */

const replicas = z.number().int().min(0).max(10_000);

/** What a create and an update both take: the spec, Rancher's configs and the two sets of labels. */
const specInputFields = (t: InputFieldBuilder) => ({
  scale: t.int({ validate: replicas, description: 'Rancher’s name for replicas: Deployments and StatefulSets only; 1 when absent.' }),
  replicas: t.int({ validate: replicas, description: 'The same as scale (the Kubernetes name); give either.' }),
  schedule: t.string({ validate: cronSchedule, description: 'CronJobs only, and required there; or cronJobConfig.schedule.' }),
  deploymentConfig: t.field({ type: DeploymentConfig.Input, description: 'A Deployment’s rollout settings; given alone, it makes the workload a Deployment.' }),
  statefulSetConfig: t.field({ type: StatefulSetConfig.Input, description: 'A StatefulSet’s settings; given alone, it makes the workload a StatefulSet.' }),
  daemonSetConfig: t.field({ type: DaemonSetConfig.Input, description: 'A DaemonSet’s settings; given alone, it makes the workload a DaemonSet.' }),
  cronJobConfig: t.field({ type: CronJobConfig.Input, description: 'A CronJob’s settings; given alone, it makes the workload a CronJob.' }),
  jobConfig: t.field({ type: JobConfig.Input, description: 'A Job’s settings; given alone, it makes the workload a Job.' }),
  labels: t.field({ type: 'StringMap', validate: labels, description: 'The pods’ labels, which the selector selects.' }),
  annotations: t.field({ type: 'StringMap', validate: annotations, description: 'The pods’ annotations.' }),
  workloadLabels: t.field({ type: 'StringMap', validate: labels, description: 'The workload object’s own labels.' }),
  workloadAnnotations: t.field({ type: 'StringMap', validate: annotations, description: 'The workload object’s own annotations.' }),
});
type InputFieldBuilder = Parameters<NonNullable<Parameters<typeof builder.inputType>[1]['fields']>>[0];

const CreateWorkloadInput = builder.inputType('CreateWorkloadInput', {
  description: 'Rancher’s shape: give one kind’s config (deploymentConfig, …) and no kind, or a kind; a Deployment when neither.',
  fields: (t) => ({
    projectId: t.id({ description: fieldDocs.projectId, required: true }),
    namespaceId: t.id({ required: true, description: 'A namespace of the project: its name (`apps`) or its id (`c-x:apps`).' }),
    kind: t.field({ type: WorkloadKind, description: 'The kind whose config is given when absent, else Deployment.' }),
    name: t.string({ description: fieldDocs.kubernetesName, required: true, validate: kubernetesName }),
    containers: t.field({
      description: docs.containers,
      type: [ContainerInput],
      required: true,
      validate: containersSchema,
    }),
    selector: t.field({ type: LabelSelectorInput, description: 'Fixed once created; the labels when absent (`app: <name>` when both are).' }),
    ...specInputFields(t),
  }),
});

const UpdateWorkloadInput = builder.inputType('UpdateWorkloadInput', {
  description: 'A workload’s kind, name, namespace and selector are fixed; a config given replaces its kind’s config.',
  fields: (t) => ({
    containers: t.field({
      description: docs.containers,
      type: [ContainerInput],
      validate: containersSchema,
    }),
    ...specInputFields(t),
  }),
});

/** What the honest status reads: the workload's own rest state and its cluster's state. */
const statusColumns = { kind: true, paused: true, config: true, namespace: { select: { cluster: { select: { id: true, state: true } } } } } as const;
const statusOf = (workload: { kind: WorkloadKindName; paused: boolean; config: unknown; namespace: { cluster: { id: string; state: string } } }) =>
  workloadStatusOf(workload, workload.namespace.cluster);

/** One kind's config as the workload shows it (null for other kinds). */
function configField(t: WorkloadFieldBuilder, field: Parameters<typeof configOutput>[1], type: ObjectRef<BuilderTypes, WorkloadConfig>, description: string) {
  return t.field({
    type,
    nullable: true,
    description,
    select: { kind: true, config: true, schedule: true },
    resolve: (workload) => configOutput(workload.kind, field, workload.config, workload.schedule),
  });
}
type WorkloadFieldBuilder = Parameters<NodeFields<'Workload'>>[0];

/** Declared once: the workloads type and each kind's view filter by kind with it. */
const KindFilter = enumFilter(WorkloadKind, 'WorkloadKind');

/**
 * The workloads type, or one kind's view of it (Rancher serves `/deployments`,
 * `/statefulSets`, … beside `/workloads`: the same resources, the same ids).
 */
function defineWorkloads(variant?: {
  name: WorkloadKindName;
  description: string;
  where: Prisma.WorkloadWhereInput;
  input: { kind: WorkloadKindName };
  holdsId: (id: string) => boolean;
}) {
  return defineResource('Workload', {
    ...(variant ? { variant } : {}),
    description:
      'A Deployment, StatefulSet, DaemonSet, CronJob or Job: its desired state, with Rancher’s per-kind config. Unlike Rancher, whose id `<kind>:<namespace>:<name>` is unique only within a cluster, the id is `<clusterId>:<kind>:<namespace>:<name>`, so that ids are unique server-wide; `rancherId` is Rancher’s form, which /v3 serves in a cluster’s or project’s context.',
    clusterLocalId: { segments: 3, example: 'deployment:apps:api' },
    policy: workloadPolicy,
    fields: (t) => ({
      kind: t.expose('kind', { description: 'Its Kubernetes kind (Rancher’s `type`/`kind`, as `deployment`); fixed once created.', type: WorkloadKind }),
      name: t.exposeString('name', { description: fieldDocs.kubernetesName }),
      namespaceId: t.exposeID('namespaceId', { description: fieldDocs.namespaceId }),
      namespace: t.relation('namespace', { description: 'Its namespace (what `namespaceId` names).' }),
      projectId: t.exposeID('projectId', { nullable: true, description: 'The namespace’s project.' }),
      project: t.relation('project', { description: 'The project it belongs to (what `projectId` names).', nullable: true }),
      containers: t.field({
        description: docs.containers,
        type: [ContainerRef],
        select: { containers: true },
        resolve: (workload) => workload.containers as Container[],
      }),
      scale: t.exposeInt('replicas', { nullable: true, description: 'Rancher’s name for replicas: Deployments and StatefulSets only.' }),
      replicas: t.exposeInt('replicas', { nullable: true, description: 'Deployments and StatefulSets only (the same as scale).' }),
      schedule: t.exposeString('schedule', { nullable: true, description: 'CronJobs only.' }),
      deploymentConfig: configField(t, 'deploymentConfig', DeploymentConfig.Output, 'Deployments only: the rollout settings.'),
      statefulSetConfig: configField(t, 'statefulSetConfig', StatefulSetConfig.Output, 'StatefulSets only.'),
      daemonSetConfig: configField(t, 'daemonSetConfig', DaemonSetConfig.Output, 'DaemonSets only.'),
      cronJobConfig: configField(t, 'cronJobConfig', CronJobConfig.Output, 'CronJobs only, with the schedule.'),
      jobConfig: configField(t, 'jobConfig', JobConfig.Output, 'Jobs only.'),
      workloadLabels: t.field({
        type: 'StringMap',
        description: 'The workload object’s own labels (labels are its pods’).',
        select: { workloadLabels: true },
        resolve: (workload) => workload.workloadLabels as Record<string, string>,
      }),
      workloadAnnotations: t.field({
        type: 'StringMap',
        description: 'The workload object’s own annotations.',
        select: { workloadAnnotations: true },
        resolve: (workload) => workload.workloadAnnotations as Record<string, string>,
      }),
      state: t.field({
        type: WorkloadState,
        description: 'Never active: no controller runs workloads here.',
        select: statusColumns,
        resolve: (workload) => statusOf(workload).state,
      }),
      transitioning: t.field({
        type: Transitioning,
        description: 'yes while it waits for an agent; no when at rest by its own spec (paused, suspended).',
        select: statusColumns,
        resolve: (workload) => statusOf(workload).transitioning,
      }),
      transitioningMessage: t.string({
        description: 'Why it is in its state.',
        select: statusColumns,
        resolve: (workload) => statusOf(workload).transitioningMessage,
      }),
      paused: t.exposeBoolean('paused', { description: 'Deployments only: the rollout is paused.' }),
      ...metadataFields(t),
      selector: t.field({
        description: 'Which pods it owns (Rancher’s `selector`, Kubernetes’ `spec.selector`); fixed once created.',
        type: LabelSelectorRef,
        select: { selector: true },
        resolve: (workload) => workload.selector as Record<string, string>,
      }),
      generation: t.exposeInt('generation', { description: 'Bumped by every change of the spec and by redeploy.' }),
      ...creationFields(t),
      availableActions: t.stringList({
        description: 'The actions this caller can run on the workload in its state.',
        select: { kind: true, paused: true, ...workloadRowColumns },
        resolve: (workload, _args, context) =>
          whenKnown(workloadPolicy.allows(context.access, workload, 'manageResources', context.services), (allowed) =>
            allowed ? workloadActions(workload) : [],
          ),
      }),
    }),
    list: {
      id: { filter: StringFilter },
      namespaceId: { filter: StringFilter },
      projectId: { filter: StringFilter, nullable: true },
      kind: { filter: KindFilter },
      name: { filter: StringFilter },
      paused: { filter: BooleanFilter },
      ...metadataListFields,
      workloadLabels: { filter: LabelFilter },
      created: { filter: DateTimeFilter, column: 'createdAt' },
    },
    create: {
      input: CreateWorkloadInput,
      run: async (context, input, query) => {
        await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
        return context.services.workloads.create(input, context.principal!.userId, query);
      },
    },
    update: {
      input: UpdateWorkloadInput,
      verb: 'manageResources',
      run: (context, { id, input, query, scope }) => context.services.workloads.update(id, input, query, scope),
    },
    remove: { verb: 'manageResources' },
    nodeActions: {
      redeploy: {
        description: 'Rolls the pods again (Rancher’s redeploy): sets the cattle.io/timestamp annotation and bumps the generation.',
        verb: 'manageResources',
        run: (context, { id, query, scope }) => context.services.workloads.redeploy(id, query, scope),
      },
      pause: {
        description: 'Pauses a Deployment’s rollout; INVALID_STATE for other kinds or when already paused.',
        verb: 'manageResources',
        run: (context, { id, query, scope }) => context.services.workloads.setPaused(id, true, query, scope),
      },
      resume: {
        description: 'Resumes a paused Deployment’s rollout.',
        verb: 'manageResources',
        run: (context, { id, query, scope }) => context.services.workloads.setPaused(id, false, query, scope),
      },
    },
  });
}

export const workloadResource = defineWorkloads();
for (const kind of workloadKinds) {
  defineWorkloads({
    name: kind,
    description: `Rancher’s ${lowerFirst(kind)}s: the workloads of kind ${kind}, the same resources and ids as in workloads. A create here makes a ${kind}.`,
    where: { kind },
    input: { kind },
    holdsId: (id) => isWorkloadIdOfKind(id, kind),
  });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
