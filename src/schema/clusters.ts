import { ClusterState as ClusterStates } from '../generated/prisma/enums.js';
import type { AgentCustomization, MachinePool } from '../services/cluster-spec.js';
import { authorizeCluster, requireUnscopedKey, visibleCloudCredentials, visibleClusters, visibleProjects } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { ApiError, invalidInput } from '../errors.js';
import { builder } from './builder.js';
import { AgentCustomizationRef, ClusterDriver, MachinePoolRef, specInputFields } from './cluster-spec.js';
import { DateTimeFilter, StringFilter, defineListOptions, enumFilter } from './list-options.js';
import { annotations, description, kubernetesName, labels, optionalReference, versionText } from './validators.js';
import type { Prisma } from '../generated/prisma/client.js';

export const ClusterState = builder.enumType('ClusterState', {
  description: 'Where a cluster is in its lifecycle.',
  values: Object.values(ClusterStates),
});

/** Norman's `transitioning`: generic clients wait while it is `yes`. */
export const Transitioning = builder.enumType('Transitioning', {
  values: ['yes', 'no', 'error'] as const,
});

const transitioningOf = (state: keyof typeof ClusterStates) =>
  state === 'error' ? 'error' : state === 'active' ? 'no' : 'yes';

const ClusterNode = builder.prismaNode('Cluster', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [visibleClusters(context.principal)] }) as Prisma.ClusterWhereUniqueInput,
  description: 'A Kubernetes cluster managed by this server.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    labels: t.field({ type: 'StringMap', resolve: (cluster) => cluster.labels as Record<string, string> }),
    annotations: t.field({ type: 'StringMap', resolve: (cluster) => cluster.annotations as Record<string, string> }),
    state: t.expose('state', { type: ClusterState }),
    transitioning: t.field({ type: Transitioning, select: { state: true }, resolve: (cluster) => transitioningOf(cluster.state) }),
    transitioningMessage: t.exposeString('transitioningMessage'),
    driver: t.expose('driver', { type: ClusterDriver }),
    kubernetesVersion: t.exposeString('kubernetesVersion'),
    cloudCredentialId: t.exposeID('cloudCredentialId', { nullable: true }),
    machinePools: t.field({ type: [MachinePoolRef], resolve: (cluster) => cluster.machinePools as MachinePool[] }),
    clusterAgentCustomization: t.field({ type: AgentCustomizationRef, resolve: (cluster) => cluster.clusterAgentCustomization as AgentCustomization }),
    fleetAgentCustomization: t.field({ type: AgentCustomizationRef, resolve: (cluster) => cluster.fleetAgentCustomization as AgentCustomization }),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({ description: 'This caller may change the cluster (admins and cluster owners).', resolve: (cluster, _args, context) => context.access.onCluster(cluster.id, 'update') }),
    canRemove: t.boolean({ description: 'This caller may delete the cluster.', resolve: (cluster, _args, context) => context.access.onCluster(cluster.id, 'delete') }),
    projects: t.relatedConnection('projects', {
      cursor: 'id',
      totalCount: true,
      description: 'The projects of this cluster.',
      // Only the projects the caller may see, and only those are counted.
      query: (_args, context) => ({ where: visibleProjects(context.principal), orderBy: { id: 'asc' } }),
    }),
  }),
});

/** Named as Rancher names it, so /v3 lists the action's output as `generateKubeConfigOutput`. */
const GenerateKubeConfigOutput = builder.objectRef<{ config: string }>('GenerateKubeConfigOutput').implement({
  // It holds a new key's secret: marked so that the audit log redacts it.
  fields: (t) => ({ config: t.exposeString('config', { description: 'The kubeconfig, as YAML.', extensions: { secret: true } }) }),
});

const clusterList = defineListOptions<Prisma.ClusterWhereInput, Prisma.ClusterOrderByWithRelationInput>('Cluster', {
  id: { filter: StringFilter },
  name: { filter: StringFilter },
  description: { filter: StringFilter },
  state: { filter: enumFilter(ClusterState, 'ClusterState') },
  driver: { filter: enumFilter(ClusterDriver, 'ClusterDriver') },
  kubernetesVersion: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const CreateClusterInput = builder.inputType('CreateClusterInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: kubernetesName }),
    description: t.string({ validate: description }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
    driver: t.field({ type: ClusterDriver, defaultValue: 'imported' }),
    kubernetesVersion: t.string({ validate: versionText }),
    cloudCredentialId: t.id({ validate: optionalReference }),
    ...specInputFields(t),
  }),
});

const UpdateClusterInput = builder.inputType('UpdateClusterInput', {
  description: 'The driver of a cluster is fixed at creation; upgrading is changing kubernetesVersion.',
  fields: (t) => ({
    name: t.string({ validate: kubernetesName }),
    description: t.string({ validate: description }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
    kubernetesVersion: t.string({ validate: versionText }),
    cloudCredentialId: t.id({ validate: optionalReference }),
    ...specInputFields(t),
  }),
});

builder.queryFields((t) => ({
  cluster: t.prismaField({
    type: 'Cluster',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeCluster(context, id, 'read');
      return context.services.clusters.get(id, query);
    },
  }),
  clusters: t.connection(
    {
      type: ClusterNode,
      args: { filter: t.arg({ type: clusterList.Filter }), sort: t.arg({ type: clusterList.Sort }) },
      resolve: (_root, args, context, info) => clusterList.page({ args, context, info, scope: visibleClusters(context.principal) }, context.services.clusters),
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createCluster: t.prismaField({
    type: 'Cluster',
    args: { input: t.arg({ type: CreateClusterInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      requireUnscopedKey(context);
      await checkCredentialReferences(context, input);
      return context.services.clusters.create(input, context.principal!.userId, query);
    },
  }),
  updateCluster: t.prismaField({
    type: 'Cluster',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateClusterInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      await authorizeCluster(context, id, 'update');
      await checkCredentialReferences(context, input);
      return context.services.clusters.update(id, input, query);
    },
  }),
  clusterGenerateKubeconfig: t.field({
    type: GenerateKubeConfigOutput,
    description: 'A kubeconfig for this cluster with a new API key of the caller, scoped to the cluster; its secret appears only in this answer.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      await authorizeCluster(context, id, 'read');
      // A project key reading its cluster must not turn into a key for the whole cluster.
      if (context.principal!.projectId) throw new ApiError('PERMISSION_DENIED', 'a key scoped to a project cannot create a key for its cluster');
      return context.services.kubeconfigs.generate(context.principal!, id, context.baseUrl);
    },
  }),
  deleteCluster: t.prismaField({
    type: 'Cluster',
    description: 'Deletes the cluster and all its projects.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeCluster(context, id, 'delete');
      return context.services.clusters.delete(id, query);
    },
  }),
}));

/** A cluster may name only cloud credentials its creator or editor may use. */
async function checkCredentialReferences(context: Context, input: { cloudCredentialId?: string | null; machinePools?: Array<{ cloudCredentialId?: string | null }> | null }): Promise<void> {
  const references = [
    ...(input.cloudCredentialId ? [{ fieldName: 'cloudCredentialId', id: input.cloudCredentialId }] : []),
    ...(input.machinePools ?? []).flatMap((pool, index) => (pool.cloudCredentialId ? [{ fieldName: `machinePools.${index}.cloudCredentialId`, id: pool.cloudCredentialId }] : [])),
  ];
  if (references.length === 0) return;
  const ids = [...new Set(references.map((reference) => reference.id))];
  const usable = await context.prisma.cloudCredential.findMany({ where: { AND: [{ id: { in: ids } }, visibleCloudCredentials(context.principal)] }, select: { id: true } });
  const found = new Set(usable.map((credential) => credential.id));
  const missing = references.find((reference) => !found.has(reference.id));
  if (missing) throw invalidInput(missing.fieldName, `cloud credential ${JSON.stringify(missing.id)} not found`, 'InvalidReference');
}
