import { z } from 'zod';
import {
  ingressBackendSchema,
  ingressClassName,
  ingressRulesSchema,
  ingressTlsSchema,
  pathTypes,
  type IngressBackend,
  type IngressPath,
  type IngressRule,
  type IngressTls,
} from '../services/ingress-spec.js';
import { blankOr, dnsName, portNumberOrName } from '../services/network-names.js';
import { clusterIp, serviceKinds, servicePortsSchema, type ServicePort } from '../services/service-spec.js';
import { builder, type BuilderTypes } from './builder.js';
import { twoPartReference, workloadReferences } from './cluster-local-references.js';
import { described } from './enum-values.js';
import { PortProtocol } from './workload-spec.js';

/**
 * The GraphQL shapes of services and ingresses as Rancher's project API names them
 * (servicePort; ingressRule, httpIngressPath, ingressBackend, ingressTLS), each an
 * output and an input with the same field names so /v3 bodies pass straight through.
 * The rules are the zod schemas of services/service-spec.ts and ingress-spec.ts.
 */

export const ServiceKind = builder.enumType('ServiceKind', {
  description: 'How a service is reached (Kubernetes’ service type).',
  values: described(serviceKinds, {
    ClusterIP: 'On a virtual IP inside the cluster only (the default); headless with clusterIp None.',
    NodePort: 'Also on a port of every node (nodePort, 30000–32767).',
    LoadBalancer: 'Also through a load balancer the cluster’s cloud provides (and node ports).',
    ExternalName: 'A DNS alias (CNAME) of hostname, outside the cluster; no pods, no ports routed.',
  }),
});

const PathType = builder.enumType('PathType', {
  description: 'How an ingress path matches a request’s path.',
  values: described(pathTypes, {
    Prefix: 'The path and everything under it, by /-separated elements.',
    Exact: 'The path exactly, case-sensitively.',
    ImplementationSpecific: 'As the ingress class decides (the default).',
  }),
});

export const ServicePortRef = builder.objectRef<ServicePort>('ServicePort').implement({
  description: 'A port a service exposes and where it sends the traffic.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'Required, and unique, when a service has several ports.' }),
    port: t.exposeInt('port', { description: 'The port the service listens on (1–65535).' }),
    targetPort: t.field({
      type: 'PortNumberOrName',
      description: 'The pods’ port: a number or a container port’s name; the port when not given.',
      resolve: (port) => port.targetPort,
    }),
    nodePort: t.exposeInt('nodePort', { nullable: true, description: 'NodePort and LoadBalancer services only: the port on every node (30000–32767).' }),
    protocol: t.field({ type: PortProtocol, description: 'TCP when not given.', resolve: (port) => port.protocol }),
  }),
});

export const ServicePortInput = builder.inputType('ServicePortInput', {
  description: 'A port of a service.',
  fields: (t) => ({
    name: t.string({ description: 'Required, and unique, when a service has several ports.' }),
    port: t.int({ required: true, description: 'The port the service listens on (1–65535).' }),
    targetPort: t.field({ type: 'PortNumberOrName', description: 'The pods’ port: a number or a container port’s name; the port when not given.' }),
    nodePort: t.int({ description: 'NodePort and LoadBalancer services only (30000–32767); the cluster picks one when not given.' }),
    protocol: t.field({ type: PortProtocol, description: 'TCP when not given.' }),
  }),
});

const backendDescriptions = {
  serviceId: 'A service of the ingress’s namespace (`apps:web`, or its server-wide id); or give workloadIds.',
  workloadIds: 'Workloads of the ingress’s namespace, for which Rancher makes a service; or give serviceId.',
  targetPort: 'The port to send to: one of the service’s ports (number or name), or the workloads’ port.',
};

export const IngressBackendRef = builder.objectRef<IngressBackend>('IngressBackend').implement({
  description: 'Where an ingress sends requests: a service, or workloads, and a port.',
  fields: (t) => backendOutputFields(t),
});

const HttpIngressPathRef = builder.objectRef<IngressPath>('HttpIngressPath').implement({
  description: 'A path of an ingress rule and where requests for it go.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Starts with /.' }),
    pathType: t.field({ type: PathType, description: 'How the path matches.', resolve: (path) => path.pathType }),
    ...backendOutputFields(t),
  }),
});

export const IngressRuleRef = builder.objectRef<IngressRule>('IngressRule').implement({
  description: 'Requests for a host (or for any host) and where each path of it goes.',
  fields: (t) => ({
    host: t.exposeString('host', { nullable: true, description: 'A DNS name, optionally with a leading *. wildcard; null for any host.' }),
    paths: t.field({ type: [HttpIngressPathRef], description: 'The paths, each with its backend.', resolve: (rule) => rule.paths }),
  }),
});

export const IngressTlsRef = builder.objectRef<IngressTls>('IngressTLS').implement({
  description: 'TLS for some hosts of an ingress, with the certificate that serves them.',
  fields: (t) => ({
    certificateId: t.exposeID('certificateId', {
      nullable: true,
      description:
        'A certificate the namespace can use: a namespaced certificate of the ingress’s namespace, or a certificate of its project. Null: the ingress controller’s default.',
      extensions: twoPartReference,
    }),
    hosts: t.exposeStringList('hosts', { description: 'The hosts the certificate serves (DNS names, *. wildcards allowed).' }),
  }),
});

/** The fields every backend shows (a path's too). */
function backendOutputFields<Shape extends IngressBackend>(t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Shape>) {
  return {
    serviceId: t.id({ nullable: true, description: backendDescriptions.serviceId, extensions: twoPartReference, resolve: (backend) => backend.serviceId }),
    workloadIds: t.idList({ description: backendDescriptions.workloadIds, extensions: workloadReferences, resolve: (backend) => backend.workloadIds }),
    targetPort: t.field({ type: 'PortNumberOrName', description: backendDescriptions.targetPort, resolve: (backend) => backend.targetPort }),
  };
}

/** The fields every backend takes (a path's too). */
function backendInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
    serviceId: t.id({ description: backendDescriptions.serviceId }),
    workloadIds: t.idList({ description: backendDescriptions.workloadIds }),
    targetPort: t.field({ type: 'PortNumberOrName', description: backendDescriptions.targetPort }),
  };
}

export const IngressBackendInput = builder.inputType('IngressBackendInput', {
  description: 'Where an ingress sends requests: serviceId or workloadIds, and targetPort.',
  fields: (t) => backendInputFields(t),
});

const HttpIngressPathInput = builder.inputType('HttpIngressPathInput', {
  description: 'A path of an ingress rule and where requests for it go.',
  fields: (t) => ({
    path: t.string({ description: 'Starts with /; / when not given.' }),
    pathType: t.field({ type: PathType, description: 'ImplementationSpecific when not given.' }),
    ...backendInputFields(t),
  }),
});

export const IngressRuleInput = builder.inputType('IngressRuleInput', {
  description: 'Requests for a host (or for any host) and where each path of it goes.',
  fields: (t) => ({
    host: t.string({ description: 'A DNS name, optionally with a leading *. wildcard; any host when not given.' }),
    paths: t.field({ type: [HttpIngressPathInput], description: 'The paths, each with its backend.' }),
  }),
});

export const IngressTlsInput = builder.inputType('IngressTLSInput', {
  description: 'TLS for some hosts of an ingress.',
  fields: (t) => ({
    certificateId: t.id({
      description:
        'A certificate of the ingress’s namespace (`apps:www`) or of its project (`p-x:www`), in Rancher’s form or server-wide; none: the ingress controller’s default.',
    }),
    hosts: t.stringList({ description: 'The hosts the certificate serves.' }),
  }),
});

/** The validators of the fields services and ingresses take, for their create and update inputs. */
export const networkValidators = {
  ports: servicePortsSchema,
  hostname: blankOr(dnsName),
  clusterIp: blankOr(clusterIp),
  rules: ingressRulesSchema,
  tls: ingressTlsSchema,
  defaultBackend: ingressBackendSchema,
  ingressClassName: blankOr(ingressClassName),
  targetWorkloadIds: z.array(z.string().min(1).max(512)).max(50),
  portNumberOrName,
};
