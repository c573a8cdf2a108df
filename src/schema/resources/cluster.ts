import { clusterPolicy } from '../../auth/policies/cluster.js';
import { requireUnscopedKey, visibleCloudCredentials, visibleProjects } from '../../auth/visibility.js';
import type { Context } from '../../context.js';
import { ApiError, invalidInput } from '../../errors.js';
import { ClusterState as ClusterStates } from '../../generated/prisma/enums.js';
import type { AgentCustomization, MachinePool } from '../../services/cluster-spec.js';
import { builder } from '../builder.js';
import { AgentCustomizationRef, ClusterDriver, MachinePoolRef, specInputFields } from '../cluster-spec.js';
import { DateTimeFilter, StringFilter, enumFilter } from '../list-options.js';
import { annotations, description, kubernetesName, labels, optionalReference, versionText } from '../validators.js';
import { defineResource } from './define-resource.js';

/** Everything that makes a Cluster a resource: its fields, who may see and change it, its list, its mutations and actions. */

export const ClusterState = builder.enumType('ClusterState', {
  description: 'Where a cluster is in its lifecycle.',
  values: Object.values(ClusterStates),
});

/** Norman's `transitioning`: generic clients wait while it is `yes`. */
export const Transitioning = builder.enumType('Transitioning', {
  values: ['yes', 'no', 'error'] as const,
});

const transitioningOf = (state: keyof typeof ClusterStates) => (state === 'error' ? 'error' : state === 'active' ? 'no' : 'yes');

/** Named as Rancher names it, so /v3 lists the action's output as `generateKubeConfigOutput`. */
const GenerateKubeConfigOutput = builder.objectRef<{ config: string }>('GenerateKubeConfigOutput').implement({
  // It holds a new key's secret: marked so that the audit log redacts it.
  fields: (t) => ({ config: t.exposeString('config', { description: 'The kubeconfig, as YAML.', extensions: { secret: true } }) }),
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

export const clusterResource = defineResource('Cluster', {
  description: 'A Kubernetes cluster managed by this server.',
  policy: clusterPolicy,
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    labels: t.field({ type: 'StringMap', select: { labels: true }, resolve: (cluster) => cluster.labels as Record<string, string> }),
    annotations: t.field({ type: 'StringMap', select: { annotations: true }, resolve: (cluster) => cluster.annotations as Record<string, string> }),
    state: t.expose('state', { type: ClusterState }),
    transitioning: t.field({ type: Transitioning, select: { state: true }, resolve: (cluster) => transitioningOf(cluster.state) }),
    transitioningMessage: t.exposeString('transitioningMessage'),
    driver: t.expose('driver', { type: ClusterDriver }),
    kubernetesVersion: t.exposeString('kubernetesVersion'),
    cloudCredentialId: t.exposeID('cloudCredentialId', { nullable: true }),
    machinePools: t.field({ type: [MachinePoolRef], select: { machinePools: true }, resolve: (cluster) => cluster.machinePools as MachinePool[] }),
    clusterAgentCustomization: t.field({
      type: AgentCustomizationRef,
      select: { clusterAgentCustomization: true },
      resolve: (cluster) => cluster.clusterAgentCustomization as AgentCustomization,
    }),
    fleetAgentCustomization: t.field({
      type: AgentCustomizationRef,
      select: { fleetAgentCustomization: true },
      resolve: (cluster) => cluster.fleetAgentCustomization as AgentCustomization,
    }),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    projects: t.relatedConnection('projects', {
      cursor: 'id',
      totalCount: true,
      description: 'The projects of this cluster.',
      // Only the projects the caller may see, and only those are counted.
      query: (_args, context) => ({ where: visibleProjects(context.principal), orderBy: { id: 'asc' } }),
    }),
  }),
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    state: { filter: enumFilter(ClusterState, 'ClusterState') },
    driver: { filter: enumFilter(ClusterDriver, 'ClusterDriver') },
    kubernetesVersion: { filter: StringFilter },
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateClusterInput,
    run: async (context, input, query) => {
      requireUnscopedKey(context);
      await checkCredentialReferences(context, input);
      return context.services.clusters.create(input, context.principal!.userId, query);
    },
  },
  update: {
    input: UpdateClusterInput,
    verb: 'update',
    allowedDescription: 'This caller may change the cluster (admins and cluster owners).',
    run: async (context, { id, input, query, scope }) => {
      await checkCredentialReferences(context, input);
      return context.services.clusters.update(id, input, query, scope);
    },
  },
  remove: { verb: 'delete', description: 'Deletes the cluster and all its projects.' },
  actions: {
    generateKubeconfig: {
      output: GenerateKubeConfigOutput,
      description: 'A kubeconfig for this cluster with a new API key of the caller, scoped to the cluster; its secret appears only in this answer.',
      verb: 'read',
      run: async (context, id, scope) => {
        await context.services.clusters.get(id, { select: { id: true } }, scope);
        // A project key reading its cluster must not turn into a key for the whole cluster.
        if (context.principal!.projectId) throw new ApiError('PERMISSION_DENIED', 'a key scoped to a project cannot create a key for its cluster');
        return context.services.kubeconfigs.generate(context.principal!, id, context.baseUrl);
      },
    },
  },
});

/** A cluster may name only cloud credentials its creator or editor may use. */
async function checkCredentialReferences(context: Context, input: { cloudCredentialId?: string | null; machinePools?: Array<{ cloudCredentialId?: string | null }> | null }): Promise<void> {
  const references = [
    ...(input.cloudCredentialId ? [{ fieldName: 'cloudCredentialId', id: input.cloudCredentialId }] : []),
    ...(input.machinePools ?? []).flatMap((pool, index) => (pool.cloudCredentialId ? [{ fieldName: `machinePools.${index}.cloudCredentialId`, id: pool.cloudCredentialId }] : [])),
  ];
  if (references.length === 0) return;
  const ids = [...new Set(references.map((reference) => reference.id))];
  const usable = await context.services.cloudCredentials.list({ select: { id: true } }, { AND: [{ id: { in: ids } }, visibleCloudCredentials(context.principal)] }, []);
  const found = new Set(usable.map((credential) => credential.id));
  const missing = references.find((reference) => !found.has(reference.id));
  if (missing) throw invalidInput(missing.fieldName, `cloud credential ${JSON.stringify(missing.id)} not found`, 'InvalidReference');
}
