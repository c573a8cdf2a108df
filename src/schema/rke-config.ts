import { objectNameOrBlank } from '../services/network-names.js';
import { agentEnvVarsSchema, localClusterAuthEndpointSchema, type LocalClusterAuthEndpoint } from '../services/cluster-spec.js';
import {
  additionalManifestSchema,
  chartValuesSchema,
  etcdSchema,
  labelSelectorOperators,
  machineGlobalConfigSchema,
  machineSelectorConfigSchema,
  registriesSchema,
  upgradeStrategySchema,
  type DrainOptions,
  type EtcdConfig,
  type EtcdSnapshotS3,
  type LabelSelector,
  type MachineSelectorConfig,
  type Registries,
  type UpgradeStrategy,
} from '../services/rke-config.js';
import { builder, type BuilderTypes } from './builder.js';
import { described } from './enum-values.js';
import { linkedResourceOf, linkTargets } from './resources/linked-resource.js';
import { EnvVarInput } from './workload-spec.js';

/**
 * The GraphQL shapes of the rest of a provisioned cluster's spec beside its machine
 * pools and agent customisation (cluster-spec.ts): Rancher's `spec.rkeConfig` cluster
 * configuration (rke.cattle.io/v1 ClusterConfiguration) and the spec's
 * `localClusterAuthEndpoint`, `agentEnvVars`, `enableNetworkPolicy` and
 * `defaultPodSecurityAdmissionConfigurationTemplateName`. Outputs and inputs share their
 * field names, so that /v3 bodies pass straight through and /v3 reads each input field
 * back from its output; the rules are the zod schemas of services/rke-config.ts and
 * services/cluster-spec.ts.
 */

/** What each field means, written once for its output and its input (and the Cluster's fields). */
export const specDocs = {
  chartValues:
    'Helm values for the charts the distribution installs, by chart name (`rke2-calico`: `{…}`), each chart’s an object (Rancher’s `spec.rkeConfig.chartValues`): 256 KiB and 32 levels at most. K3S and RKE2 clusters only.',
  machineGlobalConfig:
    'The distribution’s configuration on every machine, as its config file takes it (`{"cni": "calico", "disable-kube-proxy": false}`; Rancher’s `spec.rkeConfig.machineGlobalConfig`): 256 KiB and 32 levels at most. K3S and RKE2 clusters only.',
  machineSelectorConfig:
    'Configuration for the machines a label selector picks, added to machineGlobalConfig (Rancher’s `spec.rkeConfig.machineSelectorConfig`): at most 100, 256 KiB in all. K3S and RKE2 clusters only.',
  additionalManifest:
    'Kubernetes objects, as YAML, the distribution applies and keeps applied (Rancher’s `spec.rkeConfig.additionalManifest`): at most 256 KiB, checked to be YAML; empty for none. K3S and RKE2 clusters only.',
  upgradeStrategy:
    'How many machines are upgraded at once and how they are drained first (Rancher’s `spec.rkeConfig.upgradeStrategy`). K3S and RKE2 clusters only.',
  etcd: 'etcd snapshots: their schedule, how many are kept, and their copy in S3 (Rancher’s `spec.rkeConfig.etcd`); null when never set. K3S and RKE2 clusters only.',
  registries:
    'Mirrors of container image registries, and how to reach registries (Rancher’s `spec.rkeConfig.registries`); null when never set. K3S and RKE2 clusters only.',
  localClusterAuthEndpoint:
    'Kubeconfigs that reach the cluster’s Kubernetes API directly, not through this server (Rancher’s `spec.localClusterAuthEndpoint`).',
  agentEnvVars:
    'Environment variables of the cluster agent and of every machine’s system agent, such as HTTP_PROXY and NO_PROXY (Rancher’s `spec.agentEnvVars`): at most 100, 256 KiB in all; a NO_PROXY without spaces.',
  enableNetworkPolicy:
    'Isolate projects from each other with Kubernetes network policies (Rancher’s `spec.enableNetworkPolicy`); null when never set, which Rancher reads as false.',
  defaultPodSecurityAdmissionConfigurationTemplateName:
    'The pod security admission configuration template the cluster enforces (Rancher’s `spec.defaultPodSecurityAdmissionConfigurationTemplateName`, such as `rancher-restricted`): a Kubernetes object name; empty for none.',
  machineLabelSelector:
    'Which machines the configuration is for, by their labels (Rancher’s `machineLabelSelector`, a Kubernetes LabelSelector); null for every machine.',
  config: 'The distribution’s configuration for those machines (Rancher’s `config`): 256 KiB and 32 levels at most.',
  matchLabels: 'Labels a machine must carry, all of them (Kubernetes’ `matchLabels`).',
  matchExpressions: 'Conditions on a machine’s labels, all of which must hold (Kubernetes’ `matchExpressions`): at most 50.',
  requirementKey: 'The label key the condition is on (Kubernetes’ `key`), `[prefix/]name`.',
  requirementOperator: 'How the label is compared with the values (Kubernetes’ `operator`).',
  requirementValues:
    'The values (Kubernetes’ `values`): at least one for IN and NOT_IN, none for EXISTS and DOES_NOT_EXIST; at most 100 of 63 characters each.',
  controlPlaneConcurrency:
    'How many control-plane machines are upgraded at once, a number or a percentage (`1`, `10%`; Rancher’s `controlPlaneConcurrency`); `0` for all at once; none: Rancher’s default, 1.',
  workerConcurrency:
    'How many worker machines are upgraded at once, a number or a percentage (`1`, `10%`; Rancher’s `workerConcurrency`); `0` for all at once; none: Rancher’s default, 1.',
  controlPlaneDrainOptions: 'How control-plane machines are drained before an upgrade (Rancher’s `controlPlaneDrainOptions`).',
  workerDrainOptions: 'How worker machines are drained before an upgrade (Rancher’s `workerDrainOptions`).',
  drainOptions:
    'How a machine’s pods are moved off it before it is upgraded (Rancher’s `DrainOptions`, as `kubectl drain` takes them). Rancher’s pre- and post-drain hooks, which wait for annotations on its plan secrets, are not kept.',
  enabled: 'Drain machines before upgrading them (Rancher’s `enabled`).',
  force: 'Drain even pods that no controller manages, which are lost (Rancher’s `force`).',
  ignoreDaemonSets: 'Leave DaemonSet pods in place (Rancher’s `ignoreDaemonSets`); null when never set, which Rancher reads as true.',
  ignoreErrors: 'Go on draining other machines when one fails (Rancher’s `ignoreErrors`).',
  deleteEmptyDirData: 'Drain pods with emptyDir volumes, whose data is lost (Rancher’s `deleteEmptyDirData`).',
  disableEviction: 'Delete pods rather than evict them, ignoring disruption budgets (Rancher’s `disableEviction`).',
  gracePeriod: 'Seconds each pod is given to stop (Rancher’s `gracePeriod`): up to 86400; -1 for the pod’s own; 0 when never set.',
  timeout: 'Seconds a drain may take before it gives up (Rancher’s `timeout`): up to 86400; 0 for no limit.',
  skipWaitForDeleteTimeoutSeconds:
    'Stop waiting for a pod deleted this many seconds ago (Rancher’s `skipWaitForDeleteTimeoutSeconds`): up to 86400; 0 to always wait.',
  etcdConfig: 'etcd snapshots of an RKE2 or K3S cluster (Rancher’s `ETCD`).',
  disableSnapshots: 'Take no scheduled snapshots (Rancher’s `disableSnapshots`).',
  snapshotScheduleCron: 'When snapshots are taken, five cron fields (`0 */5 * * *`; Rancher’s `snapshotScheduleCron`); none: the distribution’s default.',
  snapshotRetention: 'How many snapshots each etcd machine keeps, 0–1000 (Rancher’s `snapshotRetention`); none or 0: the distribution’s default.',
  s3: 'Where snapshots are also copied, in S3 (Rancher’s `s3`); null for nowhere.',
  etcdS3: 'An S3 bucket for etcd snapshots (Rancher’s `ETCDSnapshotS3`); what is left out comes from the cloud credential’s defaults.',
  bucket: 'The bucket (Rancher’s `bucket`): at most 63 characters.',
  s3CloudCredentialId:
    'The id of the cloud credential that signs in to S3 (Rancher’s `cloudCredentialName`, `cattle-global-data:cc-xxxxx`): one the caller may use; null when none.',
  endpoint: 'The S3 endpoint, a host (Rancher’s `endpoint`, such as `s3.us-east-1.amazonaws.com`): at most 1024 characters; none: the credential’s, or AWS.',
  endpointCA:
    'The CA certificate the endpoint is checked against: PEM, base64 of PEM, or a file path on the machines (Rancher’s `endpointCA`): at most 64 KiB.',
  folder: 'The folder in the bucket (Rancher’s `folder`): at most 1024 characters.',
  region: 'The bucket’s region (Rancher’s `region`, such as `us-east-1`): at most 64 characters.',
  skipSSLVerify: 'Do not check the endpoint’s certificate (Rancher’s `skipSSLVerify`).',
  retention: 'How many snapshots the bucket keeps, 0–1000 (Rancher’s `retention`); none or 0: snapshotRetention.',
  registriesType: 'Container image registries as the distribution reaches them (Rancher’s `Registry`).',
  mirrors: 'Registry mirrors (Rancher’s `mirrors`, a map by registry host): at most 100, each host once.',
  configs: 'How to reach registries (Rancher’s `configs`, a map by registry host): at most 100, each host once.',
  hostname:
    'The registry, its host with an optional port (`docker.io`, `registry.example.com:5000`), or `*` for every registry: the key of Rancher’s map; at most 260 characters.',
  mirror: 'Where images of one registry are pulled from instead (Rancher’s `Mirror`).',
  endpoints: 'The mirrors, tried in order, each a URL with a host (`https://mirror.example.com:5000`; Rancher’s `endpoint`): at most 20.',
  rewrites:
    'Rewrites of image names for these mirrors, a regular expression to its replacement (Rancher’s `rewrite`): at most 50, each side up to 1024 characters.',
  registryConfig: 'How to reach one registry (Rancher’s `RegistryConfig`).',
  authConfigSecretName:
    'The secret in `fleet-default` with the registry’s credentials (username and password, auth, or identityToken; Rancher’s `authConfigSecretName`): a Kubernetes object name.',
  tlsSecretName: 'The secret in `fleet-default` with a client certificate for the registry (Rancher’s `tlsSecretName`): a Kubernetes object name.',
  caBundle:
    'The CA certificates the registry is checked against, PEM encoded in base64 as Rancher’s JSON carries them (Rancher’s `caBundle`): at most 65536 characters.',
  insecureSkipVerify: 'Do not check the registry’s certificate (Rancher’s `insecureSkipVerify`).',
  localClusterAuthEndpointType: 'Direct access to the cluster’s Kubernetes API (Rancher’s `LocalClusterAuthEndpoint`).',
  aceEnabled: 'Kubeconfigs also reach the cluster’s API server directly (Rancher’s `enabled`).',
  fqdn: 'The name that reaches the cluster’s API servers, often a load balancer, with an optional port (`api.example.com:6443`; Rancher’s `fqdn`): required with caCerts.',
  caCerts: 'The CA certificates, as PEM, that the fqdn’s certificate is checked against (Rancher’s `caCerts`): at most 64 KiB.',
} as const;

const LabelSelectorOperator = builder.enumType('LabelSelectorOperator', {
  description: 'How a label selector’s condition compares a label (Kubernetes’ `operator`).',
  values: described(labelSelectorOperators, {
    In: 'The label has one of the values.',
    NotIn: 'The label has none of the values, or is missing.',
    Exists: 'The label is there, whatever its value.',
    DoesNotExist: 'The label is missing.',
  }),
});

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];
type RegistryMirror = NonNullable<Registries['mirrors']>[number];
type RegistryConfig = NonNullable<Registries['configs']>[number];

const LabelSelectorRequirementRef = builder.objectRef<Requirement>('LabelSelectorRequirement').implement({
  description: 'A condition on one label (Kubernetes’ `LabelSelectorRequirement`).',
  fields: (t) => ({
    key: t.exposeString('key', { description: specDocs.requirementKey }),
    operator: t.expose('operator', { description: specDocs.requirementOperator, type: LabelSelectorOperator }),
    values: t.stringList({ description: specDocs.requirementValues, resolve: (requirement) => requirement.values ?? [] }),
  }),
});

const MachineLabelSelectorRef = builder.objectRef<LabelSelector>('MachineLabelSelector').implement({
  description: 'Which machines something applies to, by their labels (Kubernetes’ `LabelSelector`): all of its conditions hold.',
  fields: (t) => ({
    matchLabels: t.field({ description: specDocs.matchLabels, type: 'StringMap', resolve: (selector) => selector.matchLabels ?? {} }),
    matchExpressions: t.field({
      description: specDocs.matchExpressions,
      type: [LabelSelectorRequirementRef],
      resolve: (selector) => selector.matchExpressions ?? [],
    }),
  }),
});

export const MachineSelectorConfigRef = builder.objectRef<MachineSelectorConfig>('MachineSelectorConfig').implement({
  description: 'The distribution’s configuration for the machines a label selector picks (Rancher’s `RKESystemConfig`).',
  fields: (t) => ({
    machineLabelSelector: t.expose('machineLabelSelector', { description: specDocs.machineLabelSelector, type: MachineLabelSelectorRef, nullable: true }),
    config: t.field({ description: specDocs.config, type: 'JSON', resolve: (entry) => entry.config ?? {} }),
  }),
});

const DrainOptionsRef = builder.objectRef<DrainOptions>('DrainOptions').implement({
  description: specDocs.drainOptions,
  fields: (t) => ({
    enabled: t.boolean({ description: specDocs.enabled, resolve: (drain) => drain.enabled ?? false }),
    force: t.boolean({ description: specDocs.force, resolve: (drain) => drain.force ?? false }),
    ignoreDaemonSets: t.exposeBoolean('ignoreDaemonSets', { description: specDocs.ignoreDaemonSets, nullable: true }),
    ignoreErrors: t.boolean({ description: specDocs.ignoreErrors, resolve: (drain) => drain.ignoreErrors ?? false }),
    deleteEmptyDirData: t.boolean({ description: specDocs.deleteEmptyDirData, resolve: (drain) => drain.deleteEmptyDirData ?? false }),
    disableEviction: t.boolean({ description: specDocs.disableEviction, resolve: (drain) => drain.disableEviction ?? false }),
    gracePeriod: t.int({ description: specDocs.gracePeriod, resolve: (drain) => drain.gracePeriod ?? 0 }),
    timeout: t.int({ description: specDocs.timeout, resolve: (drain) => drain.timeout ?? 0 }),
    skipWaitForDeleteTimeoutSeconds: t.int({
      description: specDocs.skipWaitForDeleteTimeoutSeconds,
      resolve: (drain) => drain.skipWaitForDeleteTimeoutSeconds ?? 0,
    }),
  }),
});

export const UpgradeStrategyRef = builder.objectRef<UpgradeStrategy>('ClusterUpgradeStrategy').implement({
  description: 'How an RKE2 or K3S cluster’s machines are upgraded (Rancher’s `ClusterUpgradeStrategy`).',
  fields: (t) => ({
    controlPlaneConcurrency: t.exposeString('controlPlaneConcurrency', { description: specDocs.controlPlaneConcurrency, nullable: true }),
    controlPlaneDrainOptions: t.field({
      description: specDocs.controlPlaneDrainOptions,
      type: DrainOptionsRef,
      resolve: (strategy) => strategy.controlPlaneDrainOptions ?? {},
    }),
    workerConcurrency: t.exposeString('workerConcurrency', { description: specDocs.workerConcurrency, nullable: true }),
    workerDrainOptions: t.field({ description: specDocs.workerDrainOptions, type: DrainOptionsRef, resolve: (strategy) => strategy.workerDrainOptions ?? {} }),
  }),
});

const EtcdSnapshotS3Ref = builder.objectRef<EtcdSnapshotS3>('EtcdSnapshotS3').implement({
  description: specDocs.etcdS3,
  fields: (t) => ({
    bucket: t.exposeString('bucket', { description: specDocs.bucket, nullable: true }),
    cloudCredentialId: t.exposeID('cloudCredentialId', { description: specDocs.s3CloudCredentialId, nullable: true }),
    cloudCredential: linkedResourceOf(
      t,
      (s3) => s3.cloudCredentialId,
      linkTargets.cloudCredential,
      'The cloud credential that signs in to S3 (`cloudCredentialId`). Null when none is set, it is gone, or the caller may not see it.',
    ),
    endpoint: t.exposeString('endpoint', { description: specDocs.endpoint, nullable: true }),
    endpointCA: t.exposeString('endpointCA', { description: specDocs.endpointCA, nullable: true }),
    folder: t.exposeString('folder', { description: specDocs.folder, nullable: true }),
    region: t.exposeString('region', { description: specDocs.region, nullable: true }),
    skipSSLVerify: t.boolean({ description: specDocs.skipSSLVerify, resolve: (s3) => s3.skipSSLVerify ?? false }),
    retention: t.exposeInt('retention', { description: specDocs.retention, nullable: true }),
  }),
});

export const EtcdConfigRef = builder.objectRef<EtcdConfig>('EtcdConfig').implement({
  description: specDocs.etcdConfig,
  fields: (t) => ({
    disableSnapshots: t.boolean({ description: specDocs.disableSnapshots, resolve: (etcd) => etcd.disableSnapshots ?? false }),
    snapshotScheduleCron: t.field({
      description: specDocs.snapshotScheduleCron,
      type: 'String',
      nullable: true,
      resolve: (etcd) => etcd.snapshotScheduleCron || null,
    }),
    snapshotRetention: t.exposeInt('snapshotRetention', { description: specDocs.snapshotRetention, nullable: true }),
    s3: t.expose('s3', { description: specDocs.s3, type: EtcdSnapshotS3Ref, nullable: true }),
  }),
});

const RegistryMirrorRef = builder.objectRef<RegistryMirror>('RegistryMirror').implement({
  description: specDocs.mirror,
  fields: (t) => ({
    hostname: t.exposeString('hostname', { description: specDocs.hostname }),
    endpoints: t.stringList({ description: specDocs.endpoints, resolve: (mirror) => mirror.endpoints ?? [] }),
    rewrites: t.field({ description: specDocs.rewrites, type: 'StringMap', resolve: (mirror) => mirror.rewrites ?? {} }),
  }),
});

const RegistryConfigRef = builder.objectRef<RegistryConfig>('RegistryConfig').implement({
  description: specDocs.registryConfig,
  fields: (t) => ({
    hostname: t.exposeString('hostname', { description: specDocs.hostname }),
    authConfigSecretName: t.exposeString('authConfigSecretName', { description: specDocs.authConfigSecretName, nullable: true }),
    tlsSecretName: t.exposeString('tlsSecretName', { description: specDocs.tlsSecretName, nullable: true }),
    caBundle: t.exposeString('caBundle', { description: specDocs.caBundle, nullable: true }),
    insecureSkipVerify: t.boolean({ description: specDocs.insecureSkipVerify, resolve: (config) => config.insecureSkipVerify ?? false }),
  }),
});

export const RegistriesRef = builder.objectRef<Registries>('ClusterRegistries').implement({
  description: specDocs.registriesType,
  fields: (t) => ({
    mirrors: t.field({ description: specDocs.mirrors, type: [RegistryMirrorRef], resolve: (registries) => registries.mirrors ?? [] }),
    configs: t.field({ description: specDocs.configs, type: [RegistryConfigRef], resolve: (registries) => registries.configs ?? [] }),
  }),
});

export const LocalClusterAuthEndpointRef = builder.objectRef<LocalClusterAuthEndpoint>('LocalClusterAuthEndpoint').implement({
  description: specDocs.localClusterAuthEndpointType,
  fields: (t) => ({
    enabled: t.boolean({ description: specDocs.aceEnabled, resolve: (endpoint) => endpoint.enabled ?? false }),
    fqdn: t.field({ description: specDocs.fqdn, type: 'String', nullable: true, resolve: (endpoint) => endpoint.fqdn || null }),
    caCerts: t.field({ description: specDocs.caCerts, type: 'String', nullable: true, resolve: (endpoint) => endpoint.caCerts || null }),
  }),
});

const LabelSelectorRequirementInput = builder.inputType('LabelSelectorRequirementInput', {
  description: 'A condition on one label (Kubernetes’ `LabelSelectorRequirement`).',
  fields: (t) => ({
    key: t.string({ description: specDocs.requirementKey, required: true }),
    operator: t.field({ description: specDocs.requirementOperator, type: LabelSelectorOperator, required: true }),
    values: t.stringList({ description: specDocs.requirementValues }),
  }),
});

const MachineLabelSelectorInput = builder.inputType('MachineLabelSelectorInput', {
  description: 'Which machines something applies to, by their labels (Kubernetes’ `LabelSelector`): all of its conditions hold.',
  fields: (t) => ({
    matchLabels: t.field({ description: specDocs.matchLabels, type: 'StringMap' }),
    matchExpressions: t.field({ description: specDocs.matchExpressions, type: [LabelSelectorRequirementInput] }),
  }),
});

const MachineSelectorConfigInput = builder.inputType('MachineSelectorConfigInput', {
  description: 'The distribution’s configuration for the machines a label selector picks (Rancher’s `RKESystemConfig`).',
  fields: (t) => ({
    machineLabelSelector: t.field({ description: specDocs.machineLabelSelector, type: MachineLabelSelectorInput }),
    config: t.field({ description: specDocs.config, type: 'JSON' }),
  }),
});

const DrainOptionsInput = builder.inputType('DrainOptionsInput', {
  description: specDocs.drainOptions,
  fields: (t) => ({
    enabled: t.boolean({ description: specDocs.enabled }),
    force: t.boolean({ description: specDocs.force }),
    ignoreDaemonSets: t.boolean({ description: specDocs.ignoreDaemonSets }),
    ignoreErrors: t.boolean({ description: specDocs.ignoreErrors }),
    deleteEmptyDirData: t.boolean({ description: specDocs.deleteEmptyDirData }),
    disableEviction: t.boolean({ description: specDocs.disableEviction }),
    gracePeriod: t.int({ description: specDocs.gracePeriod }),
    timeout: t.int({ description: specDocs.timeout }),
    skipWaitForDeleteTimeoutSeconds: t.int({ description: specDocs.skipWaitForDeleteTimeoutSeconds }),
  }),
});

const UpgradeStrategyInput = builder.inputType('ClusterUpgradeStrategyInput', {
  description: 'How an RKE2 or K3S cluster’s machines are upgraded (Rancher’s `ClusterUpgradeStrategy`).',
  fields: (t) => ({
    controlPlaneConcurrency: t.string({ description: specDocs.controlPlaneConcurrency }),
    controlPlaneDrainOptions: t.field({ description: specDocs.controlPlaneDrainOptions, type: DrainOptionsInput }),
    workerConcurrency: t.string({ description: specDocs.workerConcurrency }),
    workerDrainOptions: t.field({ description: specDocs.workerDrainOptions, type: DrainOptionsInput }),
  }),
});

const EtcdSnapshotS3Input = builder.inputType('EtcdSnapshotS3Input', {
  description: specDocs.etcdS3,
  fields: (t) => ({
    bucket: t.string({ description: specDocs.bucket }),
    cloudCredentialId: t.id({ description: specDocs.s3CloudCredentialId }),
    endpoint: t.string({ description: specDocs.endpoint }),
    endpointCA: t.string({ description: specDocs.endpointCA }),
    folder: t.string({ description: specDocs.folder }),
    region: t.string({ description: specDocs.region }),
    skipSSLVerify: t.boolean({ description: specDocs.skipSSLVerify }),
    retention: t.int({ description: specDocs.retention }),
  }),
});

const EtcdConfigInput = builder.inputType('EtcdConfigInput', {
  description: specDocs.etcdConfig,
  fields: (t) => ({
    disableSnapshots: t.boolean({ description: specDocs.disableSnapshots }),
    snapshotScheduleCron: t.string({ description: specDocs.snapshotScheduleCron }),
    snapshotRetention: t.int({ description: specDocs.snapshotRetention }),
    s3: t.field({ description: specDocs.s3, type: EtcdSnapshotS3Input }),
  }),
});

const RegistryMirrorInput = builder.inputType('RegistryMirrorInput', {
  description: specDocs.mirror,
  fields: (t) => ({
    hostname: t.string({ description: specDocs.hostname, required: true }),
    endpoints: t.stringList({ description: specDocs.endpoints }),
    rewrites: t.field({ description: specDocs.rewrites, type: 'StringMap' }),
  }),
});

const RegistryConfigInput = builder.inputType('RegistryConfigInput', {
  description: specDocs.registryConfig,
  fields: (t) => ({
    hostname: t.string({ description: specDocs.hostname, required: true }),
    authConfigSecretName: t.string({ description: specDocs.authConfigSecretName }),
    tlsSecretName: t.string({ description: specDocs.tlsSecretName }),
    caBundle: t.string({ description: specDocs.caBundle }),
    insecureSkipVerify: t.boolean({ description: specDocs.insecureSkipVerify }),
  }),
});

const RegistriesInput = builder.inputType('ClusterRegistriesInput', {
  description: specDocs.registriesType,
  fields: (t) => ({
    mirrors: t.field({ description: specDocs.mirrors, type: [RegistryMirrorInput] }),
    configs: t.field({ description: specDocs.configs, type: [RegistryConfigInput] }),
  }),
});

const LocalClusterAuthEndpointInput = builder.inputType('LocalClusterAuthEndpointInput', {
  description: specDocs.localClusterAuthEndpointType,
  fields: (t) => ({
    enabled: t.boolean({ description: specDocs.aceEnabled }),
    fqdn: t.string({ description: specDocs.fqdn }),
    caCerts: t.string({ description: specDocs.caCerts }),
  }),
});

/**
 * These parts of the spec on the create and update inputs of a cluster, with their
 * rules. A part given replaces the stored one whole; null leaves it.
 */
export function rkeConfigInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
    chartValues: t.field({ description: specDocs.chartValues, type: 'JSON', validate: chartValuesSchema }),
    machineGlobalConfig: t.field({ description: specDocs.machineGlobalConfig, type: 'JSON', validate: machineGlobalConfigSchema }),
    machineSelectorConfig: t.field({ description: specDocs.machineSelectorConfig, type: [MachineSelectorConfigInput], validate: machineSelectorConfigSchema }),
    additionalManifest: t.string({ description: specDocs.additionalManifest, validate: additionalManifestSchema }),
    upgradeStrategy: t.field({ description: specDocs.upgradeStrategy, type: UpgradeStrategyInput, validate: upgradeStrategySchema }),
    etcd: t.field({ description: specDocs.etcd, type: EtcdConfigInput, validate: etcdSchema }),
    registries: t.field({ description: specDocs.registries, type: RegistriesInput, validate: registriesSchema }),
    localClusterAuthEndpoint: t.field({
      description: specDocs.localClusterAuthEndpoint,
      type: LocalClusterAuthEndpointInput,
      validate: localClusterAuthEndpointSchema,
    }),
    agentEnvVars: t.field({ description: specDocs.agentEnvVars, type: [EnvVarInput], validate: agentEnvVarsSchema }),
    enableNetworkPolicy: t.boolean({ description: specDocs.enableNetworkPolicy }),
    defaultPodSecurityAdmissionConfigurationTemplateName: t.string({
      description: specDocs.defaultPodSecurityAdmissionConfigurationTemplateName,
      validate: objectNameOrBlank,
    }),
  };
}
