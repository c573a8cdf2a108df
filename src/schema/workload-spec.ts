import { portProtocols, workloadKinds, type Container } from '../services/workload-spec.js';
import { builder } from './builder.js';
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
  values: workloadKinds,
});

const PortProtocol = builder.enumType('PortProtocol', { values: portProtocols });

const EnvVarRef = builder.objectRef<EnvVar>('EnvVar').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value', { nullable: true }) }),
});

const ContainerPortRef = builder.objectRef<ContainerPort>('ContainerPort').implement({
  fields: (t) => ({
    containerPort: t.exposeInt('containerPort'),
    protocol: t.field({ type: PortProtocol, resolve: (port) => port.protocol ?? 'TCP' }),
    name: t.exposeString('name', { nullable: true }),
  }),
});

export const ContainerRef = builder.objectRef<Container>('Container').implement({
  description: 'One container of a workload’s pods.',
  fields: (t) => ({
    name: t.exposeString('name'),
    image: t.exposeString('image'),
    command: t.stringList({ resolve: (container) => container.command ?? [] }),
    args: t.stringList({ resolve: (container) => container.args ?? [] }),
    env: t.field({ type: [EnvVarRef], resolve: (container) => container.env ?? [] }),
    ports: t.field({ type: [ContainerPortRef], resolve: (container) => container.ports ?? [] }),
    resources: t.expose('resources', { type: ResourceRequirementsRef, nullable: true }),
  }),
});

export const LabelSelectorRef = builder.objectRef<Record<string, string>>('LabelSelector').implement({
  description: 'Which pods a workload owns: those carrying all of these labels.',
  fields: (t) => ({ matchLabels: t.field({ type: 'StringMap', resolve: (matchLabels) => matchLabels }) }),
});

const EnvVarInput = builder.inputType('EnvVarInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string() }),
});

const ContainerPortInput = builder.inputType('ContainerPortInput', {
  fields: (t) => ({ containerPort: t.int({ required: true }), protocol: t.field({ type: PortProtocol, defaultValue: 'TCP' }), name: t.string() }),
});

export const ContainerInput = builder.inputType('ContainerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    image: t.string({ required: true }),
    command: t.stringList(),
    args: t.stringList(),
    env: t.field({ type: [EnvVarInput] }),
    ports: t.field({ type: [ContainerPortInput] }),
    resources: t.field({ type: ResourceRequirementsInput, description: 'cpu and memory as Kubernetes quantities (500m, 2, 256Mi, 1Gi).' }),
  }),
});

export const LabelSelectorInput = builder.inputType('LabelSelectorInput', {
  fields: (t) => ({ matchLabels: t.field({ type: 'StringMap' }) }),
});
