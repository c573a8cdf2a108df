import { createHash } from 'node:crypto';
import { reportSpecFields, specRow } from './cluster-spec.js';
import { machinePoolPath, machinePoolsInput, rancherMachinePools } from './machine-pools.js';
import { getPath, type KindMapping, type KubernetesObject, type Resource } from './mapping.js';

/**
 * The kinds /v1 serves, each declared once as a table from Kubernetes paths to
 * GraphQL fields. Everything else (which operations run, what may be written, what
 * is required, validation, authorisation, errors) comes from the GraphQL schema.
 */

/** Rancher keeps a cluster's description in this annotation of the Kubernetes object. */
const descriptionAnnotation = 'field.cattle.io/description';
const rkeConfigPath = ['spec', 'rkeConfig'] as const;
const machinePoolsPath = [...rkeConfigPath, 'machinePools'] as const;

/**
 * Rancher's provisioning.cattle.io/v1 Cluster (RKE2/K3s provisioning; imported
 * clusters have no rkeConfig): the same rows as the management cluster in /v3 and
 * GraphQL, so creating either creates one cluster.
 */
const provisioningClusters: KindMapping = {
  group: 'provisioning.cattle.io',
  version: 'v1',
  kind: 'Cluster',
  resource: 'clusters',
  namespace: 'fleet-default',
  schemaId: 'cluster',
  fields: [
    { path: ['metadata', 'name'], field: 'name' },
    { path: ['metadata', 'uid'], read: uidOf },
    { path: ['metadata', 'creationTimestamp'], field: 'created' },
    // The change feed's revision of the last write: watches resume from it, PUT checks it.
    { path: ['metadata', 'resourceVersion'], field: 'resourceVersion' },
    { path: ['metadata', 'labels'], field: 'labels' },
    {
      path: ['metadata', 'annotations'],
      field: 'annotations',
      write: (object) => withoutKey(getPath(object, ['metadata', 'annotations']), descriptionAnnotation),
    },
    // After the annotations row: it adds one key to the map that row filled.
    { path: ['metadata', 'annotations', descriptionAnnotation], field: 'description', read: (cluster) => cluster.description || undefined },
    // Steve's summary of where the object is in its lifecycle.
    {
      path: ['metadata', 'state'],
      read: (cluster) => ({
        name: cluster.state,
        transitioning: cluster.transitioning === 'yes',
        error: cluster.transitioning === 'error',
        message: cluster.transitioningMessage,
      }),
    },
    { path: ['spec', 'kubernetesVersion'], field: 'kubernetesVersion', read: (cluster) => cluster.kubernetesVersion || undefined },
    { path: ['spec', 'cloudCredentialSecretName'], field: 'cloudCredentialId' },
    // The rest of the rkeConfig, in Rancher's shape and order (cluster-spec.ts).
    specRow([...rkeConfigPath, 'upgradeStrategy']),
    specRow([...rkeConfigPath, 'chartValues']),
    specRow([...rkeConfigPath, 'machineGlobalConfig']),
    specRow([...rkeConfigPath, 'machineSelectorConfig']),
    specRow([...rkeConfigPath, 'additionalManifest']),
    specRow([...rkeConfigPath, 'registries']),
    specRow([...rkeConfigPath, 'etcd']),
    // Imported clusters have no rkeConfig at all; the others always show one. Pools are
    // in Rancher's shape (RKEMachinePool), which names and writes some fields otherwise.
    {
      path: machinePoolsPath,
      field: 'machinePools',
      read: (cluster) => (cluster.driver === 'imported' ? undefined : rancherMachinePools(cluster.machinePools)),
      write: (object, context) => machinePoolsInput(getPath(object, machinePoolsPath), machinePoolsPath.join('.'), context),
      errorPath: machinePoolPath,
    },
    specRow(['spec', 'localClusterAuthEndpoint']),
    specRow(['spec', 'agentEnvVars']),
    specRow(['spec', 'clusterAgentDeploymentCustomization']),
    specRow(['spec', 'defaultPodSecurityAdmissionConfigurationTemplateName']),
    specRow(['spec', 'enableNetworkPolicy']),
    specRow(['spec', 'fleetAgentDeploymentCustomization']),
    // Not a field of the object: Rancher tells the distribution by the spec's shape.
    { field: 'driver', write: driverOf },
    { path: ['status', 'clusterName'], field: 'id' },
    { path: ['status', 'ready'], read: (cluster) => cluster.state === 'active' },
    { path: ['status', 'conditions'], read: conditionsOf },
  ],
  checkFields: reportSpecFields,
};

export const kinds: readonly KindMapping[] = [provisioningClusters];

/**
 * Kubernetes gives every object a UUID that a re-created object of the same name
 * does not share. The id and the creation time together identify this one row.
 */
function uidOf(cluster: Resource): string {
  const hex = createHash('sha256')
    .update(`${String(cluster.id)}/${String(cluster.created)}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** No rkeConfig (absent, or null, which Go reads as a nil pointer): an imported cluster; otherwise the version's suffix names RKE2 or K3s. */
function driverOf(object: KubernetesObject): string {
  if (getPath(object, ['spec', 'rkeConfig']) == null) return 'imported';
  const version = getPath(object, ['spec', 'kubernetesVersion']);
  return typeof version === 'string' && version.includes('+k3s') ? 'k3s' : 'rke2';
}

/** The one condition this server can state honestly: Ready, from the cluster's state. */
function conditionsOf(cluster: Resource): Array<Record<string, string>> {
  const ready = cluster.state === 'active';
  return [
    {
      type: 'Ready',
      status: ready ? 'True' : cluster.state === 'error' ? 'False' : 'Unknown',
      reason: String(cluster.state),
      message: String(cluster.transitioningMessage ?? ''),
    },
  ];
}

function withoutKey(map: unknown, key: string): unknown {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return map;
  const { [key]: _dropped, ...rest } = map as Record<string, unknown>;
  return rest;
}
