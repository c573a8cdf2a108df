import { z } from 'zod';
import { clusterPolicy } from '../../auth/policies/cluster.js';
import { nodePoolPolicy } from '../../auth/policies/node-pool.js';
import { nodeTemplatePolicy } from '../../auth/policies/node-template.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import { builder, type BuilderTypes } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { displayName, labels } from '../validators.js';
import { defineResource } from './define-resource.js';
import { creationFields, linkedResource, linkTargets } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  description: 'How a node is drained before it is deleted.',
  force: 'Delete pods that no controller manages.',
  gracePeriod: 'Seconds each pod is given to stop; -1: the pod’s own.',
  displayName: 'The name shown to people (Rancher’s `displayName`): 1–253 characters; empty when none was given.',
  nodeDrainInput: 'How a node is drained before it is deleted (Rancher’s `nodeDrainInput`).',
  nodeTemplateId: 'A node template of the caller’s, of an active driver.',
} as const;

/** Everything that makes a NodePool a resource: Rancher's nodePool, a cluster's nodes made from one node template. */

const NodeDrainInputRef = builder.inputType('NodeDrainInputInput', {
  description: docs.description,
  fields: (t) => ({
    force: t.boolean({ description: docs.force, defaultValue: false }),
    ignoreDaemonSets: t.boolean({ description: 'Leave DaemonSet pods alone.', defaultValue: true }),
    deleteLocalData: t.boolean({ description: 'Delete pods with emptyDir volumes.', defaultValue: false }),
    gracePeriod: t.int({
      description: docs.gracePeriod,
      defaultValue: -1,
      validate: z.number().int().min(-1).max(86_400),
    }),
    timeout: t.int({ description: 'Seconds before the drain gives up.', defaultValue: 120, validate: z.number().int().min(1).max(10_800) }),
  }),
});

const NodeDrainRef = builder.objectRef<Record<string, unknown>>('NodeDrainInput').implement({
  description: docs.description,
  fields: (t) => ({
    force: t.boolean({ nullable: true, description: docs.force, resolve: (drain) => (drain.force as boolean) ?? null }),
    ignoreDaemonSets: t.boolean({
      nullable: true,
      description: 'Leave DaemonSet pods alone.',
      resolve: (drain) => (drain.ignoreDaemonSets as boolean) ?? null,
    }),
    deleteLocalData: t.boolean({
      nullable: true,
      description: 'Delete pods with emptyDir volumes.',
      resolve: (drain) => (drain.deleteLocalData as boolean) ?? null,
    }),
    gracePeriod: t.int({
      nullable: true,
      description: docs.gracePeriod,
      resolve: (drain) => (drain.gracePeriod as number) ?? null,
    }),
    timeout: t.int({ nullable: true, description: 'Seconds before the drain gives up.', resolve: (drain) => (drain.timeout as number) ?? null }),
  }),
});

const quantity = z.number().int().min(0).max(1000);
/** The start of node names (a number follows): a DNS label's characters, so it may end in `-`. */
const hostnamePrefix = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][-a-z0-9]*$/, 'hostname prefixes are lowercase letters, digits and -, starting with a letter or digit');
const seconds = z.number().int().min(0).max(31_536_000);

const poolFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  displayName: t.string({
    description: docs.displayName,
    validate: displayName,
  }),
  quantity: t.int({ validate: quantity, description: 'How many nodes the pool keeps.' }),
  controlPlane: t.boolean({ description: 'Its nodes run the control plane.' }),
  etcd: t.boolean({ description: 'Its nodes run etcd.' }),
  worker: t.boolean({ description: 'Its nodes run workloads.' }),
  deleteNotReadyAfterSecs: t.int({ validate: seconds, description: 'Replace a node that has not been ready this many seconds; 0: never.' }),
  drainBeforeDelete: t.boolean({ description: 'Drain a node before deleting it.' }),
  nodeDrainInput: t.field({ description: docs.nodeDrainInput, type: NodeDrainInputRef }),
  nodeLabels: t.field({ type: 'StringMap', validate: labels, description: 'Labels of its nodes.' }),
  ...metadataInputFields(t),
});

const CreateNodePoolInput = builder.inputType('CreateNodePoolInput', {
  description: 'A new node pool of a cluster, made from one of the caller’s node templates.',
  fields: (t) => ({
    clusterId: t.id({ description: fieldDocs.clusterId, required: true }),
    hostnamePrefix: t.string({ required: true, validate: hostnamePrefix, description: 'Its nodes’ names start with it; unique in the cluster.' }),
    nodeTemplateId: t.id({ required: true, description: docs.nodeTemplateId }),
    ...poolFields(t),
  }),
});

const UpdateNodePoolInput = builder.inputType('UpdateNodePoolInput', {
  description: 'The fields of a node pool to change; its cluster is fixed.',
  fields: (t) => ({
    hostnamePrefix: t.string({ validate: hostnamePrefix, description: 'Unique in the cluster.' }),
    nodeTemplateId: t.id({ description: docs.nodeTemplateId }),
    ...poolFields(t),
  }),
});

export const nodePoolResource = defineResource('NodePool', {
  description:
    'A group of a cluster’s nodes made from one node template (Rancher’s nodePool). No machine is provisioned by this server: the pool records what the cluster’s nodes should be.',
  policy: nodePoolPolicy,
  fields: (t) => ({
    clusterId: t.exposeID('clusterId', { description: fieldDocs.clusterId }),
    cluster: t.relation('cluster', { description: 'The cluster it belongs to (what `clusterId` names).' }),
    hostnamePrefix: t.exposeString('hostnamePrefix', {
      description:
        'The start of its nodes’ names, a number follows (Rancher’s `hostnamePrefix`): 1–50 lowercase letters, digits and `-`; unique in the cluster.',
    }),
    displayName: t.exposeString('displayName', {
      description: docs.displayName,
    }),
    nodeTemplateId: t.exposeID('nodeTemplateId', { description: 'The id of the node template its nodes are made from (Rancher’s `nodeTemplateId`).' }),
    nodeTemplate: linkedResource(
      t,
      'nodeTemplateId',
      linkTargets.nodeTemplate,
      'The node template its machines are made from (`nodeTemplateId`, Rancher’s `nodeTemplateId`). Null when it is gone or the caller may not see it (only its owner and admins do).',
    ),
    quantity: t.exposeInt('quantity', { description: 'How many nodes the pool keeps (Rancher’s `quantity`): 0–1000.' }),
    controlPlane: t.exposeBoolean('controlPlane', { description: 'Its nodes run the Kubernetes control plane (Rancher’s `controlPlane`).' }),
    etcd: t.exposeBoolean('etcd', { description: 'Its nodes run etcd (Rancher’s `etcd`).' }),
    worker: t.exposeBoolean('worker', { description: 'Its nodes run workloads (Rancher’s `worker`).' }),
    deleteNotReadyAfterSecs: t.exposeInt('deleteNotReadyAfterSecs', {
      description: 'A node not ready for this many seconds is replaced, 0–31536000; 0 never (Rancher’s `deleteNotReadyAfterSecs`).',
    }),
    drainBeforeDelete: t.exposeBoolean('drainBeforeDelete', { description: 'A node is drained before it is deleted (Rancher’s `drainBeforeDelete`).' }),
    nodeDrainInput: t.field({
      description: docs.nodeDrainInput,
      type: NodeDrainRef,
      select: { nodeDrainInput: true },
      resolve: (pool) => pool.nodeDrainInput as Record<string, unknown>,
    }),
    nodeLabels: t.field({
      description: 'Kubernetes labels put on its nodes (Rancher’s `nodeLabels`).',
      type: 'StringMap',
      select: { nodeLabels: true },
      resolve: (pool) => pool.nodeLabels as Record<string, string>,
    }),
    ...metadataFields(t),
    ...creationFields(t),
  }),
  list: {
    id: { filter: StringFilter },
    clusterId: { filter: StringFilter },
    hostnamePrefix: { filter: StringFilter },
    nodeTemplateId: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateNodePoolInput,
    run: async (context, input, query) => {
      await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'update');
      await authorizeReference(context, nodeTemplatePolicy, { fieldName: 'nodeTemplateId', id: input.nodeTemplateId }, 'read');
      return context.services.nodePools.create(input, context.principal!.userId, query);
    },
  },
  update: {
    input: UpdateNodePoolInput,
    verb: 'update',
    allowedDescription: 'This caller may change the node pool (those who may change its cluster).',
    run: async (context, { id, input, query, scope }) => {
      if (input.nodeTemplateId) await authorizeReference(context, nodeTemplatePolicy, { fieldName: 'nodeTemplateId', id: input.nodeTemplateId }, 'read');
      return context.services.nodePools.update(id, input, query, scope);
    },
  },
  remove: { verb: 'update', allowedDescription: 'This caller may delete the node pool (those who may change its cluster).' },
});
