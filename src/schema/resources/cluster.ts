import { clusterPolicy } from '../../auth/policies/cluster.js';
import { ApiError } from '../../errors.js';
import type { ClusterState as ClusterStates } from '../../generated/prisma/enums.js';
import type { AgentCustomization, EnvVar, LocalClusterAuthEndpoint, MachinePool } from '../../services/cluster-spec.js';
import type { EtcdConfig, MachineSelectorConfig, Registries, UpgradeStrategy } from '../../services/rke-config.js';
import { builder, type BuilderTypes } from '../builder.js';
import { checkCredentialReferences, type CredentialReference } from '../credential-references.js';
import { AgentCustomizationRef, ClusterDriver, MachinePoolRef, specInputFields } from '../cluster-spec.js';
import {
  EtcdConfigRef,
  LocalClusterAuthEndpointRef,
  MachineSelectorConfigRef,
  RegistriesRef,
  rkeConfigInputFields,
  specDocs,
  UpgradeStrategyRef,
} from '../rke-config.js';
import { EnvVarRef } from '../workload-spec.js';
import { DateTimeFilter, StringFilter, enumFilter } from '../list-options.js';
import { Transitioning } from '../transitioning.js';
import { clearableReference } from '../../services/input.js';
import { description, kubernetesName, versionText } from '../validators.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';
import { defineResource } from './define-resource.js';
import { namespaceResource } from './namespace.js';
import { nodePoolResource } from './node-pool.js';
import { projectResource } from './project.js';
import { relatedList } from './related-list.js';
import { cloudCredentialField, creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';

/** Everything that makes a Cluster a resource: its fields, who may see and change it, its list, its mutations and actions. */

const ClusterState = builder.enumType('ClusterState', {
  description: 'Where a cluster is in its lifecycle (Rancher’s `state`).',
  values: {
    provisioning: { description: 'Being created: machines are made and Kubernetes installed, or an imported cluster waits for its agent.' },
    active: { description: 'Running and reachable: ready for use.' },
    updating: { description: 'Applying a change (an upgrade, new machine pools); still usable.' },
    error: { description: 'Failed: `transitioningMessage` says why.' },
    removing: { description: 'Being deleted with its projects and machines.' },
  } satisfies Record<keyof typeof ClusterStates, { description: string }>,
});

const transitioningOf = (state: keyof typeof ClusterStates) => (state === 'error' ? 'error' : state === 'active' ? 'no' : 'yes');

/** Named as Rancher names it, so /v3 lists the action's output as `generateKubeConfigOutput`. */
const GenerateKubeConfigOutput = builder.objectRef<{ config: string }>('GenerateKubeConfigOutput').implement({
  description: 'What `generateClusterKubeconfig` answers (Rancher’s `generateKubeConfigOutput`).',
  // It holds a new key's secret: marked so that the audit log redacts it.
  fields: (t) => ({ config: t.exposeString('config', { description: 'The kubeconfig, as YAML.', extensions: { secret: true } }) }),
});

/** What a create and an update both take of how the cluster is run: its version, credential and spec. */
function provisioningInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
    kubernetesVersion: t.string({
      description:
        'The Kubernetes version it runs or is to run (Rancher’s `spec.kubernetesVersion`, as `v1.31.4+rke2r1`): at most 64 characters; changing it upgrades the cluster.',
      validate: versionText,
    }),
    cloudCredentialId: t.id({
      description:
        'The id of the cloud credential its machines are made with (Rancher’s `spec.cloudCredentialSecretName`, `cattle-global-data:cc-xxxxx`); null when none. A blank one in an input clears it.',
      validate: clearableReference,
    }),
    ...specInputFields(t),
    ...rkeConfigInputFields(t),
  };
}

const CreateClusterInput = builder.inputType('CreateClusterInput', {
  description: 'A new cluster: imported (the default) or provisioned by the server with K3S or RKE2.',
  fields: (t) => ({
    name: t.string({ description: fieldDocs.kubernetesName, required: true, validate: kubernetesName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    driver: t.field({
      description:
        'How the cluster is run (Rancher’s `driver`): IMPORTED for an existing cluster registered with the server, K3S or RKE2 for one the server provisions. Fixed at creation.',
      type: ClusterDriver,
      defaultValue: 'imported',
    }),
    ...provisioningInputFields(t),
  }),
});

const UpdateClusterInput = builder.inputType('UpdateClusterInput', {
  description: 'The driver of a cluster is fixed at creation; upgrading is changing kubernetesVersion.',
  fields: (t) => ({
    name: t.string({ description: fieldDocs.kubernetesName, validate: kubernetesName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    ...provisioningInputFields(t),
  }),
});

defineResource('Cluster', {
  description: 'A Kubernetes cluster managed by this server.',
  policy: clusterPolicy,
  fields: (t) => ({
    name: t.exposeString('name', { description: fieldDocs.kubernetesName }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    state: t.expose('state', { description: fieldDocs.state, type: ClusterState }),
    transitioning: t.field({
      description: fieldDocs.transitioning,
      type: Transitioning,
      select: { state: true },
      resolve: (cluster) => transitioningOf(cluster.state),
    }),
    transitioningMessage: t.exposeString('transitioningMessage', { description: fieldDocs.transitioningMessage }),
    driver: t.expose('driver', {
      description:
        'How the cluster is run (Rancher’s `driver`): IMPORTED for an existing cluster registered with the server, K3S or RKE2 for one the server provisions. Fixed at creation.',
      type: ClusterDriver,
    }),
    kubernetesVersion: t.exposeString('kubernetesVersion', {
      description:
        'The Kubernetes version it runs or is to run (Rancher’s `spec.kubernetesVersion`, as `v1.31.4+rke2r1`): at most 64 characters; changing it upgrades the cluster.',
    }),
    cloudCredentialId: t.exposeID('cloudCredentialId', {
      description:
        'The id of the cloud credential its machines are made with (Rancher’s `spec.cloudCredentialSecretName`, `cattle-global-data:cc-xxxxx`); null when none. A blank one in an input clears it.',
      nullable: true,
    }),
    cloudCredential: cloudCredentialField(t),
    machinePools: t.field({
      description: 'The sets of machines the server provisions for it (Rancher’s `spec.rkeConfig.machinePools`); empty for an imported cluster.',
      type: [MachinePoolRef],
      select: { machinePools: true },
      resolve: (cluster) => cluster.machinePools as MachinePool[],
    }),
    clusterAgentCustomization: t.field({
      description: 'Scheduling overrides for the cattle-cluster-agent deployment (Rancher’s `spec.clusterAgentDeploymentCustomization`).',
      type: AgentCustomizationRef,
      select: { clusterAgentCustomization: true },
      resolve: (cluster) => cluster.clusterAgentCustomization as AgentCustomization,
    }),
    fleetAgentCustomization: t.field({
      description: 'Scheduling overrides for the fleet-agent deployment (Rancher’s `spec.fleetAgentDeploymentCustomization`).',
      type: AgentCustomizationRef,
      select: { fleetAgentCustomization: true },
      resolve: (cluster) => cluster.fleetAgentCustomization as AgentCustomization,
    }),
    chartValues: t.field({
      description: specDocs.chartValues,
      type: 'JSON',
      select: { chartValues: true },
      resolve: (cluster) => cluster.chartValues as Record<string, unknown>,
    }),
    machineGlobalConfig: t.field({
      description: specDocs.machineGlobalConfig,
      type: 'JSON',
      select: { machineGlobalConfig: true },
      resolve: (cluster) => cluster.machineGlobalConfig as Record<string, unknown>,
    }),
    machineSelectorConfig: t.field({
      description: specDocs.machineSelectorConfig,
      type: [MachineSelectorConfigRef],
      select: { machineSelectorConfig: true },
      resolve: (cluster) => cluster.machineSelectorConfig as MachineSelectorConfig[],
    }),
    additionalManifest: t.exposeString('additionalManifest', { description: specDocs.additionalManifest }),
    upgradeStrategy: t.field({
      description: specDocs.upgradeStrategy,
      type: UpgradeStrategyRef,
      select: { upgradeStrategy: true },
      resolve: (cluster) => cluster.upgradeStrategy as UpgradeStrategy,
    }),
    etcd: t.field({
      description: specDocs.etcd,
      type: EtcdConfigRef,
      nullable: true,
      select: { etcd: true },
      resolve: (cluster) => cluster.etcd as EtcdConfig | null,
    }),
    registries: t.field({
      description: specDocs.registries,
      type: RegistriesRef,
      nullable: true,
      select: { registries: true },
      resolve: (cluster) => cluster.registries as Registries | null,
    }),
    localClusterAuthEndpoint: t.field({
      description: specDocs.localClusterAuthEndpoint,
      type: LocalClusterAuthEndpointRef,
      select: { localClusterAuthEndpoint: true },
      resolve: (cluster) => cluster.localClusterAuthEndpoint as LocalClusterAuthEndpoint,
    }),
    agentEnvVars: t.field({
      description: specDocs.agentEnvVars,
      type: [EnvVarRef],
      select: { agentEnvVars: true },
      resolve: (cluster) => cluster.agentEnvVars as EnvVar[],
    }),
    enableNetworkPolicy: t.exposeBoolean('enableNetworkPolicy', { description: specDocs.enableNetworkPolicy, nullable: true }),
    defaultPodSecurityAdmissionConfigurationTemplateName: t.exposeString('defaultPodSecurityAdmissionConfigurationTemplateName', {
      description: specDocs.defaultPodSecurityAdmissionConfigurationTemplateName,
    }),
    ...creationFields(t),
    resourceVersion: t.string({
      description:
        "The change feed's revision of this cluster's last committed write (Kubernetes' `metadata.resourceVersion`). Pass it as `ifResourceVersion` to update only if nobody changed the cluster since.",
      select: { resourceVersion: true },
      resolve: (cluster) => cluster.resourceVersion.toString(),
    }),
    // Only the projects the caller may see, and only those are counted.
    projects: relatedList(t, 'projects', projectResource.listed, 'The projects of this cluster.'),
    namespaces: relatedList(t, 'namespaces', namespaceResource.listed, 'The namespaces of this cluster the caller may see.'),
    nodePools: relatedList(t, 'nodePools', nodePoolResource.listed, 'The node pools of this cluster.'),
  }),
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    state: { filter: enumFilter(ClusterState, 'ClusterState') },
    driver: { filter: enumFilter(ClusterDriver, 'ClusterDriver') },
    kubernetesVersion: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateClusterInput,
    run: async (context, input, query) => {
      await checkCredentialReferences(context, clusterCredentialReferences(input));
      return context.services.clusters.create(input, context.principal!.userId, query);
    },
  },
  update: {
    input: UpdateClusterInput,
    verb: 'update',
    versioned: true,
    allowedDescription: 'This caller may change the cluster (admins and cluster owners).',
    run: async (context, { id, input, query, scope }) => {
      await checkCredentialReferences(context, clusterCredentialReferences(input));
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

/** The cloud credentials a cluster's input names: its default, each machine pool's, and the one etcd snapshots are copied to S3 with. */
function clusterCredentialReferences(input: {
  cloudCredentialId?: string | null;
  machinePools?: Array<{ cloudCredentialId?: string | null }> | null;
  etcd?: { s3?: { cloudCredentialId?: string | null } | null } | null;
}): CredentialReference[] {
  const s3Credential = input.etcd?.s3?.cloudCredentialId;
  return [
    ...(input.cloudCredentialId ? [{ fieldName: 'cloudCredentialId', id: input.cloudCredentialId }] : []),
    ...(input.machinePools ?? []).flatMap((pool, index) =>
      pool.cloudCredentialId ? [{ fieldName: `machinePools.${index}.cloudCredentialId`, id: pool.cloudCredentialId }] : [],
    ),
    ...(s3Credential ? [{ fieldName: 'etcd.s3.cloudCredentialId', id: s3Credential }] : []),
  ];
}
