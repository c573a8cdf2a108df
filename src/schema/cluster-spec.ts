import type { AgentCustomization, MachinePool } from '../services/cluster-spec.js';
import { agentCustomizationSchema, machinePoolsSchema, taintEffects, tolerationOperators } from '../services/cluster-spec.js';
import { builder, type BuilderTypes } from './builder.js';

/**
 * The GraphQL shapes of an RKE2/K3s provisioning spec: machine pools and agent
 * customisation, as outputs and as inputs with the same field names (so /v3 bodies
 * pass straight through). The rules are the zod schemas of services/cluster-spec.ts.
 */
type Taint = NonNullable<MachinePool['taints']>[number];
type Toleration = NonNullable<AgentCustomization['appendTolerations']>[number];
type ResourceList = { cpu?: string | null; memory?: string | null };
type ResourceRequirements = { requests?: ResourceList | null; limits?: ResourceList | null };

export const TaintEffect = builder.enumType('TaintEffect', { values: taintEffects });
export const TolerationOperator = builder.enumType('TolerationOperator', { values: tolerationOperators });
export const ClusterDriver = builder.enumType('ClusterDriver', {
  description: 'rke2 and k3s clusters are provisioned from machine pools; imported ones already exist.',
  values: ['rke2', 'k3s', 'imported'] as const,
});

const MachineConfigRef = builder.objectRef<MachinePool['machineConfigRef']>('MachineConfigRef').implement({
  description: 'The machine configuration (node template) a pool creates its machines from.',
  fields: (t) => ({ kind: t.exposeString('kind'), name: t.exposeString('name') }),
});

const TaintRef = builder.objectRef<Taint>('Taint').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.exposeString('value', { nullable: true }),
    effect: t.expose('effect', { type: TaintEffect }),
  }),
});

const TolerationRef = builder.objectRef<Toleration>('Toleration').implement({
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true }),
    operator: t.expose('operator', { type: TolerationOperator, nullable: true }),
    value: t.exposeString('value', { nullable: true }),
    effect: t.expose('effect', { type: TaintEffect, nullable: true }),
    tolerationSeconds: t.exposeInt('tolerationSeconds', { nullable: true }),
  }),
});

const ResourceListRef = builder.objectRef<ResourceList>('ResourceList').implement({
  fields: (t) => ({ cpu: t.exposeString('cpu', { nullable: true }), memory: t.exposeString('memory', { nullable: true }) }),
});

export const ResourceRequirementsRef = builder.objectRef<ResourceRequirements>('ResourceRequirements').implement({
  fields: (t) => ({
    requests: t.expose('requests', { type: ResourceListRef, nullable: true }),
    limits: t.expose('limits', { type: ResourceListRef, nullable: true }),
  }),
});

export const AgentCustomizationRef = builder.objectRef<AgentCustomization>('AgentCustomization').implement({
  description: 'Scheduling and resources of an agent Rancher runs in the cluster.',
  fields: (t) => ({
    appendTolerations: t.field({ type: [TolerationRef], resolve: (agent) => agent.appendTolerations ?? [] }),
    overrideAffinity: t.field({ type: 'JSON', nullable: true, resolve: (agent) => agent.overrideAffinity ?? null }),
    overrideResourceRequirements: t.expose('overrideResourceRequirements', { type: ResourceRequirementsRef, nullable: true }),
  }),
});

export const MachinePoolRef = builder.objectRef<MachinePool>('MachinePool').implement({
  description: 'A set of identical machines with the same roles.',
  fields: (t) => ({
    name: t.exposeString('name'),
    quantity: t.exposeInt('quantity'),
    etcdRole: t.boolean({ resolve: (pool) => pool.etcdRole ?? false }),
    controlPlaneRole: t.boolean({ resolve: (pool) => pool.controlPlaneRole ?? false }),
    workerRole: t.boolean({ resolve: (pool) => pool.workerRole ?? false }),
    machineConfigRef: t.expose('machineConfigRef', { type: MachineConfigRef }),
    cloudCredentialId: t.exposeID('cloudCredentialId', { nullable: true }),
    labels: t.field({ type: 'StringMap', resolve: (pool) => pool.labels ?? {} }),
    taints: t.field({ type: [TaintRef], resolve: (pool) => pool.taints ?? [] }),
    drainBeforeDelete: t.boolean({ resolve: (pool) => pool.drainBeforeDelete ?? false }),
    drainTimeoutSeconds: t.exposeInt('drainTimeoutSeconds', { nullable: true }),
    unhealthyNodeTimeout: t.exposeString('unhealthyNodeTimeout', { nullable: true }),
    maxUnhealthy: t.exposeString('maxUnhealthy', { nullable: true }),
    paused: t.boolean({ resolve: (pool) => pool.paused ?? false }),
  }),
});

const MachineConfigRefInput = builder.inputType('MachineConfigRefInput', {
  fields: (t) => ({ kind: t.string({ required: true }), name: t.string({ required: true }) }),
});

const TaintInput = builder.inputType('TaintInput', {
  fields: (t) => ({ key: t.string({ required: true }), value: t.string(), effect: t.field({ type: TaintEffect, required: true }) }),
});

const TolerationInput = builder.inputType('TolerationInput', {
  fields: (t) => ({
    key: t.string(),
    operator: t.field({ type: TolerationOperator }),
    value: t.string(),
    effect: t.field({ type: TaintEffect }),
    tolerationSeconds: t.int(),
  }),
});

const ResourceListInput = builder.inputType('ResourceListInput', {
  fields: (t) => ({ cpu: t.string(), memory: t.string() }),
});

export const ResourceRequirementsInput = builder.inputType('ResourceRequirementsInput', {
  fields: (t) => ({ requests: t.field({ type: ResourceListInput }), limits: t.field({ type: ResourceListInput }) }),
});

export const AgentCustomizationInput = builder.inputType('AgentCustomizationInput', {
  fields: (t) => ({
    appendTolerations: t.field({ type: [TolerationInput] }),
    overrideAffinity: t.field({ type: 'JSON' }),
    overrideResourceRequirements: t.field({ type: ResourceRequirementsInput }),
  }),
});

export const MachinePoolInput = builder.inputType('MachinePoolInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    quantity: t.int({ required: true }),
    etcdRole: t.boolean(),
    controlPlaneRole: t.boolean(),
    workerRole: t.boolean(),
    machineConfigRef: t.field({ type: MachineConfigRefInput, required: true }),
    cloudCredentialId: t.id(),
    labels: t.field({ type: 'StringMap' }),
    taints: t.field({ type: [TaintInput] }),
    drainBeforeDelete: t.boolean(),
    drainTimeoutSeconds: t.int(),
    unhealthyNodeTimeout: t.string(),
    maxUnhealthy: t.string(),
    paused: t.boolean(),
  }),
});

/** The spec's fields on the create and update inputs of a cluster, with their rules. */
export function specInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
    machinePools: t.field({ type: [MachinePoolInput], validate: machinePoolsSchema }),
    clusterAgentCustomization: t.field({ type: AgentCustomizationInput, validate: agentCustomizationSchema }),
    fleetAgentCustomization: t.field({ type: AgentCustomizationInput, validate: agentCustomizationSchema }),
  };
}
