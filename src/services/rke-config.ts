import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { nestsDeeperThan } from '../json-object.js';
import { labelKey, labelMap, labelValue } from '../kubernetes-labels.js';
import { maxSpecPartBytes, serializedAtMost } from './cluster-spec.js';
import { optionalReference } from './input.js';
import { objectNameOrBlank } from './network-names.js';
import { cronSchedule } from './workload-spec.js';

/**
 * The rest of an RKE2/K3s cluster's `spec.rkeConfig` beside its machine pools: Rancher's
 * rke.cattle.io/v1 ClusterConfiguration (configuration handed to the distribution, Helm
 * chart values, upgrades, etcd snapshots, image registries). The rules live here once,
 * as zod schemas the GraphQL input fields run; every size is bounded, and a map of
 * values (Rancher's GenericMap, opaque to Rancher as to this server) by its size and depth.
 */

/** JSON nested deeper than this is no configuration anyone writes, and would cost recursion to read. */
const maxNesting = 32;
/** Rancher's bound on a snapshot retention is none; a thousand snapshots per node is already far past any use. */
const maxSnapshotRetention = 1000;
/** The longest a drain may wait, per pod or overall: a day, as a machine pool's drain timeout. */
const maxDrainSeconds = 86_400;

export const labelSelectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

const noSpaces = (what: string) => z.string().regex(/^\S*$/, `${what} has no spaces`);
/** A key of a configuration map: a setting's name (`cni`, `kube-apiserver-arg`). */
const settingName = z.string().min(1, 'a key must not be empty').max(253);

/**
 * Rancher's GenericMap: a JSON object of any values, passed to the distribution or a
 * chart as given; at most 256 KiB and 32 levels deep. Keys are checked here, so that an
 * issue names the key (z.record's own key issue says only "Invalid key in record").
 */
function valueMap(what: string, key: z.ZodType<string> = settingName) {
  return z.record(z.string(), z.unknown(), { error: `${what} must be an object` }).superRefine((map, context) => {
    for (const name of Object.keys(map)) {
      const checked = key.safeParse(name);
      if (!checked.success) context.addIssue({ code: 'custom', path: [name], message: `${JSON.stringify(name)}: ${checked.error.issues[0]!.message}` });
    }
    if (nestsDeeperThan(map, maxNesting)) context.addIssue({ code: 'custom', message: `${what} must not nest deeper than ${maxNesting} levels` });
    else if (!serializedAtMost(maxSpecPartBytes)(map)) context.addIssue({ code: 'custom', message: `${what} must not exceed 256 KiB` });
  });
}

/**
 * `chartValues`: Helm values per chart the distribution installs (`rke2-calico`,
 * `rke2-ingress-nginx`), each chart's an object; the chart name is that of the
 * HelmChartConfig the values go into, a Kubernetes object name.
 */
export const chartValuesSchema = valueMap('chartValues', objectNameOrBlank.min(1)).superRefine((charts, context) => {
  for (const [chart, values] of Object.entries(charts)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      context.addIssue({ code: 'custom', path: [chart], message: 'a chart’s values must be an object of Helm values' });
  }
});

/** `machineGlobalConfig`: the distribution's configuration file on every machine (`cni: calico`, `disable-kube-proxy: false`). */
export const machineGlobalConfigSchema = valueMap('machineGlobalConfig');

/**
 * Kubernetes' LabelSelectorRequirement, with the API server's rule: In and NotIn need
 * values, Exists and DoesNotExist take none.
 */
const labelSelectorRequirementSchema = z
  .object({
    key: labelKey,
    operator: z.enum(labelSelectorOperators),
    values: z.array(labelValue).max(100).optional().nullable(),
  })
  .superRefine((requirement, context) => {
    const needsValues = requirement.operator === 'In' || requirement.operator === 'NotIn';
    const given = (requirement.values?.length ?? 0) > 0;
    if (needsValues && !given) context.addIssue({ code: 'custom', path: ['values'], message: 'must be specified when operator is In or NotIn' });
    if (!needsValues && given) context.addIssue({ code: 'custom', path: ['values'], message: 'may not be specified when operator is Exists or DoesNotExist' });
  });

const labelSelectorSchema = z.object({
  matchLabels: labelMap.optional().nullable(),
  matchExpressions: z.array(labelSelectorRequirementSchema).max(50).optional().nullable(),
});

/** `machineSelectorConfig`: configuration for the machines a label selector picks (none: every machine). */
export const machineSelectorConfigSchema = z
  .array(
    z.object({
      machineLabelSelector: labelSelectorSchema.optional().nullable(),
      config: valueMap('config').optional().nullable(),
    }),
  )
  .max(100)
  .refine(serializedAtMost(maxSpecPartBytes), 'machineSelectorConfig must not exceed 256 KiB in all');

/**
 * `additionalManifest`: Kubernetes objects, as YAML, the distribution applies. Its
 * syntax is checked here, since the distribution would only fail to apply it later,
 * on the machines.
 */
export const additionalManifestSchema = z
  .string()
  .max(maxSpecPartBytes)
  .superRefine((manifest, context) => {
    const problem = yamlProblem(manifest);
    if (problem) context.addIssue({ code: 'custom', message: `must be YAML: ${problem}` });
  });

/** Rancher's concurrency: a number of machines (0 for all at once) or a percentage of them, 1–100%. */
const concurrency = z
  .string()
  .max(10)
  .regex(/^((([1-9]|[1-9][0-9]|100)%)|([1-9][0-9]*|0)|)$/, 'a number of machines or a percentage of them, such as 1 or 10%');

/** Rancher's DrainOptions, without its drain hooks (annotations Rancher's planner waits for on its plan secrets). */
const drainOptionsSchema = z.object({
  enabled: z.boolean().optional().nullable(),
  force: z.boolean().optional().nullable(),
  ignoreDaemonSets: z.boolean().optional().nullable(),
  ignoreErrors: z.boolean().optional().nullable(),
  deleteEmptyDirData: z.boolean().optional().nullable(),
  disableEviction: z.boolean().optional().nullable(),
  // -1: each pod's own grace period.
  gracePeriod: z.number().int().min(-1).max(maxDrainSeconds).optional().nullable(),
  timeout: z.number().int().min(0).max(maxDrainSeconds).optional().nullable(),
  skipWaitForDeleteTimeoutSeconds: z.number().int().min(0).max(maxDrainSeconds).optional().nullable(),
});

/** `upgradeStrategy`: how many control-plane and worker machines are upgraded at once, and how they are drained first. */
export const upgradeStrategySchema = z.object({
  controlPlaneConcurrency: concurrency.optional().nullable(),
  controlPlaneDrainOptions: drainOptionsSchema.optional().nullable(),
  workerConcurrency: concurrency.optional().nullable(),
  workerDrainOptions: drainOptionsSchema.optional().nullable(),
});

/** Rancher's ETCDSnapshotS3: where snapshots are also kept; what is left out comes from the cloud credential's defaults. */
const etcdSnapshotS3Schema = z.object({
  bucket: noSpaces('a bucket name').max(63).optional().nullable(),
  cloudCredentialId: optionalReference.optional().nullable(),
  endpoint: noSpaces('an endpoint').max(1024).optional().nullable(),
  endpointCA: z.string().max(65_536).optional().nullable(),
  folder: z.string().max(1024).optional().nullable(),
  region: noSpaces('a region').max(64).optional().nullable(),
  skipSSLVerify: z.boolean().optional().nullable(),
  retention: z.number().int().min(0).max(maxSnapshotRetention).optional().nullable(),
});

/** `etcd`: the schedule and number of etcd snapshots, and their S3 copy. */
export const etcdSchema = z.object({
  disableSnapshots: z.boolean().optional().nullable(),
  // Blank is none, as a form leaves it.
  snapshotScheduleCron: z
    .string()
    .max(256)
    .refine((schedule) => schedule === '' || cronSchedule.safeParse(schedule).success, 'must be a cron schedule of five fields, such as 0 */5 * * *')
    .optional()
    .nullable(),
  snapshotRetention: z.number().int().min(0).max(maxSnapshotRetention).optional().nullable(),
  s3: etcdSnapshotS3Schema.optional().nullable(),
});

/** A registry as containerd names it: a host, maybe with a port (`registry.example.com:5000`), or `*` for every registry. */
const registryHost = z
  .string()
  .min(1)
  .max(260)
  .regex(/^[^\s/]+$/, 'a registry host name, maybe with a port (registry.example.com:5000), or *');

const registryMirrorSchema = z.object({
  hostname: registryHost,
  endpoints: z
    .array(
      z
        .string()
        .max(2048)
        .refine((endpoint) => URL.canParse(endpoint) && new URL(endpoint).host !== '', 'a URL with a host, such as https://mirror.example.com:5000'),
    )
    .max(20)
    .optional()
    .nullable(),
  rewrites: z
    .record(z.string().min(1).max(1024), z.string().max(1024))
    .refine((rewrites) => Object.keys(rewrites).length <= 50, 'at most 50 rewrites')
    .optional()
    .nullable(),
});

const registryConfigSchema = z.object({
  hostname: registryHost,
  authConfigSecretName: objectNameOrBlank.optional().nullable(),
  tlsSecretName: objectNameOrBlank.optional().nullable(),
  // Go's []byte in JSON: standard base64.
  caBundle: z
    .string()
    .max(65_536)
    .refine((bundle) => bundle.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(bundle), 'must be base64 (the PEM certificates, encoded)')
    .optional()
    .nullable(),
  insecureSkipVerify: z.boolean().optional().nullable(),
});

/** Entries of a list that stands for a map: their hosts are its keys, so each host once. */
const uniqueHosts = (entries: ReadonlyArray<{ hostname: string }>, context: z.RefinementCtx) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.hostname)) context.addIssue({ code: 'custom', path: [index, 'hostname'], message: 'each registry host once' });
    seen.add(entry.hostname);
  });
};

/** `registries`: mirrors of registries (Rancher's map of host → mirror) and how to reach them (host → configuration). */
export const registriesSchema = z
  .object({
    mirrors: z.array(registryMirrorSchema).max(100).superRefine(uniqueHosts).optional().nullable(),
    configs: z.array(registryConfigSchema).max(100).superRefine(uniqueHosts).optional().nullable(),
  })
  .refine(serializedAtMost(maxSpecPartBytes), 'registries must not exceed 256 KiB in all');

/** Its `config` as GraphQL's JSON scalar hands it over: an object, once the rules above have run. */
export type MachineSelectorConfig = Omit<z.infer<typeof machineSelectorConfigSchema>[number], 'config'> & { config?: unknown };
export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type UpgradeStrategy = z.infer<typeof upgradeStrategySchema>;
export type DrainOptions = z.infer<typeof drainOptionsSchema>;
export type EtcdConfig = z.infer<typeof etcdSchema>;
export type EtcdSnapshotS3 = z.infer<typeof etcdSnapshotS3Schema>;
export type Registries = z.infer<typeof registriesSchema>;

/** The first syntax error of a YAML stream, in one line; none when it reads. */
function yamlProblem(text: string): string | undefined {
  for (const document of parseAllDocuments(text)) {
    const [error] = document.errors;
    if (error) return error.message.split('\n')[0];
  }
  return undefined;
}
