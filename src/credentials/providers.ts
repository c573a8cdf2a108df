/**
 * Cloud-credential providers, one declaration each: the fields of its
 * `<provider>credentialConfig`, which of them are secret (write-only, encrypted at
 * rest, readable only by the proxy's signers), and the hosts its secrets may be sent
 * to by default. Field names are Rancher's, because the proxy's
 * `X-API-CattleAuth-Header` names them (`accessKey`, `secretKey`, `accessToken`, …).
 */
export interface CredentialField {
  name: string;
  secret: boolean;
  required: boolean;
  default?: string;
  /** What it is, for the schema and the console's form (Rancher's field of the same name). */
  description: string;
}

export interface CredentialProvider {
  /** As in Rancher: `amazonec2` → the input object `amazonec2credentialConfig`. */
  name: string;
  displayName: string;
  fields: readonly CredentialField[];
  /** Host patterns (allow-list syntax) the secrets may be signed for, unless the owner changes them. */
  defaultAllowedHosts(config: Record<string, string | undefined>): string[];
}

const field = (name: string, description: string, options: Partial<Omit<CredentialField, 'name' | 'description'>> = {}): CredentialField => ({
  name,
  description,
  secret: false,
  required: false,
  ...options,
});
const secret = (name: string, description: string, options: Partial<Omit<CredentialField, 'name' | 'secret' | 'description'>> = {}) =>
  field(name, description, { required: true, ...options, secret: true });

export const credentialProviders: readonly CredentialProvider[] = [
  {
    name: 'amazonec2',
    displayName: 'Amazon EC2',
    fields: [
      field('accessKey', 'The AWS access key id (`AKIA…`).', { required: true }),
      secret('secretKey', 'The AWS secret access key that goes with the access key.'),
      field('defaultRegion', 'The AWS region used when a request names none (`us-east-1`).'),
    ],
    defaultAllowedHosts: () => ['*.amazonaws.com', '*.amazonaws.com.cn', '*.api.aws'],
  },
  {
    name: 'digitalocean',
    displayName: 'DigitalOcean',
    fields: [secret('accessToken', 'A DigitalOcean personal access token.')],
    defaultAllowedHosts: () => ['api.digitalocean.com'],
  },
  {
    name: 'azure',
    displayName: 'Microsoft Azure',
    fields: [
      field('clientId', 'The application (client) id of the service principal.', { required: true }),
      field('subscriptionId', 'The Azure subscription machines are made in.', { required: true }),
      field('tenantId', 'The Microsoft Entra tenant (directory) id of the service principal.'),
      field('environment', 'The Azure cloud (`AzurePublicCloud`, `AzureChinaCloud`, `AzureUSGovernmentCloud`, …).', { default: 'AzurePublicCloud' }),
      secret('clientSecret', 'The service principal’s client secret.'),
    ],
    defaultAllowedHosts: () => ['management.azure.com', 'login.microsoftonline.com'],
  },
  {
    name: 'google',
    displayName: 'Google Cloud',
    fields: [secret('authEncodedJson', 'The service account key, as JSON.')],
    // Not `*.googleapis.com`: googleapis.com is on the Public Suffix List (its
    // subdomains belong to different parties), so the allow list ignores that pattern.
    defaultAllowedHosts: () => [
      'www.googleapis.com',
      'compute.googleapis.com',
      'container.googleapis.com',
      'oauth2.googleapis.com',
      'cloudresourcemanager.googleapis.com',
      'iam.googleapis.com',
    ],
  },
  {
    name: 'vmwarevsphere',
    displayName: 'VMware vSphere',
    fields: [
      field('vcenter', 'The vCenter server’s host name or address.', { required: true }),
      field('vcenterPort', 'The vCenter server’s HTTPS port.', { default: '443' }),
      field('username', 'The vCenter user to sign in as.', { required: true }),
      secret('password', 'That user’s password.'),
    ],
    defaultAllowedHosts: (config) => hostsOf(config.vcenter),
  },
  {
    name: 'linode',
    displayName: 'Linode',
    fields: [secret('token', 'A Linode personal access token.')],
    defaultAllowedHosts: () => ['api.linode.com'],
  },
  {
    name: 'harvester',
    displayName: 'Harvester',
    fields: [
      field('clusterType', 'How the Harvester cluster is known: `imported` (into this server) or `external`.', { default: 'imported' }),
      field('clusterId', 'The id of the imported Harvester cluster (for `imported`).'),
      secret('kubeconfigContent', 'A kubeconfig for the Harvester cluster, as YAML; its server decides the allowed host.'),
    ],
    defaultAllowedHosts: (config) => hostsOf(kubeconfigServer(config.kubeconfigContent)),
  },
  {
    name: 'generic',
    displayName: 'Generic HTTP API',
    fields: [
      field('endpoint', 'The base URL of the API.', { required: true }),
      field('username', 'The user name for Basic or Digest authentication.'),
      secret('password', 'The password for Basic or Digest authentication.', { required: false }),
      secret('token', 'A bearer token.', { required: false }),
    ],
    defaultAllowedHosts: (config) => hostsOf(config.endpoint),
  },
];

export function credentialProvider(name: string): CredentialProvider | undefined {
  return credentialProviders.find((provider) => provider.name === name);
}

/** The host of a URL or bare host name; none when it has no usable host. */
function hostsOf(endpoint: string | undefined): string[] {
  if (!endpoint) return [];
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  const host = URL.canParse(candidate) ? new URL(candidate).hostname : '';
  return host ? [host.replace(/^\[|\]$/g, '')] : [];
}

/** The `server:` URL of the first cluster in a kubeconfig (YAML or JSON), without a YAML parser. */
function kubeconfigServer(kubeconfig: string | undefined): string | undefined {
  return kubeconfig ? /["']?server["']?\s*:\s*["']?([^"'\s,}]+)/.exec(kubeconfig)?.[1] : undefined;
}
