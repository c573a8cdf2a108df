/**
 * The node drivers Rancher ships, as seed data: created on first start, marked
 * `builtin`, never removable. Their `whitelistDomains` feed the meta proxy's allow
 * list while the driver is active, which is how the UI reaches each cloud's API.
 * Domains follow Rancher's current lists; `%` stands for one DNS label (a region).
 */
export interface BuiltinNodeDriver {
  name: string;
  displayName: string;
  active: boolean;
  /** Rancher's built-in drivers live in the server binary, hence `local://`. */
  url: string;
  uiUrl: string;
  whitelistDomains: readonly string[];
}

const regional = (services: readonly string[], suffixes: readonly string[]) => services.flatMap((service) => suffixes.map((suffix) => `${service}.${suffix}`));

const awsDomains = [
  'iam.amazonaws.com',
  'iam.us-gov.amazonaws.com',
  'iam.%.amazonaws.com.cn',
  'iam.global.api.aws',
  ...regional(['ec2', 'eks', 'kms'], ['%.amazonaws.com', '%.amazonaws.com.cn', '%.api.aws']),
];

const builtin = (name: string, displayName: string, active: boolean, whitelistDomains: readonly string[] = []): BuiltinNodeDriver => ({
  name,
  displayName,
  active,
  url: 'local://',
  uiUrl: '',
  whitelistDomains,
});

export const builtinNodeDrivers: readonly BuiltinNodeDriver[] = [
  builtin('amazonec2', 'Amazon EC2', true, awsDomains),
  builtin('azure', 'Azure', true),
  builtin('digitalocean', 'DigitalOcean', true, ['api.digitalocean.com']),
  builtin('harvester', 'Harvester', true, ['github.com']),
  builtin('linode', 'Linode', true, ['api.linode.com']),
  builtin('vmwarevsphere', 'VMware vSphere', true),
  builtin('exoscale', 'Exoscale', false, ['api.exoscale.ch']),
  builtin('openstack', 'OpenStack', false),
  builtin('oci', 'Oracle Cloud Infrastructure', false, ['*.oraclecloud.com']),
  builtin('otc', 'Open Telekom Cloud', false, ['*.otc.t-systems.com']),
  builtin('packet', 'Equinix Metal', false, ['api.packet.net', 'api.equinix.com', 'rancher-drivers.equinixmetal.net']),
  builtin('pnap', 'phoenixNAP', false, ['api.securedservers.com', 'api.phoenixnap.com', 'auth.phoenixnap.com']),
  builtin('nutanix', 'Nutanix', false, ['nutanix.github.io']),
  builtin('outscale', 'Outscale', false, ['oos.eu-west-2.outscale.com']),
];
