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
  description?: string;
}

export interface CredentialProvider {
  /** As in Rancher: `amazonec2` → the input object `amazonec2credentialConfig`. */
  name: string;
  displayName: string;
  fields: readonly CredentialField[];
  /** Host patterns (allow-list syntax) the secrets may be signed for, unless the owner changes them. */
  defaultAllowedHosts(config: Record<string, string | undefined>): string[];
}

const field = (name: string, options: Partial<Omit<CredentialField, 'name'>> = {}): CredentialField => ({
  name,
  secret: false,
  required: false,
  ...options,
});
const secret = (name: string, options: Partial<Omit<CredentialField, 'name' | 'secret'>> = {}) => field(name, { required: true, ...options, secret: true });

export const credentialProviders: readonly CredentialProvider[] = [
  {
    name: 'amazonec2',
    displayName: 'Amazon EC2',
    fields: [field('accessKey', { required: true }), secret('secretKey'), field('defaultRegion')],
    defaultAllowedHosts: () => ['*.amazonaws.com', '*.amazonaws.com.cn', '*.api.aws'],
  },
  {
    name: 'digitalocean',
    displayName: 'DigitalOcean',
    fields: [secret('accessToken')],
    defaultAllowedHosts: () => ['api.digitalocean.com'],
  },
  {
    name: 'azure',
    displayName: 'Microsoft Azure',
    fields: [
      field('clientId', { required: true }),
      field('subscriptionId', { required: true }),
      field('tenantId'),
      field('environment', { default: 'AzurePublicCloud' }),
      secret('clientSecret'),
    ],
    defaultAllowedHosts: () => ['management.azure.com', 'login.microsoftonline.com'],
  },
  {
    name: 'google',
    displayName: 'Google Cloud',
    fields: [secret('authEncodedJson', { description: 'the service account key, as JSON' })],
    // Not `*.googleapis.com`: googleapis.com is on the Public Suffix List (its
    // subdomains belong to different parties), so the allow list ignores that pattern.
    defaultAllowedHosts: () => ['www.googleapis.com', 'compute.googleapis.com', 'container.googleapis.com', 'oauth2.googleapis.com', 'cloudresourcemanager.googleapis.com', 'iam.googleapis.com'],
  },
  {
    name: 'vmwarevsphere',
    displayName: 'VMware vSphere',
    fields: [field('vcenter', { required: true }), field('vcenterPort', { default: '443' }), field('username', { required: true }), secret('password')],
    defaultAllowedHosts: (config) => hostsOf(config.vcenter),
  },
  {
    name: 'linode',
    displayName: 'Linode',
    fields: [secret('token')],
    defaultAllowedHosts: () => ['api.linode.com'],
  },
  {
    name: 'harvester',
    displayName: 'Harvester',
    fields: [field('clusterType', { default: 'imported' }), field('clusterId'), secret('kubeconfigContent')],
    defaultAllowedHosts: (config) => hostsOf(kubeconfigServer(config.kubeconfigContent)),
  },
  {
    name: 'generic',
    displayName: 'Generic HTTP API',
    fields: [field('endpoint', { required: true, description: 'base URL of the API' }), field('username'), secret('password', { required: false }), secret('token', { required: false })],
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
