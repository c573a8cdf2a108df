import { z } from 'zod';
import { portProtocols } from './workload-spec.js';
import { invalidAt, portNumber, portNumberOrName } from './network-names.js';
import { invalidInput } from '../errors.js';

/**
 * What a service is, as Rancher's project API and Kubernetes spell it: its kind, its
 * ports, what it sends traffic to (a label selector, Rancher's targetWorkloadIds, or an
 * external DNS name). Field rules are zod schemas the GraphQL inputs run; the rules that
 * span fields or depend on the kind are `checkServiceSpec`.
 */
export const serviceKinds = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceKindName = (typeof serviceKinds)[number];

/** Kubernetes' default node port range. */
const nodePortRange = { min: 30_000, max: 32_767 };

const servicePortSchema = z.object({
  name: z
    .string()
    .max(63)
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, 'port names are lowercase letters, digits and -, starting and ending with a letter or digit')
    .optional()
    .nullable(),
  port: portNumber,
  targetPort: portNumberOrName.optional().nullable(),
  nodePort: z
    .number()
    .int()
    .min(nodePortRange.min, `node ports are ${nodePortRange.min}–${nodePortRange.max}`)
    .max(nodePortRange.max, `node ports are ${nodePortRange.min}–${nodePortRange.max}`)
    .optional()
    .nullable(),
  protocol: z.enum(portProtocols).optional().nullable(),
});
export type ServicePortInput = z.infer<typeof servicePortSchema>;

export const servicePortsSchema = z.array(servicePortSchema).max(100);

/** A port as stored and shown: Kubernetes' defaults filled in (targetPort = port, TCP). */
export interface ServicePort {
  name: string | null;
  port: number;
  targetPort: number | string;
  nodePort: number | null;
  protocol: (typeof portProtocols)[number];
}

/** "None" makes a headless service; anything else given is an IP address the cluster should use. */
export const clusterIp = z
  .string()
  .max(45)
  .refine(
    (value) => value === 'None' || z.ipv4().safeParse(value).success || z.ipv6().safeParse(value).success,
    'must be an IP address, or None for a headless service',
  );

export interface ServiceSpec {
  kind: ServiceKindName;
  ports: ServicePortInput[];
  selector: Record<string, string>;
  targetWorkloadIds: string[];
  hostname: string | null;
  clusterIp: string | null;
}

/**
 * The rules that depend on the kind or span fields, as the Kubernetes API server
 * applies them: an ExternalName service has a hostname and nothing that routes to pods;
 * node ports belong to NodePort and LoadBalancer services; a service that is not
 * headless has ports, and (port, protocol) pairs and port names are unique.
 */
export function checkServiceSpec(spec: ServiceSpec): void {
  if (spec.kind === 'ExternalName') {
    if (!spec.hostname) throw invalidInput('hostname', 'an ExternalName service needs a hostname', 'MissingRequired');
    if (spec.clusterIp) throw invalidInput('clusterIp', 'an ExternalName service has no cluster IP');
    if (Object.keys(spec.selector).length > 0) throw invalidInput('selector', 'an ExternalName service selects no pods');
    if (spec.targetWorkloadIds.length > 0) throw invalidInput('targetWorkloadIds', 'an ExternalName service targets no workloads');
  } else if (spec.hostname) {
    throw invalidInput('hostname', `only ExternalName services have a hostname, not a ${spec.kind} service`);
  }
  if (spec.clusterIp === 'None' && spec.kind !== 'ClusterIP') throw invalidInput('clusterIp', `a ${spec.kind} service cannot be headless`);
  if (Object.keys(spec.selector).length > 0 && spec.targetWorkloadIds.length > 0) {
    throw invalidInput('targetWorkloadIds', 'give targetWorkloadIds or a selector, not both: the workloads are selected by their own selectors');
  }
  const headless = spec.clusterIp === 'None';
  if (spec.kind !== 'ExternalName' && !headless && spec.ports.length === 0)
    throw invalidInput('ports', `a ${spec.kind} service needs at least one port`, 'MissingRequired');
  checkPorts(spec);
}

function checkPorts(spec: ServiceSpec): void {
  const seen = new Set<string>();
  const names = new Set<string>();
  spec.ports.forEach((port, index) => {
    if (port.nodePort != null && spec.kind !== 'NodePort' && spec.kind !== 'LoadBalancer') {
      throw invalidAt(['ports', index, 'nodePort'], `only NodePort and LoadBalancer services have node ports, not a ${spec.kind} service`);
    }
    const key = `${port.port}/${port.protocol ?? 'TCP'}`;
    if (seen.has(key)) throw invalidAt(['ports', index, 'port'], `port ${key} is given twice`, 'NotUnique');
    seen.add(key);
    if (spec.ports.length > 1 && !port.name) throw invalidAt(['ports', index, 'name'], 'a service with several ports names each of them', 'MissingRequired');
    if (port.name) {
      if (names.has(port.name)) throw invalidAt(['ports', index, 'name'], `port name ${JSON.stringify(port.name)} is given twice`, 'NotUnique');
      names.add(port.name);
    }
  });
}

/** The ports as stored: targetPort defaults to the port, protocol to TCP. */
export function storedPorts(ports: ServicePortInput[]): ServicePort[] {
  return ports.map((port) => ({
    name: port.name || null,
    port: port.port,
    targetPort: port.targetPort ?? port.port,
    nodePort: port.nodePort ?? null,
    protocol: port.protocol ?? 'TCP',
  }));
}
