import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { optionalReference } from './input.js';

/**
 * The provisioning spec of an RKE2/K3s cluster (provisioning.cattle.io/v1 Cluster
 * `spec`): machine pools and the customisation of the cluster and fleet agents.
 * The rules live here once, as zod schemas; the GraphQL input types run them
 * field by field, and `checkClusterSpec` adds the rules that span fields.
 */
const quantity = /^([+-]?[0-9.]+)([eE][-+]?[0-9]+|[numkMGTPE]i?|[KMGTPE]i)?$/;
const duration = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const labelKey = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const tolerationOperators = ['Equal', 'Exists'] as const;

const taintSchema = z.object({
  key: z.string().min(1).max(316).regex(labelKey, 'taint keys are [prefix/]name'),
  value: z.string().max(63).regex(labelValue, 'taint values are at most 63 letters, digits, -, _ and .').optional().nullable(),
  effect: z.enum(taintEffects),
});

const tolerationSchema = z.object({
  key: z.string().max(316).optional().nullable(),
  operator: z.enum(tolerationOperators).optional().nullable(),
  value: z.string().max(63).optional().nullable(),
  effect: z.enum(taintEffects).optional().nullable(),
  tolerationSeconds: z.number().int().min(0).optional().nullable(),
});

export const resourceListSchema = z.object({
  cpu: z.string().regex(quantity, 'cpu must be a Kubernetes quantity such as 500m or 2').optional().nullable(),
  memory: z.string().regex(quantity, 'memory must be a Kubernetes quantity such as 256Mi or 1Gi').optional().nullable(),
});

export const agentCustomizationSchema = z.object({
  appendTolerations: z.array(tolerationSchema).max(50).optional().nullable(),
  // A Kubernetes Affinity object, passed through to the agent's pod spec as given.
  overrideAffinity: z
    .unknown()
    .refine((value) => value == null || (typeof value === 'object' && !Array.isArray(value)), 'must be an object')
    .optional(),
  overrideResourceRequirements: z
    .object({ requests: resourceListSchema.optional().nullable(), limits: resourceListSchema.optional().nullable() })
    .optional()
    .nullable(),
});

const machinePoolSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'pool names are lowercase letters, digits and -'),
  quantity: z.number().int().min(0).max(1000),
  etcdRole: z.boolean().optional().nullable(),
  controlPlaneRole: z.boolean().optional().nullable(),
  workerRole: z.boolean().optional().nullable(),
  machineConfigRef: z.object({ kind: z.string().min(1).max(253), name: z.string().min(1).max(253) }),
  cloudCredentialId: optionalReference.optional().nullable(),
  labels: z.record(z.string().regex(labelKey), z.string().regex(labelValue).max(63)).optional().nullable(),
  taints: z.array(taintSchema).max(50).optional().nullable(),
  drainBeforeDelete: z.boolean().optional().nullable(),
  drainTimeoutSeconds: z.number().int().min(0).max(86_400).optional().nullable(),
  unhealthyNodeTimeout: z.string().regex(duration, 'a duration such as 5m or 1h30m').optional().nullable(),
  maxUnhealthy: z
    .string()
    .regex(/^([0-9]+%?)$/, 'a number or a percentage such as 10%')
    .optional()
    .nullable(),
  paused: z.boolean().optional().nullable(),
});

export const machinePoolsSchema = z
  .array(machinePoolSchema)
  .max(50)
  .refine((pools) => new Set(pools.map((pool) => pool.name)).size === pools.length, 'machine pool names must be unique');

export type MachinePool = z.infer<typeof machinePoolSchema>;
export type AgentCustomization = z.infer<typeof agentCustomizationSchema>;
export type ClusterDriverName = 'rke2' | 'k3s' | 'imported';

export interface ClusterSpecInput {
  driver?: ClusterDriverName | null;
  kubernetesVersion?: string | null;
  machinePools?: MachinePool[] | null;
}

/** Kubernetes versions as RKE2 and K3s release them: `v1.31.4+rke2r1`, `v1.30.8+k3s1`. */
const versionPattern: Record<Exclude<ClusterDriverName, 'imported'>, RegExp> = {
  rke2: /^v1\.\d+\.\d+\+rke2r\d+$/,
  k3s: /^v1\.\d+\.\d+\+k3s\d+$/,
};

/**
 * The rules that span fields: the version must be one of the driver's, an imported
 * cluster has no machine pools, and a provisioned cluster with pools needs at least
 * one pool for each role (etcd, control plane, worker).
 */
export function checkClusterSpec(spec: ClusterSpecInput): void {
  const driver = spec.driver ?? 'imported';
  if (driver === 'imported') {
    if (spec.machinePools?.length) throw invalidInput('machinePools', 'imported clusters have no machine pools');
    return;
  }
  if (!spec.kubernetesVersion) throw invalidInput('kubernetesVersion', `kubernetesVersion is required for ${driver} clusters`, 'MissingRequired');
  if (!versionPattern[driver].test(spec.kubernetesVersion)) {
    throw invalidInput(
      'kubernetesVersion',
      `${JSON.stringify(spec.kubernetesVersion)} is not a ${driver} version such as ${driver === 'rke2' ? 'v1.31.4+rke2r1' : 'v1.31.4+k3s1'}`,
    );
  }
  const pools = spec.machinePools ?? [];
  if (pools.length === 0) return;
  for (const role of ['etcdRole', 'controlPlaneRole', 'workerRole'] as const) {
    if (!pools.some((pool) => pool[role] && pool.quantity > 0)) {
      throw invalidInput('machinePools', `at least one machine pool with quantity > 0 needs the ${role.replace('Role', '')} role`);
    }
  }
}
