import { portProtocols, workloadKinds, type Container } from '../services/workload-spec.js';
import { workloadStates } from '../services/workload-state.js';
import { builder } from './builder.js';
import { described } from './enum-values.js';
import { ResourceRequirementsInput, ResourceRequirementsRef } from './cluster-spec.js';

/**
 * The GraphQL shapes of what a workload runs: containers with their environment,
 * ports and resources, as outputs and as inputs with the same field names (so /v3
 * bodies pass straight through). The rules are the zod schemas of services/workload-spec.ts.
 */
type EnvVar = NonNullable<Container['env']>[number];
type ContainerPort = NonNullable<Container['ports']>[number];

export const WorkloadKind = builder.enumType('WorkloadKind', {
  description: 'The Kubernetes kind of a workload; ids carry it in lower case (`deployment`).',
  values: described(workloadKinds, {
    Deployment: 'Interchangeable pods, scaled and rolled out together.',
    StatefulSet: 'Pods with stable names and storage, started in order.',
    DaemonSet: 'One pod on each node.',
    CronJob: 'Jobs started on a schedule.',
    Job: 'Pods that run to completion once.',
  }),
});

export const WorkloadState = builder.enumType('WorkloadState', {
  description: 'Where a workload stands. No controller runs workloads here, so none is ever active (see transitioningMessage).',
  values: described(workloadStates, {
    pending: 'Waiting for a cluster agent to run it and report its pods.',
    paused: 'A Deployment whose rollout is paused.',
    suspended: 'A CronJob that starts no Jobs.',
  }),
});

export const PortProtocol = builder.enumType('PortProtocol', {
  description: 'The network protocol of a port, a container’s or a service’s (Kubernetes’ `protocol`).',
  values: described(portProtocols, { TCP: 'TCP, the default.', UDP: 'UDP.', SCTP: 'SCTP.' }),
});

/** Containers' and, with the same rules, a cluster's agents' (`agentEnvVars`). */
const envVarDoc = 'An environment variable of a container (Kubernetes’ `EnvVar`) or of a cluster’s agents (Rancher’s `EnvVar`).';

/** What a container's fields mean, for its output and its input alike. */
const docs = {
  name: 'The container’s name (Kubernetes’ `name`): 1–63 lowercase letters, digits and `-`; unique in the workload.',
  image: 'The image it runs (Kubernetes’ `image`, as `nginx:1.27`): 1–1024 characters, no spaces.',
  command: 'The entrypoint, replacing the image’s (Kubernetes’ `command`): at most 100 items of 4096 characters; empty keeps the image’s.',
  args: 'Arguments to the entrypoint (Kubernetes’ `args`): at most 100 items of 4096 characters.',
  env: 'Environment variables (Kubernetes’ `env`): at most 200.',
  ports: 'The ports it listens on (Kubernetes’ `ports`): at most 100.',
  resources: 'CPU and memory it asks for and may use (Kubernetes’ `resources`), as Kubernetes quantities (500m, 2, 256Mi, 1Gi).',
  envName: 'The variable’s name: 1–253 letters, digits, `-`, `_` and `.`, not starting with a digit.',
  envValue: 'Its value, at most 32768 characters; none is the empty string.',
  containerPort: 'The port number in the container (Kubernetes’ `containerPort`): 1–65535.',
  protocol: 'Its protocol (Kubernetes’ `protocol`); TCP when not given.',
  portName: 'A name for the port (Kubernetes’ `name`): at most 15 lowercase letters, digits and `-`; optional.',
  matchLabels: 'The labels a pod must carry, all of them (Kubernetes’ `matchLabels`).',
} as const;

export const EnvVarRef = builder.objectRef<EnvVar>('EnvVar').implement({
  description: envVarDoc,
  fields: (t) => ({
    name: t.exposeString('name', { description: docs.envName }),
    value: t.exposeString('value', { nullable: true, description: docs.envValue }),
  }),
});

const ContainerPortRef = builder.objectRef<ContainerPort>('ContainerPort').implement({
  description: 'A port a container listens on (Kubernetes’ `ContainerPort`).',
  fields: (t) => ({
    containerPort: t.exposeInt('containerPort', { description: docs.containerPort }),
    protocol: t.field({ type: PortProtocol, description: docs.protocol, resolve: (port) => port.protocol ?? 'TCP' }),
    name: t.exposeString('name', { nullable: true, description: docs.portName }),
  }),
});

export const ContainerRef = builder.objectRef<Container>('Container').implement({
  description: 'One container of a workload’s pods.',
  fields: (t) => ({
    name: t.exposeString('name', { description: docs.name }),
    image: t.exposeString('image', { description: docs.image }),
    command: t.stringList({ description: docs.command, resolve: (container) => container.command ?? [] }),
    args: t.stringList({ description: docs.args, resolve: (container) => container.args ?? [] }),
    env: t.field({ type: [EnvVarRef], description: docs.env, resolve: (container) => container.env ?? [] }),
    ports: t.field({ type: [ContainerPortRef], description: docs.ports, resolve: (container) => container.ports ?? [] }),
    resources: t.expose('resources', { type: ResourceRequirementsRef, nullable: true, description: docs.resources }),
  }),
});

export const LabelSelectorRef = builder.objectRef<Record<string, string>>('LabelSelector').implement({
  description: 'Which pods a workload owns: those carrying all of these labels.',
  fields: (t) => ({ matchLabels: t.field({ type: 'StringMap', description: docs.matchLabels, resolve: (matchLabels) => matchLabels }) }),
});

export const EnvVarInput = builder.inputType('EnvVarInput', {
  description: envVarDoc,
  fields: (t) => ({ name: t.string({ required: true, description: docs.envName }), value: t.string({ description: docs.envValue }) }),
});

const ContainerPortInput = builder.inputType('ContainerPortInput', {
  description: 'A port a container listens on (Kubernetes’ `ContainerPort`).',
  fields: (t) => ({
    containerPort: t.int({ required: true, description: docs.containerPort }),
    protocol: t.field({ type: PortProtocol, defaultValue: 'TCP', description: docs.protocol }),
    name: t.string({ description: docs.portName }),
  }),
});

export const ContainerInput = builder.inputType('ContainerInput', {
  description: 'One container of a workload’s pods.',
  fields: (t) => ({
    name: t.string({ required: true, description: docs.name }),
    image: t.string({ required: true, description: docs.image }),
    command: t.stringList({ description: docs.command }),
    args: t.stringList({ description: docs.args }),
    env: t.field({ type: [EnvVarInput], description: docs.env }),
    ports: t.field({ type: [ContainerPortInput], description: docs.ports }),
    resources: t.field({ type: ResourceRequirementsInput, description: docs.resources }),
  }),
});

export const LabelSelectorInput = builder.inputType('LabelSelectorInput', {
  description: 'Which pods a workload owns: those carrying all of these labels.',
  fields: (t) => ({ matchLabels: t.field({ type: 'StringMap', description: docs.matchLabels }) }),
});
