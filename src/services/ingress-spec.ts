import { z } from 'zod';
import { dnsName, ingressHost, invalidAt, portNumberOrName } from './network-names.js';
import { invalidInput } from '../errors.js';

/**
 * What an ingress is, as Rancher's project API spells it: rules (a host and paths, each
 * path sending to a service or to workloads on a port), TLS entries (a certificate and
 * the hosts it serves) and a default backend. Field rules are zod schemas the GraphQL
 * inputs run; what spans fields is `checkIngressSpec`.
 */
export const pathTypes = ['Prefix', 'Exact', 'ImplementationSpecific'] as const;

const workloadIds = z.array(z.string().min(1).max(512)).max(50);

/** Rancher's backend: a service (`serviceId`) or workloads (`workloadIds`, for which Rancher makes a service), and the port. */
const backendFields = {
  serviceId: z.string().max(512).optional().nullable(),
  workloadIds: workloadIds.optional().nullable(),
  targetPort: portNumberOrName.optional().nullable(),
};
export const ingressBackendSchema = z.object(backendFields);

const ingressPathSchema = z.object({
  ...backendFields,
  path: z.string().max(4096).startsWith('/', 'a path starts with /').optional().nullable(),
  pathType: z.enum(pathTypes).optional().nullable(),
});

export const ingressRulesSchema = z
  .array(z.object({ host: ingressHost.optional().nullable(), paths: z.array(ingressPathSchema).max(100).optional().nullable() }))
  .max(100);

export const ingressTlsSchema = z
  .array(z.object({ certificateId: z.string().max(512).optional().nullable(), hosts: z.array(ingressHost).max(100).optional().nullable() }))
  .max(50);

/** The IngressClass that serves the ingress (its name, a DNS subdomain). */
export const ingressClassName = dnsName;

export type IngressBackendInput = z.infer<typeof ingressBackendSchema>;
export type IngressRuleInput = z.infer<typeof ingressRulesSchema>[number];
export type IngressTlsInput = z.infer<typeof ingressTlsSchema>[number];

/** A backend as stored: the references resolved to server-wide ids. */
export interface IngressBackend {
  serviceId: string | null;
  workloadIds: string[];
  targetPort: number | string;
}
export interface IngressPath extends IngressBackend {
  path: string;
  pathType: (typeof pathTypes)[number];
}
export interface IngressRule {
  host: string | null;
  paths: IngressPath[];
}
export interface IngressTls {
  certificateId: string | null;
  hosts: string[];
}

/** An ingress routes somewhere: a default backend or at least one rule (as Kubernetes requires). */
export function checkIngressSpec(rules: IngressRuleInput[], defaultBackend: IngressBackendInput | null): void {
  if (rules.length === 0 && !defaultBackend) throw invalidInput('rules', 'an ingress needs rules or a defaultBackend', 'MissingRequired');
  rules.forEach((rule, index) => {
    if (!rule.paths?.length && !defaultBackend)
      throw invalidAt(['rules', index, 'paths'], 'a rule needs at least one path when there is no defaultBackend', 'MissingRequired');
  });
}

/**
 * Each backend names exactly one kind of target and a port: `serviceId` or
 * `workloadIds`, and `targetPort` (a port of that service, or of those workloads).
 */
export function checkBackend(backend: IngressBackendInput, path: ReadonlyArray<string | number>): void {
  const toService = Boolean(backend.serviceId);
  const toWorkloads = (backend.workloadIds?.length ?? 0) > 0;
  if (toService && toWorkloads) throw invalidAt([...path, 'workloadIds'], 'give serviceId or workloadIds, not both');
  if (!toService && !toWorkloads)
    throw invalidAt([...path, 'serviceId'], 'a backend names a service (serviceId) or workloads (workloadIds)', 'MissingRequired');
  if (backend.targetPort == null) throw invalidAt([...path, 'targetPort'], 'a backend needs the port to send to', 'MissingRequired');
}
