import { ingressPolicy } from '../../auth/policies/ingress.js';
import type { IngressBackend, IngressRule, IngressTls } from '../../services/ingress-spec.js';
import { builder, type BuilderTypes } from '../builder.js';
import {
  IngressBackendInput,
  IngressBackendRef,
  IngressRuleInput,
  IngressRuleRef,
  IngressTlsInput,
  IngressTlsRef,
  networkValidators,
} from '../network-spec.js';
import { defineResource } from './define-resource.js';
import { inNamespaceCreateFields, inNamespaceInputFields, inNamespaceListFields, inNamespaceNodeFields, inNamespaceWrites } from './in-namespace.js';

/** Everything that makes an Ingress a resource: Rancher's ingress of a project's namespace. */

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** What a create and an update both take. */
const specInputFields = (t: InputFieldBuilder) => ({
  ...inNamespaceInputFields(t, 'ingress'),
  rules: t.field({ type: [IngressRuleInput], validate: networkValidators.rules, description: 'Given on update, they replace all the rules.' }),
  tls: t.field({ type: [IngressTlsInput], validate: networkValidators.tls, description: 'Given on update, they replace all the TLS entries.' }),
  defaultBackend: t.field({
    type: IngressBackendInput,
    validate: networkValidators.defaultBackend,
    description: 'Where requests no rule matches go. An ingress needs rules or a defaultBackend.',
  }),
  ingressClassName: t.string({
    validate: networkValidators.ingressClassName,
    description: 'The IngressClass that serves it; the cluster’s default when not given.',
  }),
});

const CreateIngressInput = builder.inputType('CreateIngressInput', {
  description: 'A new ingress in a namespace of a project.',
  fields: (t) => ({
    ...inNamespaceCreateFields(t, 'ingress'),
    ...specInputFields(t),
  }),
});

const UpdateIngressInput = builder.inputType('UpdateIngressInput', {
  description: 'Changes to an ingress: what is left out stays; its name and namespace are fixed.',
  fields: (t) => specInputFields(t),
});

export const ingressResource = defineResource('Ingress', {
  description:
    'A Kubernetes ingress of a project’s namespace (Rancher’s ingress): HTTP(S) routing of hosts and paths to a service or to workloads of the same namespace, with TLS entries naming certificates of the namespace or its project. Kept as the desired state: no cluster is contacted. Backends and certificates are named, as in Kubernetes: deleting a service, workload or certificate leaves the reference in place (dangling) until the ingress is changed; nothing cascades. The id is `<clusterId>:<namespace>:<name>`; `rancherId` is Rancher’s `<namespace>:<name>`, which /v3 serves in a cluster’s or project’s context.',
  clusterLocalId: { segments: 2, example: 'apps:www' },
  policy: ingressPolicy,
  listName: 'ingresses',
  fields: (t) => ({
    ...inNamespaceNodeFields(t),
    rules: t.field({
      type: [IngressRuleRef],
      description: 'Hosts and paths, and where each goes.',
      select: { rules: true },
      resolve: (ingress) => ingress.rules as unknown as IngressRule[],
    }),
    tls: t.field({
      type: [IngressTlsRef],
      description: 'TLS entries: a certificate and the hosts it serves.',
      select: { tls: true },
      resolve: (ingress) => ingress.tls as unknown as IngressTls[],
    }),
    defaultBackend: t.field({
      type: IngressBackendRef,
      nullable: true,
      description: 'Where requests no rule matches go.',
      select: { defaultBackend: true },
      resolve: (ingress) => ingress.defaultBackend as unknown as IngressBackend | null,
    }),
    ingressClassName: t.exposeString('ingressClassName', { nullable: true, description: 'The IngressClass that serves it; null: the cluster’s default.' }),
  }),
  list: inNamespaceListFields,
  ...inNamespaceWrites({ create: CreateIngressInput, update: UpdateIngressInput }, (services) => services.ingresses),
});
