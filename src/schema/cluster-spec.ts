import type { AgentCustomization, MachinePool } from '../services/cluster-spec.js';
import {
  agentCustomizationSchema,
  type machineOperatingSystems,
  machinePoolsSchema,
  type taintEffects,
  type tolerationOperators,
} from '../services/cluster-spec.js';
import { builder, type BuilderTypes } from './builder.js';
import { linkedResourceOf, linkTargets } from './resources/linked-resource.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  description: 'The machine configuration (node template) a pool creates its machines from.',
  taintType: 'A Kubernetes node taint: pods that do not tolerate it keep off the node.',
  key: 'The taint or toleration key (Kubernetes’ `key`), a label-style `[prefix/]name`; a toleration without one matches every key (with EXISTS).',
  value: 'The value matched with the key (Kubernetes’ `value`); none for EXISTS.',
  tolerationType: 'A Kubernetes toleration: lets a pod run on nodes with matching taints.',
  operator: 'How the key and value are matched (Kubernetes’ `operator`): EQUAL (the default) compares the value, EXISTS only the key.',
  tolerationSeconds: 'For NO_EXECUTE: how many seconds a pod stays bound after the taint appears (Kubernetes’ `tolerationSeconds`); none means forever.',
  resourceRequirementsType: 'CPU and memory a container or agent asks for and may use (Kubernetes’ `resources`).',
  requests: 'What the agent is guaranteed (Kubernetes’ `resources.requests`).',
  limits: 'The most the agent may use (Kubernetes’ `resources.limits`).',
  agentCustomizationType: 'Scheduling and resources of an agent Rancher runs in the cluster.',
  appendTolerations: 'Tolerations added to the agent’s own (Rancher’s `appendTolerations`), so it runs on tainted nodes.',
  overrideAffinity: 'A Kubernetes `affinity` object that replaces the agent’s default (Rancher’s `overrideAffinity`), as JSON.',
  overrideResourceRequirements: 'CPU and memory requests and limits that replace the agent’s defaults (Rancher’s `overrideResourceRequirements`).',
  name: 'The pool’s name (Rancher’s `name`), unique in its cluster: 1–63 lowercase letters, digits and `-`; its machines are named after it.',
  quantity: 'How many machines the pool keeps (Rancher’s `quantity`): 0–1000.',
  etcdRole: 'Its machines run etcd (Rancher’s `etcdRole`); a provisioned cluster needs at least one such pool with machines.',
  workerRole: 'Its machines run workloads (Rancher’s `workerRole`); a provisioned cluster needs at least one such pool with machines.',
  machineConfigRef: 'The machine configuration its machines are made from (Rancher’s `machineConfigRef`).',
  labels: 'Kubernetes labels put on the pool’s nodes (Rancher’s `labels`): values up to 63 characters.',
  taints: 'Taints put on the pool’s nodes (Rancher’s `taints`): at most 50.',
  drainBeforeDelete: 'Drain a machine’s pods before deleting it (Rancher’s `drainBeforeDelete`).',
  drainTimeoutSeconds:
    'How long a drain may take, in seconds, 0–86400 (Rancher’s `drainBeforeDeleteTimeout`, a duration such as `2m0s` there); none: the default.',
  maxUnhealthy: 'How many machines may be unhealthy before replacing stops, a number or a percentage (`10%`; Rancher’s `maxUnhealthy`).',
  paused: 'Machines are neither created nor deleted while set (Rancher’s `paused`).',
  displayName: 'A name for people to read (Rancher’s `displayName`; Terraform sets the pool’s name): at most 253 characters.',
  machineOS: 'The operating system of the pool’s machines (Rancher’s `machineOS`); none: Linux.',
  nodeStartupTimeout:
    'How long a new machine may take to join as a node before it counts as unhealthy, as a duration (`10m`, `1h30m`; Rancher’s `nodeStartupTimeout`); none: Rancher’s default of 10 minutes.',
  unhealthyRange:
    'Replace unhealthy machines only while their number is within this range, `[min-max]` (`[1-3]`; Rancher’s `unhealthyRange`); none: any number.',
  hostnameLengthLimit: 'The longest hostname the pool’s machines get, 10–63 (Rancher’s `hostnameLengthLimit`; 15 for Windows with NetBIOS); none: 63.',
  rollingUpdate:
    'How the pool’s machines are replaced when its configuration changes (Rancher’s `rollingUpdate`); none: one machine at a time above the quantity.',
  rollingUpdateType: 'How many machines a rollout may take away or add at once (Rancher’s `rollingUpdate`, Cluster API’s MachineDeployment strategy).',
  maxUnavailable:
    'How many machines may be unavailable during a rollout, a number or a percentage rounded down (`25%`; Rancher’s `rollingUpdate.maxUnavailable`); none: 0. Not 0 if maxSurge is 0.',
  maxSurge:
    'How many machines a rollout may create above the quantity, a number or a percentage rounded up (`25%`; Rancher’s `rollingUpdate.maxSurge`); none: 1. Not 0 if maxUnavailable is 0.',
  machineDeploymentLabels:
    'Kubernetes labels put on the Cluster API MachineDeployment behind the pool, not on its nodes (Rancher’s `machineDeploymentLabels`): values up to 63 characters.',
  machineDeploymentAnnotations:
    'Kubernetes annotations put on the Cluster API MachineDeployment behind the pool (Rancher’s `machineDeploymentAnnotations`): 256 KiB in all.',
} as const;

/**
 * The GraphQL shapes of an RKE2/K3s provisioning spec: machine pools and agent
 * customisation, as outputs and as inputs with the same field names (so /v3 bodies
 * pass straight through). The rules are the zod schemas of services/cluster-spec.ts.
 */
type Taint = NonNullable<MachinePool['taints']>[number];
type RollingUpdate = NonNullable<MachinePool['rollingUpdate']>;
type Toleration = NonNullable<AgentCustomization['appendTolerations']>[number];
type ResourceList = { cpu?: string | null; memory?: string | null };
type ResourceRequirements = { requests?: ResourceList | null; limits?: ResourceList | null };

const kindDoc = 'The kind of machine configuration (Rancher’s `machineConfigRef.kind`, such as `Amazonec2Config` or `DigitaloceanConfig`): 1–253 characters.';
const configNameDoc = 'The machine configuration’s name (Rancher’s `machineConfigRef.name`): 1–253 characters.';
const configApiVersionDoc =
  'The machine configuration’s API group and version (Rancher’s `machineConfigRef.apiVersion`, such as `rke-machine-config.cattle.io/v1`); none: Rancher’s machine configurations.';
const cpuDoc = 'CPU as a Kubernetes quantity (`500m` is half a core, `2` two cores).';
const memoryDoc = 'Memory as a Kubernetes quantity in bytes (`256Mi`, `1Gi`).';

const TaintEffect = builder.enumType('TaintEffect', {
  description: 'What a taint does to pods that do not tolerate it (Kubernetes’ `effect`).',
  values: {
    NoSchedule: { description: 'New pods are not scheduled on the node.' },
    PreferNoSchedule: { description: 'New pods are kept off the node when another fits.' },
    NoExecute: { description: 'New pods are not scheduled, and running ones are evicted.' },
  } satisfies Record<(typeof taintEffects)[number], { description: string }>,
});
const TolerationOperator = builder.enumType('TolerationOperator', {
  description: 'How a toleration matches a taint (Kubernetes’ `operator`).',
  values: {
    Equal: { description: 'The key and the value are equal.' },
    Exists: { description: 'The key is present, whatever its value.' },
  } satisfies Record<(typeof tolerationOperators)[number], { description: string }>,
});
const MachineOS = builder.enumType('MachineOS', {
  description: 'The operating system of a machine pool’s machines (Rancher’s `machineOS`).',
  values: {
    linux: { description: 'Linux machines.' },
    windows: { description: 'Windows machines.' },
  } satisfies Record<(typeof machineOperatingSystems)[number], { description: string }>,
});
export const ClusterDriver = builder.enumType('ClusterDriver', {
  description: 'rke2 and k3s clusters are provisioned from machine pools; imported ones already exist.',
  values: {
    rke2: { description: 'Provisioned by the server with RKE2 from machine pools.' },
    k3s: { description: 'Provisioned by the server with K3s from machine pools.' },
    imported: { description: 'An existing cluster, registered with the server by running its agent.' },
  } as const,
});

const MachineConfigRef = builder.objectRef<MachinePool['machineConfigRef']>('MachineConfigRef').implement({
  description: docs.description,
  fields: (t) => ({
    kind: t.exposeString('kind', { description: kindDoc }),
    name: t.exposeString('name', { description: configNameDoc }),
    apiVersion: t.exposeString('apiVersion', { description: configApiVersionDoc, nullable: true }),
  }),
});

const RollingUpdateRef = builder.objectRef<RollingUpdate>('MachinePoolRollingUpdate').implement({
  description: docs.rollingUpdateType,
  fields: (t) => ({
    maxUnavailable: t.expose('maxUnavailable', { description: docs.maxUnavailable, type: 'IntOrString', nullable: true }),
    maxSurge: t.expose('maxSurge', { description: docs.maxSurge, type: 'IntOrString', nullable: true }),
  }),
});

const TaintRef = builder.objectRef<Taint>('Taint').implement({
  description: docs.taintType,
  fields: (t) => ({
    key: t.exposeString('key', {
      description: docs.key,
    }),
    value: t.exposeString('value', { description: docs.value, nullable: true }),
    effect: t.expose('effect', {
      description:
        'What the taint does to pods that do not tolerate it, or which such effect a toleration tolerates (Kubernetes’ `effect`); a toleration without one tolerates every effect.',
      type: TaintEffect,
    }),
  }),
});

const TolerationRef = builder.objectRef<Toleration>('Toleration').implement({
  description: docs.tolerationType,
  fields: (t) => ({
    key: t.exposeString('key', {
      description: docs.key,
      nullable: true,
    }),
    operator: t.expose('operator', {
      description: docs.operator,
      type: TolerationOperator,
      nullable: true,
    }),
    value: t.exposeString('value', { description: docs.value, nullable: true }),
    effect: t.expose('effect', {
      description:
        'What the taint does to pods that do not tolerate it, or which such effect a toleration tolerates (Kubernetes’ `effect`); a toleration without one tolerates every effect.',
      type: TaintEffect,
      nullable: true,
    }),
    tolerationSeconds: t.exposeInt('tolerationSeconds', {
      description: docs.tolerationSeconds,
      nullable: true,
    }),
  }),
});

const ResourceListRef = builder.objectRef<ResourceList>('ResourceList').implement({
  description: 'An amount of CPU and memory (Kubernetes’ `ResourceList`).',
  fields: (t) => ({
    cpu: t.exposeString('cpu', { nullable: true, description: cpuDoc }),
    memory: t.exposeString('memory', { nullable: true, description: memoryDoc }),
  }),
});

export const ResourceRequirementsRef = builder.objectRef<ResourceRequirements>('ResourceRequirements').implement({
  description: docs.resourceRequirementsType,
  fields: (t) => ({
    requests: t.expose('requests', { description: docs.requests, type: ResourceListRef, nullable: true }),
    limits: t.expose('limits', { description: docs.limits, type: ResourceListRef, nullable: true }),
  }),
});

export const AgentCustomizationRef = builder.objectRef<AgentCustomization>('AgentCustomization').implement({
  description: docs.agentCustomizationType,
  fields: (t) => ({
    appendTolerations: t.field({
      description: docs.appendTolerations,
      type: [TolerationRef],
      resolve: (agent) => agent.appendTolerations ?? [],
    }),
    overrideAffinity: t.field({
      description: docs.overrideAffinity,
      type: 'JSON',
      nullable: true,
      resolve: (agent) => agent.overrideAffinity ?? null,
    }),
    overrideResourceRequirements: t.expose('overrideResourceRequirements', {
      description: docs.overrideResourceRequirements,
      type: ResourceRequirementsRef,
      nullable: true,
    }),
  }),
});

export const MachinePoolRef = builder.objectRef<MachinePool>('MachinePool').implement({
  description: 'A set of identical machines with the same roles.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: docs.name,
    }),
    quantity: t.exposeInt('quantity', { description: docs.quantity }),
    etcdRole: t.boolean({
      description: docs.etcdRole,
      resolve: (pool) => pool.etcdRole ?? false,
    }),
    controlPlaneRole: t.boolean({
      description:
        'Its machines run the Kubernetes control plane (Rancher’s `controlPlaneRole`); a provisioned cluster needs at least one such pool with machines.',
      resolve: (pool) => pool.controlPlaneRole ?? false,
    }),
    workerRole: t.boolean({
      description: docs.workerRole,
      resolve: (pool) => pool.workerRole ?? false,
    }),
    machineConfigRef: t.expose('machineConfigRef', {
      description: docs.machineConfigRef,
      type: MachineConfigRef,
    }),
    cloudCredentialId: t.exposeID('cloudCredentialId', {
      description:
        'The id of a cloud credential for this pool’s machines instead of the cluster’s (Rancher’s `cloudCredentialSecretName`); null to use the cluster’s.',
      nullable: true,
    }),
    cloudCredential: linkedResourceOf(
      t,
      (pool) => pool.cloudCredentialId,
      linkTargets.cloudCredential,
      'The cloud credential this pool’s machines are made with, instead of the cluster’s (`cloudCredentialId`). Null when the pool has none of its own, it is gone, or the caller may not see it.',
    ),
    labels: t.field({
      description: docs.labels,
      type: 'StringMap',
      resolve: (pool) => pool.labels ?? {},
    }),
    taints: t.field({
      description: docs.taints,
      type: [TaintRef],
      resolve: (pool) => pool.taints ?? [],
    }),
    drainBeforeDelete: t.boolean({
      description: docs.drainBeforeDelete,
      resolve: (pool) => pool.drainBeforeDelete ?? false,
    }),
    drainTimeoutSeconds: t.exposeInt('drainTimeoutSeconds', {
      description: docs.drainTimeoutSeconds,
      nullable: true,
    }),
    unhealthyNodeTimeout: t.exposeString('unhealthyNodeTimeout', {
      description:
        'How long a machine may be unhealthy before it is replaced, as a duration (`5m`, `1h30m`; Rancher’s `unhealthyNodeTimeout`); none never replaces.',
      nullable: true,
    }),
    maxUnhealthy: t.exposeString('maxUnhealthy', {
      description: docs.maxUnhealthy,
      nullable: true,
    }),
    paused: t.boolean({ description: docs.paused, resolve: (pool) => pool.paused ?? false }),
    displayName: t.exposeString('displayName', { description: docs.displayName, nullable: true }),
    machineOS: t.expose('machineOS', { description: docs.machineOS, type: MachineOS, nullable: true }),
    nodeStartupTimeout: t.exposeString('nodeStartupTimeout', { description: docs.nodeStartupTimeout, nullable: true }),
    unhealthyRange: t.exposeString('unhealthyRange', { description: docs.unhealthyRange, nullable: true }),
    hostnameLengthLimit: t.exposeInt('hostnameLengthLimit', { description: docs.hostnameLengthLimit, nullable: true }),
    rollingUpdate: t.expose('rollingUpdate', { description: docs.rollingUpdate, type: RollingUpdateRef, nullable: true }),
    machineDeploymentLabels: t.field({
      description: docs.machineDeploymentLabels,
      type: 'StringMap',
      resolve: (pool) => pool.machineDeploymentLabels ?? {},
    }),
    machineDeploymentAnnotations: t.field({
      description: docs.machineDeploymentAnnotations,
      type: 'StringMap',
      resolve: (pool) => pool.machineDeploymentAnnotations ?? {},
    }),
  }),
});

const MachineConfigRefInput = builder.inputType('MachineConfigRefInput', {
  description: docs.description,
  fields: (t) => ({
    kind: t.string({ required: true, description: kindDoc }),
    name: t.string({ required: true, description: configNameDoc }),
    apiVersion: t.string({ description: configApiVersionDoc }),
  }),
});

const RollingUpdateInput = builder.inputType('MachinePoolRollingUpdateInput', {
  description: docs.rollingUpdateType,
  fields: (t) => ({
    maxUnavailable: t.field({ description: docs.maxUnavailable, type: 'IntOrString' }),
    maxSurge: t.field({ description: docs.maxSurge, type: 'IntOrString' }),
  }),
});

const TaintInput = builder.inputType('TaintInput', {
  description: docs.taintType,
  fields: (t) => ({
    key: t.string({
      required: true,
      description: docs.key,
    }),
    value: t.string({ description: docs.value }),
    effect: t.field({
      type: TaintEffect,
      required: true,
      description:
        'What the taint does to pods that do not tolerate it, or which such effect a toleration tolerates (Kubernetes’ `effect`); a toleration without one tolerates every effect.',
    }),
  }),
});

const TolerationInput = builder.inputType('TolerationInput', {
  description: docs.tolerationType,
  fields: (t) => ({
    key: t.string({
      description: docs.key,
    }),
    operator: t.field({
      description: docs.operator,
      type: TolerationOperator,
    }),
    value: t.string({ description: docs.value }),
    effect: t.field({
      description:
        'What the taint does to pods that do not tolerate it, or which such effect a toleration tolerates (Kubernetes’ `effect`); a toleration without one tolerates every effect.',
      type: TaintEffect,
    }),
    tolerationSeconds: t.int({
      description: docs.tolerationSeconds,
    }),
  }),
});

const ResourceListInput = builder.inputType('ResourceListInput', {
  description: 'An amount of CPU and memory (Kubernetes’ `ResourceList`); each a Kubernetes quantity.',
  fields: (t) => ({ cpu: t.string({ description: cpuDoc }), memory: t.string({ description: memoryDoc }) }),
});

export const ResourceRequirementsInput = builder.inputType('ResourceRequirementsInput', {
  description: docs.resourceRequirementsType,
  fields: (t) => ({
    requests: t.field({ type: ResourceListInput, description: docs.requests }),
    limits: t.field({ type: ResourceListInput, description: docs.limits }),
  }),
});

const AgentCustomizationInput = builder.inputType('AgentCustomizationInput', {
  description: docs.agentCustomizationType,
  fields: (t) => ({
    appendTolerations: t.field({
      description: docs.appendTolerations,
      type: [TolerationInput],
    }),
    overrideAffinity: t.field({
      description: docs.overrideAffinity,
      type: 'JSON',
    }),
    overrideResourceRequirements: t.field({
      description: docs.overrideResourceRequirements,
      type: ResourceRequirementsInput,
    }),
  }),
});

const MachinePoolInput = builder.inputType('MachinePoolInput', {
  description: 'A set of identical machines with the same roles (Rancher’s `machinePools` item).',
  fields: (t) => ({
    name: t.string({
      description: docs.name,
      required: true,
    }),
    quantity: t.int({ description: docs.quantity, required: true }),
    etcdRole: t.boolean({ description: docs.etcdRole }),
    controlPlaneRole: t.boolean({
      description:
        'Its machines run the Kubernetes control plane (Rancher’s `controlPlaneRole`); a provisioned cluster needs at least one such pool with machines.',
    }),
    workerRole: t.boolean({
      description: docs.workerRole,
    }),
    machineConfigRef: t.field({
      description: docs.machineConfigRef,
      type: MachineConfigRefInput,
      required: true,
    }),
    cloudCredentialId: t.id({
      description:
        'The id of a cloud credential for this pool’s machines instead of the cluster’s (Rancher’s `cloudCredentialSecretName`); null to use the cluster’s.',
    }),
    labels: t.field({ description: docs.labels, type: 'StringMap' }),
    taints: t.field({ description: docs.taints, type: [TaintInput] }),
    drainBeforeDelete: t.boolean({ description: docs.drainBeforeDelete }),
    drainTimeoutSeconds: t.int({ description: docs.drainTimeoutSeconds }),
    unhealthyNodeTimeout: t.string({
      description:
        'How long a machine may be unhealthy before it is replaced, as a duration (`5m`, `1h30m`; Rancher’s `unhealthyNodeTimeout`); none never replaces.',
    }),
    maxUnhealthy: t.string({
      description: docs.maxUnhealthy,
    }),
    paused: t.boolean({ description: docs.paused }),
    displayName: t.string({ description: docs.displayName }),
    machineOS: t.field({ description: docs.machineOS, type: MachineOS }),
    nodeStartupTimeout: t.string({ description: docs.nodeStartupTimeout }),
    unhealthyRange: t.string({ description: docs.unhealthyRange }),
    hostnameLengthLimit: t.int({ description: docs.hostnameLengthLimit }),
    rollingUpdate: t.field({ description: docs.rollingUpdate, type: RollingUpdateInput }),
    machineDeploymentLabels: t.field({ description: docs.machineDeploymentLabels, type: 'StringMap' }),
    machineDeploymentAnnotations: t.field({ description: docs.machineDeploymentAnnotations, type: 'StringMap' }),
  }),
});

/** The spec's fields on the create and update inputs of a cluster, with their rules. */
export function specInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
    machinePools: t.field({
      description: 'The sets of machines the server provisions (Rancher’s `spec.rkeConfig.machinePools`); for K3S and RKE2 clusters only.',
      type: [MachinePoolInput],
      validate: machinePoolsSchema,
    }),
    clusterAgentCustomization: t.field({
      description: 'Scheduling overrides for the cattle-cluster-agent deployment (Rancher’s `spec.clusterAgentDeploymentCustomization`).',
      type: AgentCustomizationInput,
      validate: agentCustomizationSchema,
    }),
    fleetAgentCustomization: t.field({
      description: 'Scheduling overrides for the fleet-agent deployment (Rancher’s `spec.fleetAgentDeploymentCustomization`).',
      type: AgentCustomizationInput,
      validate: agentCustomizationSchema,
    }),
  };
}
