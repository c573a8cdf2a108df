import { createRequire } from 'node:module';
import { invalidInput } from '../errors.js';
import { validateAllowListEntry } from '../proxy/allow-list.js';
import { validateOrigin } from '../http/cors.js';

/**
 * The settings this server has: Rancher's fixed set (the ones that mean something
 * here, with Rancher's names and defaults) plus this server's own. One declaration
 * each: default, description, whether the API may change it, and the rule a new
 * value must pass. There are no others: settings cannot be created or removed.
 */
export interface SettingDefinition {
  name: string;
  default: string;
  description: string;
  /** Never changed through the API (Rancher's read-only settings). */
  readOnly?: boolean;
  /** The value is the installation's own (like Rancher's CATTLE_SERVER_VERSION): shown as `source: env`. */
  fromInstallation?: boolean;
  /** Throws an INVALID_INPUT naming `value` when the text is not acceptable. */
  validate?: (value: string) => void;
}

const version: string = createRequire(import.meta.url)('../../package.json').version;

export const settingDefinitions: readonly SettingDefinition[] = [
  {
    name: 'server-url',
    default: '',
    description: 'The URL clients and kubeconfigs use to reach this server; the request’s own URL when empty.',
    validate: httpUrl,
  },
  {
    name: 'server-version',
    default: version,
    description: 'The version of this server.',
    readOnly: true,
    fromInstallation: true,
  },
  {
    name: 'cacerts',
    default: '',
    description:
      'The PEM CA certificates that sign this server’s certificate, for agents and clients that must trust it; empty when a public CA signs it. Set by the installation (CATTLE_CACERTS).',
    readOnly: true,
  },
  {
    name: 'first-login',
    default: 'true',
    description: 'Whether the UI shows its first-login page (true until someone has gone through it).',
    validate: oneOf('true', 'false'),
  },
  {
    name: 'telemetry-opt',
    default: '',
    description: 'The administrator’s telemetry choice as UIs record it (in or out); this server sends no telemetry either way.',
    validate: oneOf('', 'in', 'out'),
  },
  {
    name: 'ui-pl',
    default: 'rancher',
    description: 'The product name UIs show (Rancher’s “private label”).',
  },
  {
    name: 'ui-brand',
    default: '',
    description: 'The brand UIs style themselves with; empty for the default.',
  },
  {
    name: 'ui-banners',
    default: '{}',
    description: 'The banners UIs show in their header, footer or login page, as a JSON object.',
    validate: jsonObject,
  },
  {
    name: 'ui-default-landing',
    default: 'vue',
    description: 'The page UIs open after login.',
  },
  {
    name: 'engine-install-url',
    default: 'https://releases.rancher.com/install-docker/28.1.sh',
    description: 'The script that installs a container engine on nodes that lack one.',
    validate: httpUrl,
  },
  {
    name: 'ingress-ip-domain',
    default: 'sslip.io',
    description: 'The wildcard DNS domain used to give ingresses without a host name one from their IP address.',
  },
  {
    name: 'system-default-registry',
    default: '',
    description: 'The registry system images are pulled from; empty for each image’s own registry.',
  },
  {
    name: 'agent-image',
    default: `rancher/rancher-agent:v${version}`,
    description:
      'The agent image that the registration commands of a cluster start on a node (Rancher’s `agent-image`); `system-default-registry` goes in front of it when set.',
  },
  {
    name: 'eula-agreed',
    default: '',
    description: 'When the end-user license agreement was accepted, as UIs record it.',
  },
  {
    name: 'whitelist-domain',
    default: '',
    description: 'Comma-separated hosts the meta proxy may reach besides those of active node drivers (exact names, *.suffix, or % for one label).',
    validate: (value) => {
      for (const entry of splitList(value)) validateAllowListEntry(entry, 'value');
    },
  },
  {
    name: 'auth-token-max-ttl-minutes',
    default: '0',
    description: 'The longest an API key may live, in minutes; 0 means no limit.',
    validate: integerAtLeast(0),
  },
  {
    name: 'api-rate-limit',
    default: '100',
    description: 'Requests per minute each caller may make.',
    validate: integerAtLeast(1),
  },
  {
    name: 'public-api-body-limit',
    default: String(1024 * 1024),
    description: 'The largest request body the meta proxy forwards, in bytes.',
    validate: integerAtLeast(1),
  },
  {
    name: 'cors-allowed-origins',
    default: '',
    description:
      'Comma-separated browser origins (https://app.example.com:8443) allowed to call the API from their pages, with credentials; added to CATTLE_CORS_ORIGINS. Empty: none.',
    validate: (value) => {
      for (const entry of splitList(value)) validateOrigin(entry, 'value');
    },
  },
  {
    name: 'graphql-trusted-documents-only',
    default: 'false',
    description: 'true: /graphql runs only the client package’s persisted documents (by hash) and refuses any other operation with TRUSTED_DOCUMENTS_ONLY.',
    validate: oneOf('true', 'false'),
  },
  {
    name: 'stream-max-per-user',
    default: '20',
    description: 'Change streams (GraphQL subscriptions, /v3/subscribe, /v1 watches) one user may hold open on one instance.',
    validate: integerAtLeast(1),
  },
  {
    name: 'stream-max-per-instance',
    default: '5000',
    description: 'Change streams one instance holds open in all.',
    validate: integerAtLeast(1),
  },
  {
    name: 'audit-log-retention-days',
    default: '30',
    description: 'How many days audit entries stay in the database (auditEvents); 0 keeps them forever.',
    validate: integerAtLeast(0),
  },
];

export function settingDefinition(name: string): SettingDefinition | undefined {
  return settingDefinitions.find((definition) => definition.name === name);
}

/** The variable that sets a setting from the environment, as Rancher names it: `server-url` → `CATTLE_SERVER_URL`. */
export function settingEnvironmentName(name: string): string {
  return `CATTLE_${name.toUpperCase().replaceAll('-', '_').replaceAll('.', '_')}`;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function integerAtLeast(minimum: number) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < minimum) throw invalidInput('value', `must be a whole number of at least ${minimum}`);
  };
}

function oneOf(...options: string[]) {
  return (value: string) => {
    if (!options.includes(value)) throw invalidInput('value', `must be one of ${options.map((option) => JSON.stringify(option)).join(', ')}`);
  };
}

function httpUrl(value: string): void {
  if (!(/^https?:\/\//.test(value) && URL.canParse(value))) throw invalidInput('value', 'must be an http(s) URL');
}

function jsonObject(value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidInput('value', 'must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidInput('value', 'must be a JSON object');
}
