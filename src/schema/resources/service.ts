import { servicePolicy } from '../../auth/policies/service.js';
import type { ServicePort } from '../../services/service-spec.js';
import { builder, type BuilderTypes } from '../builder.js';
import { workloadReferences } from '../cluster-local-references.js';
import { enumFilter } from '../list-options.js';
import { networkValidators, ServiceKind, ServicePortInput, ServicePortRef } from '../network-spec.js';
import { labels } from '../validators.js';
import { defineResource } from './define-resource.js';
import { inNamespaceCreateFields, inNamespaceInputFields, inNamespaceListFields, inNamespaceNodeFields, inNamespaceWrites } from './in-namespace.js';

/** Everything that makes a Service a resource: Rancher's service of a project's namespace. */

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

const targetDescription =
  'Workloads of the service’s namespace it sends traffic to (Rancher’s form `deployment:apps:api` or server-wide ids); Rancher selects their pods by each workload’s selector. Give this or selector.';

/** What a create and an update both take. */
const specInputFields = (t: InputFieldBuilder) => ({
  ...inNamespaceInputFields(t, 'service'),
  kind: t.field({ type: ServiceKind, description: 'ClusterIP when not given on create.' }),
  ports: t.field({ type: [ServicePortInput], validate: networkValidators.ports, description: 'Given on update, they replace all the ports.' }),
  selector: t.field({ type: 'StringMap', validate: labels, description: 'The pod labels it selects; give this or targetWorkloadIds.' }),
  targetWorkloadIds: t.idList({ validate: networkValidators.targetWorkloadIds, description: targetDescription }),
  hostname: t.string({
    validate: networkValidators.hostname,
    description: 'ExternalName services only, and required there: the DNS name the service aliases.',
  }),
});

const CreateServiceInput = builder.inputType('CreateServiceInput', {
  description: 'A new service in a namespace of a project.',
  fields: (t) => ({
    ...inNamespaceCreateFields(t, 'service'),
    clusterIp: t.string({
      validate: networkValidators.clusterIp,
      description: 'Fixed once created: an IP address for the service, or None for a headless ClusterIP service; the cluster assigns one when not given.',
    }),
    ...specInputFields(t),
  }),
});

const UpdateServiceInput = builder.inputType('UpdateServiceInput', {
  description:
    'Changes to a service: what is left out stays. Its name, namespace and clusterIp are fixed; a selector given replaces targetWorkloadIds, and the other way round.',
  fields: (t) => specInputFields(t),
});

export const serviceResource = defineResource('Service', {
  description:
    'A Kubernetes service of a project’s namespace (Rancher’s service): a stable name and ports for the pods it selects — by a label selector or, as Rancher offers, by naming workloads (targetWorkloadIds) — or, for ExternalName, a DNS alias. Kept as the desired state: no cluster is contacted. References to workloads are names, as in Kubernetes: deleting a workload leaves the reference in place (dangling), nothing cascades. The id is `<clusterId>:<namespace>:<name>`; `rancherId` is Rancher’s `<namespace>:<name>`, which /v3 serves in a cluster’s or project’s context.',
  clusterLocalId: { segments: 2, example: 'apps:web' },
  policy: servicePolicy,
  fields: (t) => ({
    ...inNamespaceNodeFields(t),
    kind: t.expose('kind', { type: ServiceKind, description: 'How it is reached.' }),
    ports: t.field({
      type: [ServicePortRef],
      description: 'The ports it exposes.',
      select: { ports: true },
      resolve: (service) => service.ports as unknown as ServicePort[],
    }),
    selector: t.field({
      type: 'StringMap',
      description: 'The pod labels it selects; empty when it targets workloads or is an ExternalName.',
      select: { selector: true },
      resolve: (service) => service.selector as Record<string, string>,
    }),
    targetWorkloadIds: t.idList({
      description:
        'The workloads it targets (server-wide ids; Rancher’s form on /v3 in a project’s context). A deleted workload’s id stays until the service is changed.',
      extensions: workloadReferences,
      select: { targetWorkloadIds: true },
      resolve: (service) => service.targetWorkloadIds,
    }),
    hostname: t.exposeString('hostname', { nullable: true, description: 'ExternalName services only: the DNS name it aliases.' }),
    clusterIp: t.exposeString('clusterIp', { nullable: true, description: 'As given on create (None: headless); null until a cluster assigns one.' }),
  }),
  list: { ...inNamespaceListFields, kind: { filter: enumFilter(ServiceKind, 'ServiceKind') } },
  ...inNamespaceWrites({ create: CreateServiceInput, update: UpdateServiceInput }, (services) => services.kubernetesServices),
});
