import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { annotationMap, labelKey, labelMap, labelValue } from '../kubernetes-labels.js';
import { optionalReference } from './input.js';

/**
 * The provisioning spec of an RKE2/K3s cluster (provisioning.cattle.io/v1 Cluster
 * `spec`): machine pools, the customisation of the cluster and fleet agents, their
 * environment, the local cluster auth endpoint. The rules live here once, as zod
 * schemas; the GraphQL input types run them field by field, and `checkClusterSpec`
 * adds the rules that span fields. The rest of `spec.rkeConfig` (Rancher's
 * rke.cattle.io ClusterConfiguration) has its rules in rke-config.ts.
 */
const quantity = /^([+-]?[0-9.]+)([eE][-+]?[0-9]+|[numkMGTPE]i?|[KMGTPE]i)?$/;
const duration = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

export const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const tolerationOperators = ['Equal', 'Exists'] as const;
/** Rancher's `machineOS`: only Linux and Windows machines are told apart. */
export const machineOperatingSystems = ['linux', 'windows'] as const;
/** The longest drain a pool may ask for (Rancher's `drainBeforeDeleteTimeout`): a day. */
export const maxDrainTimeoutSeconds = 86_400;

const taintSchema = z.object({
  key: labelKey,
  value: labelValue.optional().nullable(),
  effect: z.enum(taintEffects),
});

const tolerationSchema = z.object({
  key: z.string().max(316).optional().nullable(),
  operator: z.enum(tolerationOperators).optional().nullable(),
  value: z.string().max(63).optional().nullable(),
  effect: z.enum(taintEffects).optional().nullable(),
  tolerationSeconds: z.number().int().min(0).optional().nullable(),
});

/**
 * The most one part of the spec holds, serialised (Kubernetes' bound on an object's
 * annotations): a map of chart values, a registry list, an additional manifest.
 */
export const maxSpecPartBytes = 256 * 1024;

/** A refinement: the value, as JSON, is at most `bytes` long. */
export const serializedAtMost =
  (bytes: number) =>
  (value: unknown): boolean =>
    JSON.stringify(value).length <= bytes;

/** An environment variable (Kubernetes' `EnvVar` of a container; Rancher's `EnvVar` of its agents), name and literal value. */
export const envVarSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'environment variable names are letters, digits, -, _ and ., not starting with a digit'),
  value: z.string().max(32_768).optional().nullable(),
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

/**
 * Rancher's `agentEnvVars`: set on the cluster agent and the system agent of every
 * machine. Its webhook refuses a NO_PROXY with spaces, which Go's proxy rules would
 * read as one odd host rather than as a list.
 */
export const agentEnvVarsSchema = z
  .array(envVarSchema)
  .max(100)
  .superRefine((variables, context) => {
    variables.forEach((variable, index) => {
      if (variable.name === 'NO_PROXY' && /\s/.test(variable.value ?? ''))
        context.addIssue({ code: 'custom', path: [index, 'value'], message: 'NO_PROXY must not contain spaces: separate its hosts with commas' });
    });
  })
  .refine(serializedAtMost(maxSpecPartBytes), 'agent environment variables must not exceed 256 KiB in all');

/** A host name, optionally with a port: what a kubeconfig's server URL names. */
const hostAndPort = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?$/;

/**
 * Rancher's `localClusterAuthEndpoint`: kubeconfigs that reach the cluster's API server
 * directly, at `fqdn` (a load balancer before the control plane), trusting `caCerts`.
 * Rancher refuses CA certificates without an FQDN to present them for.
 */
export const localClusterAuthEndpointSchema = z
  .object({
    enabled: z.boolean().optional().nullable(),
    fqdn: z
      .string()
      .max(259)
      .refine((fqdn) => fqdn === '' || hostAndPort.test(fqdn), 'a host name, optionally with a port, such as api.example.com or api.example.com:6443')
      .optional()
      .nullable(),
    caCerts: z.string().max(65_536).optional().nullable(),
  })
  .refine((endpoint) => !endpoint.caCerts || !!endpoint.fqdn, { message: 'caCerts are set but fqdn is not', path: ['fqdn'] });

/**
 * Kubernetes' IntOrString as a rollout takes it: a count (an int32) or a percentage
 * of the pool. Digits without `%` are accepted as text too, as the IntOrString
 * scalar accepts them, since older Terraform providers sent counts that way.
 */
const countOrPercentage = z.union([z.number().int().min(0).max(2_147_483_647), z.string().regex(/^[0-9]{1,10}%?$/, 'a number or a percentage such as 25%')], {
  error: 'a number or a percentage such as 25%',
});
const isZero = (value: number | string | null | undefined) => value === 0 || value === '0' || value === '0%';

const rollingUpdateSchema = z
  .object({ maxUnavailable: countOrPercentage.optional().nullable(), maxSurge: countOrPercentage.optional().nullable() })
  // Cluster API's rule, with its defaults (maxUnavailable 0, maxSurge 1): a rollout that may neither remove nor add a machine never ends.
  .refine((update) => !(isZero(update.maxUnavailable ?? 0) && isZero(update.maxSurge ?? 1)), {
    message: 'maxUnavailable and maxSurge cannot both be 0',
    path: ['maxSurge'],
  });

/** Cluster API's `unhealthyRange`: `[min-max]` unhealthy machines within which remediation runs. */
const unhealthyRange = z
  .string()
  .regex(/^\[[0-9]{1,9}-[0-9]{1,9}\]$/, 'a range of machines such as [1-3]')
  .refine((range) => {
    const [low, high] = range.slice(1, -1).split('-').map(Number);
    return low! <= high!;
  }, 'the range must not end below its start');

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
  displayName: z.string().max(253).optional().nullable(),
  machineConfigRef: z.object({
    // A Kubernetes apiVersion, `group/version` or a bare version.
    apiVersion: z
      .string()
      .max(317)
      .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'an apiVersion such as rke-machine-config.cattle.io/v1')
      .optional()
      .nullable(),
    kind: z.string().min(1).max(253),
    name: z.string().min(1).max(253),
  }),
  cloudCredentialId: optionalReference.optional().nullable(),
  labels: labelMap.optional().nullable(),
  taints: z.array(taintSchema).max(50).optional().nullable(),
  drainBeforeDelete: z.boolean().optional().nullable(),
  drainTimeoutSeconds: z.number().int().min(0).max(maxDrainTimeoutSeconds).optional().nullable(),
  nodeStartupTimeout: z.string().regex(duration, 'a duration such as 10m or 1h30m').optional().nullable(),
  unhealthyNodeTimeout: z.string().regex(duration, 'a duration such as 5m or 1h30m').optional().nullable(),
  maxUnhealthy: z
    .string()
    .regex(/^([0-9]+%?)$/, 'a number or a percentage such as 10%')
    .optional()
    .nullable(),
  unhealthyRange: unhealthyRange.optional().nullable(),
  paused: z.boolean().optional().nullable(),
  machineOS: z.enum(machineOperatingSystems).optional().nullable(),
  // Rancher's bounds: 15 is the NetBIOS limit Windows machines need, 63 a DNS label.
  hostnameLengthLimit: z.number().int().min(10).max(63).optional().nullable(),
  rollingUpdate: rollingUpdateSchema.optional().nullable(),
  machineDeploymentLabels: labelMap.optional().nullable(),
  machineDeploymentAnnotations: annotationMap.optional().nullable(),
});

export const machinePoolsSchema = z
  .array(machinePoolSchema)
  .max(50)
  // On the second pool of a name, so that a form (or a /v1 Status) can point at it.
  .superRefine((pools, context) => {
    const seen = new Set<string>();
    pools.forEach((pool, index) => {
      if (seen.has(pool.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: 'machine pool names must be unique' });
      seen.add(pool.name);
    });
  });

export type MachinePool = z.infer<typeof machinePoolSchema>;
export type AgentCustomization = z.infer<typeof agentCustomizationSchema>;
export type EnvVar = z.infer<typeof envVarSchema>;
export type LocalClusterAuthEndpoint = z.infer<typeof localClusterAuthEndpointSchema>;
export type ClusterDriverName = 'rke2' | 'k3s' | 'imported';

/** The parts of Rancher's `spec.rkeConfig` beside the machine pools (their rules: rke-config.ts). */
const rkeConfigParts = ['chartValues', 'machineGlobalConfig', 'machineSelectorConfig', 'additionalManifest', 'upgradeStrategy', 'etcd', 'registries'] as const;
type RkeConfigPart = (typeof rkeConfigParts)[number];

export interface ClusterSpecInput extends Partial<Record<RkeConfigPart, unknown>> {
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
 * cluster has no machine pools nor any other part of an rkeConfig, and a provisioned
 * cluster with pools needs at least one pool for each role (etcd, control plane, worker).
 */
export function checkClusterSpec(spec: ClusterSpecInput): void {
  const driver = spec.driver ?? 'imported';
  if (driver === 'imported') {
    if (spec.machinePools?.length) throw invalidInput('machinePools', 'imported clusters have no machine pools');
    // Rancher's webhook keeps an imported cluster without an rkeConfig, and /v1 would not show one.
    const part = rkeConfigParts.find((name) => (valueMaps.has(name) ? hasKeys(spec[name]) : !isUnset(spec[name])));
    if (part) throw invalidInput(part, `imported clusters have no rkeConfig: ${part} is for K3S and RKE2 clusters`);
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

/** Maps of values (Rancher's GenericMap): set as soon as they have a key, since their `false` is a value for the distribution to read. */
const valueMaps: ReadonlySet<string> = new Set<RkeConfigPart>(['chartValues', 'machineGlobalConfig']);
const hasKeys = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length > 0;

/**
 * Nothing set: what Go's zero values are, and what a form or a /v3 GET sent back
 * carries for a part never given (`{}`, `""`, empty lists, objects of such).
 */
function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.values(value).every(isUnset);
}
