import type { PrismaClient } from '../db/database.js';
import { ApiError, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { settingDefinition, settingDefinitions } from '../settings/definitions.js';

/** A setting as the API shows it: the effective value, its default and where it comes from. */
export interface SettingView {
  id: string;
  name: string;
  value: string;
  default: string;
  customized: boolean;
  source: 'default' | 'db';
  readOnly: boolean;
  /** Declared by this server, rather than added by an admin. */
  builtin: boolean;
  description: string;
  createdAt: Date;
}

type SettingRow = { id: string; value: string; createdAt: Date };
type SettingQuery = { select?: Prisma.SettingSelect };

/**
 * Settings live in the database, so a change made through any instance reaches every
 * instance: each reads a setting at most every {@link cacheMs} ms (and at once after
 * its own changes), so no restart is needed and no request pays a query per setting.
 */
export class SettingService {
  private readonly cache = new Map<string, { value: string; at: number }>();
  static readonly cacheMs = 2_000;

  constructor(private readonly prisma: PrismaClient) {}

  /** Rows for every declared setting, so lists show them all; existing values are kept. */
  async seed(): Promise<void> {
    await this.prisma.setting.createMany({ data: settingDefinitions.map((definition) => ({ id: definition.name, value: '' })), skipDuplicates: true });
  }

  /** The effective value of a setting, for the code that obeys it. */
  async value(name: string): Promise<string> {
    const cached = this.cache.get(name);
    if (cached && Date.now() - cached.at < SettingService.cacheMs) return cached.value;
    const row = await this.prisma.setting.findUnique({ where: { id: name }, select: { value: true } });
    const value = row?.value || settingDefinition(name)?.default || '';
    this.cache.set(name, { value, at: Date.now() });
    return value;
  }

  /** Forgets a cached value (it changed, here or on another instance), or all of them. */
  forget(name?: string): void {
    if (name === undefined) this.cache.clear();
    else this.cache.delete(name);
  }

  async numberValue(name: string): Promise<number> {
    return Number(await this.value(name));
  }

  async get(id: string, query: SettingQuery = {}) {
    return orNotFound(this.prisma.setting.findUnique({ ...query, where: { id } }), 'setting', id);
  }

  list(query: SettingQuery, where: Prisma.SettingWhereInput, orderBy: Prisma.SettingOrderByWithRelationInput[], take: number) {
    return this.prisma.setting.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.SettingWhereInput) {
    return this.prisma.setting.count({ where });
  }

  /** Admins may add settings of their own; a name that exists is a conflict. */
  async create(name: string, value: string) {
    if (settingDefinition(name) || (await this.prisma.setting.findUnique({ where: { id: name }, select: { id: true } }))) {
      throw new ApiError('CONFLICT', `setting ${JSON.stringify(name)} already exists`, { fieldName: 'name', reason: 'AlreadyExists' });
    }
    return this.prisma.setting.create({ data: { id: name, value } });
  }

  /** Sets the value (empty restores the default); read-only settings refuse. */
  async update(id: string, value: string) {
    await this.get(id, { select: { id: true } });
    const definition = settingDefinition(id);
    if (definition?.readOnly) throw new ApiError('METHOD_NOT_ALLOWED', `setting ${JSON.stringify(id)} is read-only`);
    if (value !== '') definition?.validate?.(value);
    const row = await this.prisma.setting.update({ where: { id }, data: { value } });
    this.cache.delete(id);
    return row;
  }

  /** Only settings admins added can go; declared ones are reset by setting an empty value. */
  async delete(id: string) {
    const current = await this.get(id);
    if (settingView(current).readOnly) throw new ApiError('METHOD_NOT_ALLOWED', `setting ${JSON.stringify(id)} is read-only`);
    if (settingDefinition(id)) throw new ApiError('METHOD_NOT_ALLOWED', `setting ${JSON.stringify(id)} is built in; set its value to "" to restore the default`);
    await this.prisma.setting.delete({ where: { id } });
    this.cache.delete(id);
    return current;
  }
}

/** How the API presents a stored setting. */
export function settingView(row: SettingRow): SettingView {
  const definition = settingDefinition(row.id);
  const fallback = definition?.default ?? '';
  return {
    id: row.id,
    name: row.id,
    value: row.value || fallback,
    default: fallback,
    customized: row.value !== '' && row.value !== fallback,
    source: row.value ? 'db' : 'default',
    readOnly: definition?.readOnly ?? false,
    builtin: definition !== undefined,
    description: definition?.description ?? '',
    createdAt: row.createdAt,
  };
}
