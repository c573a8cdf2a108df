import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { driverConfig, driverConfigs, type DriverConfig } from '../drivers/configs.js';
import { ApiError, invalidInput } from '../errors.js';
import type { NodeTemplate, Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { changedColumns, definedFields, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

/** One driver config as given: field → text, switch or list. */
export type DriverConfigValues = Record<string, string | boolean | string[] | null | undefined>;

export interface NodeTemplateInput extends MetadataInput {
  name?: string | null;
  description?: string | null;
  /** Blank clears it (see `clearableReference`); null leaves it. */
  cloudCredentialId?: string | null;
  useInternalIpAddress?: boolean | null;
  /** engineInstallURL, engineInsecureRegistry, engineRegistryMirror, engineLabel, engineEnv, engineOpt, engineStorageDriver. */
  engineOptions?: Record<string, unknown>;
  /** `<driver>Config` → its fields: exactly one on create, at most the template's own on update. */
  configs?: Record<string, DriverConfigValues | null | undefined>;
}

/** Rancher's default engine install script. */
export const defaultEngineInstallUrl = 'https://releases.rancher.com/install-docker/20.10.sh';

/** Rancher keeps node templates in its global namespace for them, and their ids say so. */
const idPrefix = 'cattle-global-nt:';

/**
 * Node templates: one driver config each, its public fields in clear and its secret
 * ones sealed (the row id and field name are the authenticated context). Only active
 * drivers with declared configs (src/drivers/configs.ts) take new templates.
 */
export class NodeTemplateService extends ResourceStore<NodeTemplate, Prisma.NodeTemplateWhereInput, Prisma.NodeTemplateOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly secrets: SecretBox,
  ) {
    super(prisma, 'nodeTemplate', 'nodeTemplate');
  }

  async create(input: NodeTemplateInput & { name: string }, ownerId: string, query: PrismaQuery = {}) {
    const given = Object.entries(input.configs ?? {}).filter(([, config]) => config);
    if (given.length !== 1) throw invalidInput('driverConfig', 'give exactly one <driver>Config', given.length ? 'InvalidFormat' : 'MissingRequired');
    const [configName, values] = given[0]!;
    const config = configOfField(configName);
    await this.requireActiveDriver(config.driver, configName);
    return withFreshId(
      () => `${idPrefix}${newId('nt')}`,
      (id) =>
        this.prisma.nodeTemplate.create({
          ...query,
          data: {
            id,
            name: input.name,
            driver: config.driver,
            ownerId,
            ...describedColumns(input),
            engineOptions: { engineInstallURL: defaultEngineInstallUrl, ...input.engineOptions } as Prisma.InputJsonObject,
            ...this.split(id, config, { ...defaultsOf(config), ...definedFields(values!) }, {}, {}),
          },
        }),
    );
  }

  /** Changes a template within `scope`: one read (its driver and stored config), then the write. */
  async update(id: string, input: NodeTemplateInput, query: PrismaQuery = {}, scope?: Prisma.NodeTemplateWhereInput) {
    const current = await this.get(id, { select: { driver: true, config: true, sealedConfig: true, engineOptions: true } }, scope);
    const config = driverConfig(current.driver)!;
    // A config without values changes nothing: a replacing PUT on /v3 sends every driver's so.
    const given = Object.entries(input.configs ?? {}).filter(([, values]) => values && Object.values(values).some((value) => value != null));
    if (given.some(([name]) => name !== fieldOf(config))) throw invalidInput(given[0]![0], `this template is a ${fieldOf(config)}; its driver cannot change`);
    const changes = given[0]?.[1] ?? {};
    const engineOptions = { ...(current.engineOptions as object), ...definedFields(input.engineOptions ?? {}) };
    return this.write(
      id,
      {
        ...describedColumns(input),
        engineOptions,
        ...this.split(id, config, definedFields(changes), current.config as Record<string, unknown>, current.sealedConfig as Record<string, string>),
      },
      query,
    );
  }

  /** Deletes a template within `scope`, unless a node pool uses it (asked only once the caller may see it). */
  override async delete(id: string, query: PrismaQuery = {}, scope?: Prisma.NodeTemplateWhereInput) {
    await this.get(id, { select: { id: true } }, scope);
    if ((await this.prisma.nodePool.count({ where: { nodeTemplateId: id } })) > 0) {
      throw new ApiError('METHOD_NOT_ALLOWED', 'the node template is used by a node pool; remove the pool or give it another template first');
    }
    return super.delete(id, query);
  }

  /** A deactivated driver's templates are kept but offered to nothing new: neither new templates nor new pools. */
  async requireActiveDriver(driver: string, fieldName: string): Promise<void> {
    const found = await this.prisma.nodeDriver.findUnique({ where: { name: driver }, select: { active: true } });
    if (!found?.active) {
      throw invalidInput(
        fieldName,
        `node driver ${JSON.stringify(driver)} is not active; an admin must activate it before it can make nodes`,
        'InvalidReference',
      );
    }
  }

  /** Splits config values into public fields (clear) and secret ones (sealed), merged onto what is stored. */
  private split(id: string, config: DriverConfig, values: DriverConfigValues, stored: Record<string, unknown>, sealed: Record<string, string>) {
    const publicFields: Record<string, unknown> = { ...stored };
    const sealedFields = { ...sealed };
    for (const field of config.fields) {
      const value = values[field.name];
      if (value === undefined || value === null) continue;
      if (field.secret) sealedFields[field.name] = this.secrets.encrypt(String(value), `nodeTemplate:${id}:${field.name}`);
      else publicFields[field.name] = value;
    }
    return { config: publicFields as Prisma.InputJsonObject, sealedConfig: sealedFields };
  }
}

/** `amazonec2` → `amazonec2Config`, the template's field (and input) for that driver. */
export function fieldOf(config: DriverConfig): string {
  return `${config.driver}Config`;
}

function configOfField(fieldName: string): DriverConfig {
  const config = driverConfigs.find((candidate) => fieldOf(candidate) === fieldName);
  if (!config) throw invalidInput(fieldName, `no node driver config is called ${fieldName}`);
  return config;
}

function defaultsOf(config: DriverConfig): DriverConfigValues {
  return Object.fromEntries(config.fields.filter((field) => field.default !== undefined).map((field) => [field.name, field.default]));
}

/** The template's describing columns an input writes; a blank cloud credential is none. */
function describedColumns(input: NodeTemplateInput) {
  const { name, description, cloudCredentialId, useInternalIpAddress, labels, annotations } = input;
  return changedColumns({ name, description, cloudCredentialId, useInternalIpAddress, labels, annotations }, ['cloudCredentialId']);
}
