import { credentialProvider, credentialProviders, type CredentialProvider } from '../credentials/providers.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { ApiError, invalidInput } from '../errors.js';
import type { CloudCredential, Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { validateAllowListEntry } from '../proxy/allow-list.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

/** One provider's config as given: field name → value. */
export type ProviderConfig = Record<string, string | null | undefined>;

export interface CloudCredentialInput extends MetadataInput {
  name?: string | null;
  description?: string | null;
  allowedHosts?: string[] | null;
  /** `<provider>credentialConfig` → its fields; exactly one on create, at most the credential's own on update. */
  configs?: Record<string, ProviderConfig | null | undefined>;
}

/** Cloud credentials live in Rancher's global data namespace, and their ids say so. */
const idPrefix = 'cattle-global-data:';

/**
 * Cloud credentials: one provider config each, public fields in clear, secret
 * fields sealed with the server's secret box (the row id and field name are the
 * authenticated context, so a sealed value cannot be moved to another row). Only
 * the meta proxy's signers read the secrets back, through `fieldsForSigning`.
 */
export class CloudCredentialService extends ResourceStore<CloudCredential, Prisma.CloudCredentialWhereInput, Prisma.CloudCredentialOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly secrets: SecretBox,
  ) {
    super(prisma, 'cloudCredential', 'cloudCredential');
  }

  async create(input: CloudCredentialInput & { name: string }, ownerId: string, query: PrismaQuery = {}) {
    const given = Object.entries(input.configs ?? {}).filter(([, config]) => config);
    if (given.length !== 1)
      throw invalidInput('credentialConfig', 'give exactly one <provider>credentialConfig', given.length ? 'InvalidFormat' : 'MissingRequired');
    const [configName, config] = given[0]!;
    const provider = providerOfConfig(configName);
    for (const field of provider.fields) {
      if (field.required && !config?.[field.name])
        throw invalidInput(`${configName}.${field.name}`, `${configName}.${field.name} is required`, 'MissingRequired');
    }
    const values = withDefaults(provider, config!);
    const allowedHosts = input.allowedHosts ?? provider.defaultAllowedHosts(values);
    checkHosts(allowedHosts);
    return withFreshId(
      () => `${idPrefix}${newId('cc')}`,
      (id) =>
        this.prisma.cloudCredential.create({
          ...query,
          data: {
            id,
            name: input.name,
            description: input.description ?? '',
            ...metadataColumns(input),
            provider: provider.name,
            ownerId,
            allowedHosts,
            ...this.split(id, provider, values, {}),
          },
        }),
    );
  }

  /** Changes the credential within `scope`: one read (its provider and stored fields), then the write. */
  async update(id: string, input: CloudCredentialInput, query: PrismaQuery = {}, scope?: Prisma.CloudCredentialWhereInput) {
    const current = await this.get(id, { select: { provider: true, publicFields: true, sealedFields: true } }, scope);
    const provider = credentialProvider(current.provider)!;
    const given = Object.entries(input.configs ?? {}).filter(([, config]) => config);
    if (given.some(([name]) => name !== configNameOf(provider)))
      throw invalidInput(given[0]![0], `this credential is a ${configNameOf(provider)}; its provider cannot change`);
    const changes = given[0]?.[1] ?? {};
    if (input.allowedHosts) checkHosts(input.allowedHosts);
    const publicFields = { ...(current.publicFields as Record<string, string>) };
    const fields = this.split(id, provider, changes, current.sealedFields as Record<string, string>, publicFields);
    return this.write(
      id,
      {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.allowedHosts ? { allowedHosts: input.allowedHosts } : {}),
        ...metadataColumns(input),
        ...fields,
      },
      query,
    );
  }

  /** Deletes the credential within `scope`, unless a cluster uses it (asked only once the caller may see it). */
  override async delete(id: string, query: PrismaQuery = {}, scope?: Prisma.CloudCredentialWhereInput) {
    await this.get(id, { select: { id: true } }, scope);
    if (await this.inUse(id))
      throw new ApiError('METHOD_NOT_ALLOWED', 'the credential is used by a cluster, a machine pool or a node template; remove it from them first');
    return super.delete(id, query);
  }

  /** Whether a cluster names it, as its default or in a machine pool, or a node template does. */
  async inUse(id: string): Promise<boolean> {
    const byDefault = await this.prisma.cluster.count({ where: { cloudCredentialId: id } });
    if (byDefault > 0) return true;
    const byPool = await this.prisma.cluster.count({ where: { machinePools: { array_contains: [{ cloudCredentialId: id }] } } });
    if (byPool > 0) return true;
    return (await this.prisma.nodeTemplate.count({ where: { cloudCredentialId: id } })) > 0;
  }

  /**
   * Every field, secrets unsealed, and the hosts they may go to: for the proxy's signers
   * only. With `mayUse`, a credential whose owner it refuses is treated as missing, so
   * secrets the caller may not use are never even decrypted.
   */
  async fieldsForSigning(
    id: string,
    mayUse: (ownerId: string) => boolean = () => true,
  ): Promise<{ ownerId: string; fields: Record<string, string>; allowedHosts: string[] } | undefined> {
    const credential = await this.prisma.cloudCredential.findUnique({ where: { id } });
    if (!credential || !mayUse(credential.ownerId)) return undefined;
    const sealed = credential.sealedFields as Record<string, string>;
    const fields = { ...(credential.publicFields as Record<string, string>) };
    for (const [name, value] of Object.entries(sealed)) fields[name] = this.secrets.decrypt(value, `${id}:${name}`);
    return { ownerId: credential.ownerId, fields, allowedHosts: credential.allowedHosts };
  }

  /**
   * Splits a config into its public fields (clear) and secret fields (sealed),
   * merging onto what is stored: a secret that is not given keeps its old value.
   */
  private split(id: string, provider: CredentialProvider, config: ProviderConfig, sealed: Record<string, string>, publicFields: Record<string, string> = {}) {
    const nextSealed = { ...sealed };
    for (const field of provider.fields) {
      const value = config[field.name];
      if (value === undefined || value === null) continue;
      if (field.secret) nextSealed[field.name] = this.secrets.encrypt(value, `${id}:${field.name}`);
      else publicFields[field.name] = value;
    }
    return { publicFields, sealedFields: nextSealed };
  }
}

/** `amazonec2credentialConfig` → the amazonec2 provider. */
export function configNameOf(provider: CredentialProvider): string {
  return `${provider.name}credentialConfig`;
}

function providerOfConfig(configName: string): CredentialProvider {
  const provider = credentialProviders.find((candidate) => configNameOf(candidate) === configName);
  if (!provider) throw invalidInput(configName, `unknown credential config ${configName}`);
  return provider;
}

function withDefaults(provider: CredentialProvider, config: ProviderConfig): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of provider.fields) {
    const value = config[field.name] ?? field.default;
    if (value !== undefined && value !== null) values[field.name] = value;
  }
  return values;
}

function checkHosts(hosts: readonly string[]): void {
  for (const host of hosts) validateAllowListEntry(host, 'allowedHosts');
}
