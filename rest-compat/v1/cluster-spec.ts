import { objectNameOrBlank } from '../../src/services/network-names.js';
import { agentCustomizationSchema, agentEnvVarsSchema, localClusterAuthEndpointSchema } from '../../src/services/cluster-spec.js';
import {
  additionalManifestSchema,
  chartValuesSchema,
  etcdSchema,
  machineGlobalConfigSchema,
  machineSelectorConfigSchema,
  registriesSchema,
  upgradeStrategySchema,
} from '../../src/services/rke-config.js';
import { reportDroppedFields, type WriteContext } from './field-validation.js';
import { getPath, type FieldMapping, type KubernetesObject, type Resource } from './mapping.js';
import {
  checkedInput,
  findFields,
  graphqlName,
  keyedBy,
  listOf,
  objectOf,
  rancherPath,
  scalarShape,
  shownField,
  valueMap,
  type FoundFields,
  type ShapeField,
} from './rancher-shapes.js';

/**
 * Rancher's provisioning.cattle.io/v1 ClusterSpec as /v1 shows and takes it: every field
 * Rancher has, in the order Go writes them, with those this server keeps, what Go's JSON
 * leaves out, and the rules that check them (services/cluster-spec.ts, rke-config.ts).
 * kinds.ts maps the kept ones, row by row; the rest are known, so never "unknown", but
 * dropped, and a write that sets them is told so in a warning (field-validation.ts,
 * `reportDroppedFields`), whatever its `fieldValidation`.
 */

/**
 * Rancher's AgentDeploymentCustomization. Kubernetes' Affinity is taken whole; of its
 * ResourceRequirements, CPU and memory are kept.
 */
const agentCustomization = objectOf(
  {
    rancher: 'appendTolerations',
    shape: listOf(
      objectOf({ rancher: 'key' }, { rancher: 'operator' }, { rancher: 'value' }, { rancher: 'effect' }, { rancher: 'tolerationSeconds', pointer: true }),
    ),
  },
  { rancher: 'overrideAffinity', shape: valueMap, pointer: true },
  {
    rancher: 'overrideResourceRequirements',
    pointer: true,
    shape: objectOf(
      { rancher: 'limits', shape: objectOf({ rancher: 'cpu' }, { rancher: 'memory' }) },
      { rancher: 'requests', shape: objectOf({ rancher: 'cpu' }, { rancher: 'memory' }) },
      { rancher: 'claims', kept: false },
    ),
  },
  // A priority class and a disruption budget Rancher deploys with the agent: nothing here runs the agent.
  { rancher: 'schedulingCustomization', kept: false },
);

/** Rancher's DrainOptions: Go writes most of its fields even when they are zero. */
const drainOptions = objectOf(
  { rancher: 'enabled', zero: false },
  { rancher: 'force', zero: false },
  { rancher: 'ignoreDaemonSets', pointer: true },
  { rancher: 'ignoreErrors' },
  { rancher: 'deleteEmptyDirData', zero: false },
  { rancher: 'disableEviction', zero: false },
  { rancher: 'gracePeriod', zero: 0 },
  { rancher: 'timeout', zero: 0 },
  { rancher: 'skipWaitForDeleteTimeoutSeconds', zero: 0 },
  // Annotations Rancher's planner waits for on the machines' plan secrets, which this server has none of.
  { rancher: 'preDrainHooks', kept: false },
  { rancher: 'postDrainHooks', kept: false },
);

const upgradeStrategy = objectOf(
  { rancher: 'controlPlaneConcurrency' },
  { rancher: 'controlPlaneDrainOptions', shape: drainOptions },
  { rancher: 'workerConcurrency' },
  { rancher: 'workerDrainOptions', shape: drainOptions },
);

/** Kubernetes' LabelSelector; a requirement's key and operator are always written. */
const labelSelector = objectOf(
  { rancher: 'matchLabels', shape: valueMap },
  {
    rancher: 'matchExpressions',
    shape: listOf(objectOf({ rancher: 'key', zero: '' }, { rancher: 'operator', zero: '' }, { rancher: 'values', shape: listOf(scalarShape) })),
  },
);

const machineSelectorConfig = objectOf({ rancher: 'machineLabelSelector', shape: labelSelector, pointer: true }, { rancher: 'config', shape: valueMap });

const registries = objectOf(
  {
    rancher: 'mirrors',
    shape: keyedBy(
      'hostname',
      objectOf({ rancher: 'endpoint', graphql: 'endpoints', shape: listOf(scalarShape) }, { rancher: 'rewrite', graphql: 'rewrites', shape: valueMap }),
    ),
  },
  {
    rancher: 'configs',
    shape: keyedBy(
      'hostname',
      objectOf({ rancher: 'authConfigSecretName' }, { rancher: 'tlsSecretName' }, { rancher: 'caBundle' }, { rancher: 'insecureSkipVerify' }),
    ),
  },
);

const etcd = objectOf(
  { rancher: 'disableSnapshots' },
  { rancher: 'snapshotScheduleCron' },
  { rancher: 'snapshotRetention' },
  {
    rancher: 's3',
    pointer: true,
    shape: objectOf(
      { rancher: 'endpoint' },
      { rancher: 'endpointCA' },
      { rancher: 'skipSSLVerify' },
      { rancher: 'bucket' },
      { rancher: 'region' },
      { rancher: 'cloudCredentialName', graphql: 'cloudCredentialId' },
      { rancher: 'retention' },
      { rancher: 'folder' },
    ),
  },
);

/** RKEConfig: rke.cattle.io's ClusterConfiguration, inline, then the provisioning cluster's own fields. */
const rkeConfig = objectOf(
  { rancher: 'upgradeStrategy', shape: upgradeStrategy, rules: upgradeStrategySchema },
  { rancher: 'chartValues', shape: valueMap, rules: chartValuesSchema },
  { rancher: 'machineGlobalConfig', shape: valueMap, rules: machineGlobalConfigSchema },
  { rancher: 'machineSelectorConfig', shape: listOf(machineSelectorConfig), rules: machineSelectorConfigSchema },
  { rancher: 'machineSelectorFiles', kept: false },
  { rancher: 'additionalManifest', rules: additionalManifestSchema },
  // A pointer in Go, but shown only when something is set: a PUT that leaves it out empties
  // it (this server cannot unset it), and Terraform, which does not compute it, would read
  // an empty one as a block its configuration no longer has.
  { rancher: 'registries', shape: registries, rules: registriesSchema },
  { rancher: 'etcd', shape: etcd, pointer: true, rules: etcdSchema },
  { rancher: 'networking', kept: false },
  { rancher: 'dataDirectories', kept: false },
  { rancher: 'provisionGeneration', kept: false },
  { rancher: 'etcdSnapshotCreate', kept: false },
  { rancher: 'etcdSnapshotRestore', kept: false },
  { rancher: 'rotateCertificates', kept: false },
  { rancher: 'rotateEncryptionKeys', kept: false },
  // Its own row reads it, and finds its unknown fields (machine-pools.ts).
  { rancher: 'machinePools' },
  { rancher: 'machinePoolDefaults', kept: false },
  { rancher: 'infrastructureRef', kept: false },
);

const clusterSpec = objectOf(
  { rancher: 'cloudCredentialSecretName', graphql: 'cloudCredentialId' },
  { rancher: 'kubernetesVersion' },
  { rancher: 'clusterAPIConfig', kept: false },
  { rancher: 'rkeConfig', shape: rkeConfig, pointer: true },
  {
    rancher: 'localClusterAuthEndpoint',
    shape: objectOf({ rancher: 'enabled' }, { rancher: 'fqdn' }, { rancher: 'caCerts' }),
    rules: localClusterAuthEndpointSchema,
  },
  { rancher: 'agentEnvVars', shape: listOf(objectOf({ rancher: 'name' }, { rancher: 'value' })), rules: agentEnvVarsSchema },
  { rancher: 'clusterAgentDeploymentCustomization', graphql: 'clusterAgentCustomization', shape: agentCustomization, rules: agentCustomizationSchema },
  { rancher: 'defaultPodSecurityAdmissionConfigurationTemplateName', rules: objectNameOrBlank },
  { rancher: 'defaultClusterRoleForProjectMembers', kept: false },
  { rancher: 'enableNetworkPolicy', pointer: true },
  { rancher: 'fleetAgentDeploymentCustomization', graphql: 'fleetAgentCustomization', shape: agentCustomization, rules: agentCustomizationSchema },
  { rancher: 'webhookDeploymentCustomization', kept: false },
  { rancher: 'redeploySystemAgentGeneration', kept: false },
);

/**
 * The fields of a written object's spec (and its rkeConfig, and the parts of those this
 * server keeps) that it would drop, reported all at once before any value is read, as a
 * decoder finds them: unknown ones by the write's `fieldValidation`, Rancher's own that
 * are not kept in a warning.
 */
export function reportSpecFields(object: KubernetesObject, context: WriteContext): void {
  const found: FoundFields = { unknown: [], unkept: [] };
  findFields(clusterSpec, getPath(object, ['spec']), 'spec', found);
  reportDroppedFields(context, found);
}

/**
 * The row of a kept field of the spec (`['spec', 'rkeConfig', 'etcd']`): shown as Rancher's
 * JSON shows it, written through its rules, its errors named in Rancher's terms. A part
 * of the rkeConfig is shown only for a cluster that has one: an imported cluster has none.
 */
export function specRow(path: readonly string[]): FieldMapping {
  const field = specField(path);
  const inRkeConfig = path[1] === 'rkeConfig';
  const at = path.join('.');
  return {
    path,
    field: graphqlName(field),
    read: (cluster: Resource) => (inRkeConfig && cluster.driver === 'imported' ? undefined : shownField(field, cluster[graphqlName(field)])),
    write: (object: KubernetesObject) => checkedInput(field, getPath(object, path), at),
    errorPath: (rest) => rancherPath(field.shape ?? scalarShape, rest),
  };
}

/** The declaration of the field at `path` in the spec (`['spec', …]`). */
function specField(path: readonly string[]): ShapeField {
  let fields = clusterSpec.fields;
  let found: ShapeField | undefined;
  for (const name of path.slice(1)) {
    found = fields.find((candidate) => candidate.rancher === name);
    if (!found) break;
    fields = found.shape?.kind === 'object' ? found.shape.fields : [];
  }
  if (path[0] !== 'spec' || !found || found.kept === false) throw new Error(`/v1 clusters: ${path.join('.')} is no kept field of Rancher's ClusterSpec`);
  return found;
}
