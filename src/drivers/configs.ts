/**
 * The machine settings of each built-in node driver, declared once as data: the fields
 * of its `<driver>Config` on node templates (Rancher's `amazonec2config`, …), with
 * docker-machine's flag names, types and defaults. Secret fields are write-only: stored
 * sealed, never returned. Only drivers declared here can have node templates.
 */
export interface DriverConfigField {
  name: string;
  /** docker-machine's flag kinds: text (numbers too, as Rancher keeps them), a switch, or a list of text. */
  type: 'string' | 'boolean' | 'stringList';
  description: string;
  default?: string | boolean;
  secret?: boolean;
}

export interface DriverConfig {
  /** The node driver's name (`amazonec2`): the field is `amazonec2Config`, its type `amazonec2config`. */
  driver: string;
  fields: readonly DriverConfigField[];
}

const text = (name: string, description: string, fallback?: string): DriverConfigField => ({
  name,
  type: 'string',
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
});
const flag = (name: string, description: string, fallback = false): DriverConfigField => ({ name, type: 'boolean', description, default: fallback });
const list = (name: string, description: string): DriverConfigField => ({ name, type: 'stringList', description });
const secret = (name: string, description: string, fallback?: string): DriverConfigField => ({ ...text(name, description, fallback), secret: true });

const ssh = (user: string) => [text('sshUser', 'The user to log in as over SSH.', user), text('sshPort', 'The SSH port.', '22')];

export const driverConfigs: readonly DriverConfig[] = [
  {
    driver: 'amazonec2',
    fields: [
      text('accessKey', 'AWS access key (or use a cloud credential).'),
      secret('secretKey', 'AWS secret key (or use a cloud credential).'),
      text('region', 'The AWS region.', 'us-east-1'),
      text('zone', 'The availability zone letter.', 'a'),
      text('ami', 'The AMI to launch; the region’s Ubuntu image when empty.'),
      text('instanceType', 'The instance type.', 't3a.medium'),
      text('rootSize', 'The root disk size in GB.', '16'),
      text('volumeType', 'The root volume type.', 'gp3'),
      text('vpcId', 'The VPC.'),
      text('subnetId', 'The subnet.'),
      list('securityGroup', 'Security group names.'),
      text('iamInstanceProfile', 'The IAM instance profile.'),
      text('keypairName', 'An existing key pair to use.'),
      text('tags', 'Tags as key1,value1,key2,value2.'),
      flag('privateAddressOnly', 'Use the private address only.'),
      flag('requestSpotInstance', 'Request a spot instance.'),
      text('spotPrice', 'The spot price bid.', '0.50'),
      flag('encryptEbsVolume', 'Encrypt the EBS volume.'),
      text('kmsKey', 'The KMS key for the EBS volume.'),
      text('userdata', 'A cloud-init user data file’s content.'),
      ...ssh('ubuntu'),
    ],
  },
  {
    driver: 'azure',
    fields: [
      text('clientId', 'Service principal client ID (or use a cloud credential).'),
      secret('clientSecret', 'Service principal secret (or use a cloud credential).'),
      text('subscriptionId', 'The subscription.'),
      text('tenantId', 'The tenant.'),
      text('environment', 'The Azure cloud.', 'AzurePublicCloud'),
      text('location', 'The region.', 'westus'),
      text('resourceGroup', 'The resource group.', 'docker-machine'),
      text('size', 'The VM size.', 'Standard_D2_v2'),
      text('image', 'The image (publisher:offer:sku:version).', 'canonical:UbuntuServer:18.04-LTS:latest'),
      text('vnet', 'The virtual network.', 'docker-machine-vnet'),
      text('subnet', 'The subnet.', 'docker-machine'),
      text('subnetPrefix', 'The subnet’s address prefix.', '192.168.0.0/16'),
      text('availabilitySet', 'The availability set.', 'docker-machine'),
      text('diskSize', 'The OS disk size in GB.', '30'),
      text('storageType', 'The disk storage type.', 'Standard_LRS'),
      flag('managedDisks', 'Use managed disks.'),
      flag('noPublicIp', 'Create no public IP address.'),
      flag('staticPublicIp', 'Use a static public IP address.'),
      flag('usePrivateIp', 'Connect through the private IP address.'),
      list('openPort', 'Ports to open.'),
      text('tags', 'Tags as key1,value1,key2,value2.'),
      text('dockerPort', 'The Docker daemon port.', '2376'),
      text('sshUser', 'The user to log in as over SSH.', 'docker-user'),
    ],
  },
  {
    driver: 'digitalocean',
    fields: [
      secret('accessToken', 'A DigitalOcean API token (or use a cloud credential).'),
      text('region', 'The region.', 'nyc3'),
      text('size', 'The droplet size.', 's-1vcpu-1gb'),
      text('image', 'The image.', 'ubuntu-22-04-x64'),
      flag('ipv6', 'Enable IPv6.'),
      flag('privateNetworking', 'Enable private networking.'),
      flag('backups', 'Enable backups.'),
      flag('monitoring', 'Enable monitoring.'),
      text('tags', 'Comma-separated tags.'),
      text('sshKeyFingerprint', 'The fingerprint of an SSH key already in the account.'),
      secret('sshKeyContents', 'A private SSH key to log in with.'),
      text('userdata', 'A cloud-init user data file’s content.'),
      ...ssh('root'),
    ],
  },
  {
    driver: 'linode',
    fields: [
      secret('token', 'A Linode API token (or use a cloud credential).'),
      text('region', 'The region.', 'us-east'),
      text('instanceType', 'The Linode type.', 'g6-standard-4'),
      text('image', 'The image.', 'linode/ubuntu22.04'),
      secret('rootPass', 'The root password; generated when empty.'),
      text('label', 'The Linode’s label.'),
      text('tags', 'Comma-separated tags.'),
      text('swapSize', 'The swap size in MB.', '512'),
      text('authorizedUsers', 'Linode users whose SSH keys are installed.'),
      flag('createPrivateIp', 'Create a private IP address.'),
      text('stackscript', 'A StackScript to run.'),
      text('stackscriptData', 'The StackScript’s data, as JSON.'),
      text('uaPrefix', 'The API user agent’s prefix.', 'Rancher'),
      text('dockerPort', 'The Docker daemon port.', '2376'),
      ...ssh('root'),
    ],
  },
  {
    driver: 'vmwarevsphere',
    fields: [
      text('vcenter', 'The vCenter server (or use a cloud credential).'),
      text('vcenterPort', 'The vCenter port.', '443'),
      text('username', 'The vCenter user (or use a cloud credential).'),
      secret('password', 'The vCenter password (or use a cloud credential).'),
      text('datacenter', 'The datacenter.'),
      text('datastore', 'The datastore.'),
      text('datastoreCluster', 'The datastore cluster.'),
      text('folder', 'The VM folder.'),
      text('hostsystem', 'The host system.'),
      text('pool', 'The resource pool.'),
      list('network', 'Networks to attach.'),
      text('creationType', 'How the VM is made: vm, template, library or legacy.', 'legacy'),
      text('cloneFrom', 'The VM, template or library item to clone.'),
      text('contentLibrary', 'The content library.'),
      text('cpuCount', 'The number of CPUs.', '2'),
      text('memorySize', 'The memory in MB.', '2048'),
      text('diskSize', 'The disk size in MB.', '20480'),
      text('boot2dockerUrl', 'The boot2docker ISO (legacy creation).'),
      text('cloudinit', 'A cloud-init file or URL.'),
      text('cloudConfig', 'cloud-config user data.'),
      list('customAttribute', 'Custom attributes as key=value.'),
      list('tag', 'Tags as category:name.'),
      list('vappProperty', 'vApp properties as key=value.'),
      text('os', 'The guest OS: linux or windows.', 'linux'),
      text('sshUser', 'The user to log in as over SSH.', 'docker'),
      secret('sshPassword', 'The SSH password.', 'tcuser'),
      text('sshPort', 'The SSH port.', '22'),
      text('sshUserGroup', 'The SSH user’s group.', 'staff'),
    ],
  },
];

export function driverConfig(driver: string): DriverConfig | undefined {
  return driverConfigs.find((config) => config.driver === driver);
}
