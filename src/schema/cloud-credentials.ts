import { z } from 'zod';
import { requireUnscopedKey, visibleCloudCredentials } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { credentialProviders, type CredentialProvider } from '../credentials/providers.js';
import { orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { configNameOf, type CloudCredentialInput, type ProviderConfig } from '../services/cloud-credentials.js';
import { builder, type BuilderTypes } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions, enumFilter } from './list-options.js';
import { description, displayName } from './validators.js';

/**
 * Cloud credentials in Rancher's shape: one `<provider>credentialConfig` object per
 * provider, generated from the declarations in src/credentials/providers.ts. Secret
 * fields exist only in the input objects (write-only, so /v3 shows them as
 * `password`); the output objects carry the public fields and, per secret, whether
 * one is stored (`<secret>Set`).
 */

const CloudCredentialProvider = builder.enumType('CloudCredentialProvider', {
  description: 'The cloud or API a credential is for.',
  values: credentialProviders.map((provider) => provider.name),
});

/** What a config object is built from: the stored row's public fields and sealed field names. */
interface StoredConfig {
  publicFields: Record<string, string>;
  sealedFields: Record<string, string>;
}

const fieldValue = z.string().max(64 * 1024);

/** `amazonec2credentialConfig` → `Amazonec2credentialConfig`: /v3 lower-cases the first letter back. */
const typeNameOf = (provider: CredentialProvider) => configNameOf(provider).replace(/^./, (letter) => letter.toUpperCase());

const fieldDescription = (field: CredentialProvider['fields'][number]) =>
  [field.description, field.required ? 'Required when creating.' : undefined, field.default ? `Default: ${field.default}.` : undefined].filter(Boolean).join(' ') || undefined;

const configOutputs = credentialProviders.map((provider) => ({
  provider,
  ref: builder.objectRef<StoredConfig>(typeNameOf(provider)).implement({
    description: `${provider.displayName} credential: its public fields; secret fields are write-only.`,
    fields: (t) =>
      Object.fromEntries(
        provider.fields.map((field) =>
          field.secret
            ? [`${field.name}Set`, t.boolean({ description: `Whether ${field.name} is stored (its value is never returned).`, resolve: (config) => field.name in config.sealedFields })]
            : [field.name, t.string({ nullable: true, description: fieldDescription(field), resolve: (config) => config.publicFields[field.name] ?? null })],
        ),
      ),
  }),
}));

const configInputs = credentialProviders.map((provider) => ({
  provider,
  ref: builder.inputType(`${typeNameOf(provider)}Input`, {
    description: `${provider.displayName} credential fields. On update, fields left out keep their stored values.`,
    fields: (t) => Object.fromEntries(provider.fields.map((field) => [field.name, t.string({ description: fieldDescription(field), validate: fieldValue })])),
  }),
}));

const CloudCredentialNode = builder.prismaNode('CloudCredential', {
  id: { field: 'id' },
  // `node(id:)` must not reveal other people's credentials either.
  findUnique: (id, context) => ({ id, AND: [visibleCloudCredentials(context.principal)] }) as Prisma.CloudCredentialWhereUniqueInput,
  description: 'Credentials for a cloud API, used to provision machines and signed into meta proxy requests by its owner. Secrets are write-only.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    provider: t.field({ type: CloudCredentialProvider, resolve: (credential) => credential.provider }),
    allowedHosts: t.exposeStringList('allowedHosts', { description: 'Host patterns the meta proxy may sign this credential for.' }),
    ownerId: t.exposeID('ownerId'),
    created: t.expose('createdAt', { type: 'DateTime' }),
    ...Object.fromEntries(
      configOutputs.map(({ provider, ref }) => [
        configNameOf(provider),
        t.field({
          type: ref,
          nullable: true,
          description: `Set when provider is ${provider.name}.`,
          select: { provider: true, publicFields: true, sealedFields: true },
          resolve: (credential) =>
            credential.provider === provider.name
              ? { publicFields: credential.publicFields as Record<string, string>, sealedFields: credential.sealedFields as Record<string, string> }
              : null,
        }),
      ]),
    ),
  }),
});

const cloudCredentialList = defineListOptions<Prisma.CloudCredentialWhereInput, Prisma.CloudCredentialOrderByWithRelationInput>('CloudCredential', {
  id: { filter: StringFilter },
  name: { filter: StringFilter },
  description: { filter: StringFilter },
  provider: { filter: enumFilter(CloudCredentialProvider, 'CloudCredentialProvider') },
  ownerId: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const allowedHosts = z.array(z.string().min(1).max(253)).max(50);

const commonInputFields = {
  description: { validate: description },
  allowedHosts: { description: 'Host patterns (allow-list syntax) the proxy may sign for; the provider’s API hosts when absent.', validate: allowedHosts },
} as const;

const CreateCloudCredentialInput = builder.inputType('CreateCloudCredentialInput', {
  description: 'Exactly one <provider>credentialConfig.',
  fields: (t) => ({
    name: t.string({ required: true, validate: displayName }),
    description: t.string(commonInputFields.description),
    allowedHosts: t.stringList(commonInputFields.allowedHosts),
    ...configInputFields(t),
  }),
});

const UpdateCloudCredentialInput = builder.inputType('UpdateCloudCredentialInput', {
  description: 'The provider cannot change: only its own <provider>credentialConfig may be given, with the fields to change.',
  fields: (t) => ({
    name: t.string({ validate: displayName }),
    description: t.string(commonInputFields.description),
    allowedHosts: t.stringList(commonInputFields.allowedHosts),
    ...configInputFields(t),
  }),
});

function configInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return Object.fromEntries(configInputs.map(({ provider, ref }) => [configNameOf(provider), t.field({ type: ref })]));
}

/** The GraphQL input as the service takes it: the config objects gathered under `configs`. */
function serviceInput(input: Record<string, unknown>): CloudCredentialInput {
  const { name, description, allowedHosts, ...configs } = input as { name?: string | null; description?: string | null; allowedHosts?: string[] | null } & Record<string, ProviderConfig | null>;
  return { name: name ?? null, description: description ?? null, allowedHosts: allowedHosts ?? null, configs };
}

/** NOT_FOUND for a credential the caller may not see, exactly as for one that does not exist. */
async function visible(context: Context, id: string): Promise<void> {
  requireUnscopedKey(context);
  await orNotFound(context.prisma.cloudCredential.findFirst({ where: { AND: [{ id }, visibleCloudCredentials(context.principal)] }, select: { id: true } }), 'cloudCredential', id);
}

builder.queryFields((t) => ({
  cloudCredential: t.prismaField({
    type: 'CloudCredential',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await visible(context, id);
      return context.services.cloudCredentials.get(id, query);
    },
  }),
  cloudCredentials: t.connection(
    {
      type: CloudCredentialNode,
      args: { filter: t.arg({ type: cloudCredentialList.Filter }), sort: t.arg({ type: cloudCredentialList.Sort }) },
      resolve: (_root, args, context, info) => {
        requireUnscopedKey(context);
        return cloudCredentialList.page({ args, context, info, scope: visibleCloudCredentials(context.principal) }, context.services.cloudCredentials);
      },
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createCloudCredential: t.prismaField({
    type: 'CloudCredential',
    description: 'Stores a credential owned by the caller; secret fields are sealed and never returned.',
    args: { input: t.arg({ type: CreateCloudCredentialInput, required: true }) },
    resolve: (query, _root, { input }, context) => {
      requireUnscopedKey(context);
      return context.services.cloudCredentials.create({ ...serviceInput(input), name: input.name }, context.principal!.userId, query);
    },
  }),
  updateCloudCredential: t.prismaField({
    type: 'CloudCredential',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateCloudCredentialInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      await visible(context, id);
      return context.services.cloudCredentials.update(id, serviceInput(input), query);
    },
  }),
  deleteCloudCredential: t.prismaField({
    type: 'CloudCredential',
    description: 'Refused while a cluster or machine pool uses the credential.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await visible(context, id);
      return context.services.cloudCredentials.delete(id, query);
    },
  }),
}));
