import { createRequire } from 'node:module';
import { invalidInput } from '../errors.js';
import { validateAllowListEntry } from '../proxy/allowList.js';

/**
 * The settings this server knows, one declaration each: default, whether it can be
 * changed through the API, and the rule a new value must pass. Settings not listed
 * here may be created by admins and hold any text.
 */
export interface SettingDefinition {
  name: string;
  default: string;
  description: string;
  readOnly?: boolean;
  /** Throws an INVALID_INPUT naming `value` when the text is not acceptable. */
  validate?: (value: string) => void;
}

const version: string = createRequire(import.meta.url)('../../package.json').version;

export const settingDefinitions: readonly SettingDefinition[] = [
  {
    name: 'whitelist-domain',
    default: '',
    description: 'Comma-separated hosts the meta proxy may reach besides those of active node drivers (exact names, *.suffix, or % for one label).',
    validate: (value) => splitList(value).forEach((entry) => validateAllowListEntry(entry, 'value')),
  },
  {
    name: 'server-url',
    default: '',
    description: 'The URL clients and kubeconfigs use to reach this server; the request’s own URL when empty.',
    validate: (value) => {
      if (value !== '' && !(/^https?:\/\//.test(value) && URL.canParse(value))) throw invalidInput('value', 'server-url must be an http(s) URL');
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
    name: 'audit-log-retention-days',
    default: '30',
    description: 'How many days audit entries stay in the database (auditEvents); 0 keeps them forever.',
    validate: integerAtLeast(0),
  },
  {
    name: 'server-version',
    default: version,
    description: 'The version of this server.',
    readOnly: true,
  },
];

export function settingDefinition(name: string): SettingDefinition | undefined {
  return settingDefinitions.find((definition) => definition.name === name);
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
