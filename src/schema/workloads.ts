import { authorizeReference } from '../auth/policies/policy.js';
import { projectPolicy } from '../auth/policies/project.js';
import { z } from 'zod';
import { authorizeWorkload, workloadsWhere } from '../auth/visibility.js';
import type { Prisma, Workload } from '../generated/prisma/client.js';
import type { Container } from '../services/workload-spec.js';
import { containersSchema, cronSchedule } from '../services/workload-spec.js';
import { workloadActions, type WorkloadService } from '../services/workloads.js';
import { builder, type BuilderTypes } from './builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter, defineListOptions, enumFilter } from './list-options.js';
import { annotations, kubernetesName, labels } from './validators.js';
import { ContainerInput, ContainerRef, LabelSelectorInput, LabelSelectorRef, WorkloadKind } from './workload-spec.js';

const replicas = z.number().int().min(0).max(10_000);

/** The namespace's cluster and project decide who may act on a workload. */
const accessSelect = { namespace: { select: { clusterId: true, projectId: true } } } as const;

const WorkloadNode = builder.prismaNode('Workload', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [workloadsWhere(context.principal)] }) as Prisma.WorkloadWhereUniqueInput,
  description:
    'A Deployment, StatefulSet, DaemonSet or CronJob: its desired state. Unlike Rancher, whose id `<kind>:<namespace>:<name>` is unique only within a cluster, the id is `<clusterId>:<kind>:<namespace>:<name>`, so that ids are unique server-wide.',
  fields: (t) => ({
    kind: t.expose('kind', { type: WorkloadKind }),
    name: t.exposeString('name'),
    namespaceId: t.exposeID('namespaceId'),
    namespace: t.relation('namespace'),
    projectId: t.exposeID('projectId', { nullable: true, description: 'The namespace’s project.' }),
    project: t.relation('project', { nullable: true }),
    containers: t.field({ type: [ContainerRef], resolve: (workload) => workload.containers as Container[] }),
    replicas: t.exposeInt('replicas', { nullable: true, description: 'Deployments and StatefulSets only.' }),
    schedule: t.exposeString('schedule', { nullable: true, description: 'CronJobs only.' }),
    paused: t.exposeBoolean('paused', { description: 'Deployments only: the rollout is paused.' }),
    labels: t.field({ type: 'StringMap', resolve: (workload) => workload.labels as Record<string, string> }),
    annotations: t.field({ type: 'StringMap', resolve: (workload) => workload.annotations as Record<string, string> }),
    selector: t.field({ type: LabelSelectorRef, resolve: (workload) => workload.selector as Record<string, string> }),
    generation: t.exposeInt('generation', { description: 'Bumped by every change of the spec and by redeploy.' }),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({ select: accessSelect, resolve: (workload, _args, context) => context.access.onNamespace(workload.namespace, 'manageResources') }),
    canRemove: t.boolean({ select: accessSelect, resolve: (workload, _args, context) => context.access.onNamespace(workload.namespace, 'manageResources') }),
    availableActions: t.stringList({
      description: 'The actions this caller can run on the workload in its state.',
      select: { kind: true, paused: true, ...accessSelect },
      resolve: async (workload, _args, context) => ((await context.access.onNamespace(workload.namespace, 'manageResources')) ? workloadActions(workload) : []),
    }),
  }),
});

const workloadList = defineListOptions<Prisma.WorkloadWhereInput, Prisma.WorkloadOrderByWithRelationInput>('Workload', {
  id: { filter: StringFilter },
  namespaceId: { filter: StringFilter },
  projectId: { filter: StringFilter, nullable: true },
  kind: { filter: enumFilter(WorkloadKind, 'WorkloadKind') },
  name: { filter: StringFilter },
  paused: { filter: BooleanFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const CreateWorkloadInput = builder.inputType('CreateWorkloadInput', {
  fields: (t) => ({
    projectId: t.id({ required: true }),
    namespaceId: t.id({ required: true, description: 'A namespace of the project.' }),
    kind: t.field({ type: WorkloadKind, required: true }),
    name: t.string({ required: true, validate: kubernetesName }),
    containers: t.field({ type: [ContainerInput], required: true, validate: containersSchema }),
    replicas: t.int({ validate: replicas, description: 'Deployments and StatefulSets only; 1 when absent.' }),
    schedule: t.string({ validate: cronSchedule, description: 'CronJobs only, and required there.' }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
    selector: t.field({ type: LabelSelectorInput, description: 'Fixed once created; the labels when absent (`app: <name>` when both are).' }),
  }),
});

const UpdateWorkloadInput = builder.inputType('UpdateWorkloadInput', {
  description: 'A workload’s kind, name, namespace and selector are fixed.',
  fields: (t) => ({
    containers: t.field({ type: [ContainerInput], validate: containersSchema }),
    replicas: t.int({ validate: replicas }),
    schedule: t.string({ validate: cronSchedule }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
  }),
});

builder.queryFields((t) => ({
  workload: t.prismaField({
    type: 'Workload',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeWorkload(context, id, 'read');
      return context.services.workloads.get(id, query);
    },
  }),
  workloads: t.connection(
    {
      type: WorkloadNode,
      args: { filter: t.arg({ type: workloadList.Filter }), sort: t.arg({ type: workloadList.Sort }) },
      resolve: (_root, args, context, info) => workloadList.page({ args, context, info, scope: workloadsWhere(context.principal) }, context.services.workloads),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createWorkload: t.prismaField({
    type: 'Workload',
    args: { input: t.arg({ type: CreateWorkloadInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
      return context.services.workloads.create(input, context.principal!.userId, query);
    },
  }),
  updateWorkload: t.prismaField({
    type: 'Workload',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWorkloadInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      await authorizeWorkload(context, id, 'manageResources');
      return context.services.workloads.update(id, input, query);
    },
  }),
  deleteWorkload: t.prismaField({
    type: 'Workload',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeWorkload(context, id, 'manageResources');
      return context.services.workloads.delete(id, query);
    },
  }),
  workloadRedeploy: workloadAction(t, 'Rolls the pods again (Rancher’s redeploy): sets the cattle.io/timestamp annotation and bumps the generation.', (workloads, id, query) =>
    workloads.redeploy(id, query),
  ),
  workloadPause: workloadAction(t, 'Pauses a Deployment’s rollout; INVALID_STATE for other kinds or when already paused.', (workloads, id, query) => workloads.setPaused(id, true, query)),
  workloadResume: workloadAction(t, 'Resumes a paused Deployment’s rollout.', (workloads, id, query) => workloads.setPaused(id, false, query)),
}));

/** An action on one workload: allowed to whoever manages the project's resources. */
function workloadAction(
  t: PothosSchemaTypes.MutationFieldBuilder<BuilderTypes, unknown>,
  description: string,
  run: (workloads: WorkloadService, id: string, query: { include?: Prisma.WorkloadInclude; select?: Prisma.WorkloadSelect }) => Promise<Workload>,
) {
  return t.prismaField({
    type: 'Workload',
    description,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeWorkload(context, id, 'manageResources');
      return run(context.services.workloads, id, query);
    },
  });
}
