import { defaultCacheLifetimes } from './cache-lifetimes.js';
import type { PrismaClient, SqlRead } from '../db/database.js';
import { unstored } from '../db/start-reads.js';
import { ApiError } from '../errors.js';
import type { Prisma, Setting } from '../generated/prisma/client.js';
import { settingDefinition, settingDefinitions, settingEnvironmentName } from '../settings/definitions.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

/** A setting as the API shows it: the effective value, its default and where it comes from. */
export interface SettingView {
  id: string;
  name: string;
  value: string;
  default: string;
  customized: boolean;
  /** Rancher's `source`: the installation's environment, the database, or the default. */
  source: 'env' | 'db' | 'default';
  readOnly: boolean;
  /** Declared by this server (every setting that is shipped), rather than left over in the database. */
  builtin: boolean;
  description: string;
}

/** The columns {@link SettingService.view} reads. */
export const settingViewColumns = { id: true, value: true } as const;
type SettingRow = { id: string; value: string };

/**
 * Settings are a fixed set (src/settings/definitions.ts): they are listed, read and
 * changed, never created or removed, as in Rancher. Their values live in the
 * database, so a change made through any instance reaches every instance: each reads
 * a setting at most every `lifetimeMs` (and at once after any instance's change, which
 * the change feed announces: src/auth/revocation.ts), so
 * no restart is needed and no request pays a query per setting. A setting the
 * installation fixes (`CATTLE_<NAME>` in the environment, or the server's own version)
 * wins over the database and cannot be changed through the API.
 */
export class SettingService extends ResourceStore<Setting, Prisma.SettingWhereInput, Prisma.SettingOrderByWithRelationInput> {
  private readonly cache = new Map<string, { value: string; at: number }>();

  constructor(
    prisma: PrismaClient,
    /** Values set through the environment, by setting name (see `settingsFromEnvironment` in src/config.ts). */
    private readonly fromEnvironment: Readonly<Record<string, string>> = {},
    /** How long a value read is trusted without hearing of a change: the backstop behind the change feed. */
    private readonly lifetimeMs = defaultCacheLifetimes.settings,
  ) {
    super(prisma, 'setting', 'setting');
  }

  /** Rows for every declared setting, so lists show them all; existing values are kept. */
  async seed(read: SqlRead): Promise<void> {
    // Most starts find them all (read as plain SQL: src/db/start-reads.ts).
    const missing = await unstored(read, 'Setting', settingDefinitions, (definition) => definition.name);
    // Another instance starting at the same time may create them first.
    if (missing.length > 0)
      await this.prisma.setting.createMany({ data: missing.map((definition) => ({ id: definition.name, value: '' })), skipDuplicates: true });
  }

  /**
   * The URL clients reach this server by, for addresses handed out in answers (kubeconfigs,
   * registration commands): the `server-url` setting, or `requestBaseUrl` (how this request
   * came) when it is empty; without a trailing slash.
   */
  async serverUrl(requestBaseUrl: string): Promise<string> {
    return ((await this.value('server-url')) || requestBaseUrl).replace(/\/+$/, '');
  }

  /** The effective value of a setting, for the code that obeys it. */
  async value(name: string): Promise<string> {
    const fresh = this.freshValue(name);
    if (fresh !== undefined) return fresh;
    const row = await this.prisma.setting.findUnique({ where: { id: name }, select: { value: true } });
    const value = row?.value || settingDefinition(name)?.default || '';
    this.cache.set(name, { value, at: Date.now() });
    return value;
  }

  /**
   * The effective value when it is known without a read (fixed by the installation, or
   * cached and fresh), undefined otherwise: for a path that runs on every request and
   * should not wait on a promise for what it nearly always has (the rate limit, the proxy).
   */
  freshValue(name: string): string | undefined {
    const fixed = this.fromEnvironment[name];
    if (fixed !== undefined) return fixed;
    const cached = this.cache.get(name);
    return cached && Date.now() - cached.at < this.lifetimeMs ? cached.value : undefined;
  }

  /** Forgets a cached value (it changed, here or on another instance), or all of them. */
  forget(name?: string): void {
    if (name === undefined) this.cache.clear();
    else this.cache.delete(name);
  }

  async numberValue(name: string): Promise<number> {
    return Number(await this.value(name));
  }

  /**
   * A number setting as it is now when known without a read ({@link freshValue}), or the
   * read: for what runs on every request (the rate limit, the proxy's body cap), which then
   * waits on no promise for what it nearly always has.
   */
  currentNumber(name: string): number | Promise<number> {
    const fresh = this.freshValue(name);
    return fresh === undefined ? this.numberValue(name) : Number(fresh);
  }

  /**
   * Sets the value within `scope` (empty restores the default), with the labels and
   * annotations given; read-only settings and those the installation fixes refuse.
   */
  async update(id: string, { value, ...metadata }: { value: string } & MetadataInput, query: PrismaQuery = {}, scope?: Prisma.SettingWhereInput) {
    const view = this.view(await this.get(id, { select: settingViewColumns }, scope));
    if (view.source === 'env') {
      const variable = settingDefinition(id)?.fromInstallation ? 'the installation' : `the environment variable ${settingEnvironmentName(id)}`;
      throw new ApiError('METHOD_NOT_ALLOWED', `setting ${JSON.stringify(id)} is read-only: its value comes from ${variable}`);
    }
    if (view.readOnly) throw new ApiError('METHOD_NOT_ALLOWED', `setting ${JSON.stringify(id)} is read-only`);
    if (value !== '') settingDefinition(id)?.validate?.(value);
    const row = await this.write(id, { value, ...metadataColumns(metadata) }, query);
    this.cache.delete(id);
    return row;
  }

  /** How the API presents a stored setting. */
  view(row: SettingRow): SettingView {
    const definition = settingDefinition(row.id);
    const fallback = definition?.default ?? '';
    const fixed = this.fromEnvironment[row.id] ?? (definition?.fromInstallation ? fallback : undefined);
    const source = fixed !== undefined ? 'env' : row.value ? 'db' : 'default';
    return {
      id: row.id,
      name: row.id,
      value: fixed ?? (row.value || fallback),
      default: fallback,
      customized: source === 'db' && row.value !== fallback,
      source,
      readOnly: source === 'env' || (definition?.readOnly ?? false),
      builtin: definition !== undefined,
      description: definition?.description ?? '',
    };
  }
}
