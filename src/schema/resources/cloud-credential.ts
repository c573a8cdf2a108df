import { z } from 'zod';
import { cloudCredentialPolicy } from '../../auth/policies/cloud-credential.js';
import { credentialProviders, type CredentialProvider } from '../../credentials/providers.js';
import { configNameOf, type CloudCredentialInput, type ProviderConfig } from '../../services/cloud-credentials.js';
import type { MetadataInput } from '../../services/input.js';
import { builder, type BuilderTypes } from '../builder.js';
import { DateTimeFilter, StringFilter, enumFilter } from '../list-options.js';
import { CloudCredentialProvider } from '../credential-providers.js';
import { description, displayName } from '../validators.js';
import { defineResource } from './define-resource.js';
import { ownerField } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/**
 * Cloud credentials in Rancher's shape: one `<provider>credentialConfig` object per
 * provider, generated from the declarations in src/credentials/providers.ts. Secret
 * fields exist only in the input objects (write-only, so /v3 shows them as
 * `password`); the output objects carry the public fields and, per secret, whether
 * one is stored (`<secret>Set`).
 */

/** What a config object is built from: the stored row's public fields and sealed field names. */
interface StoredConfig {
  publicFields: Record<string, string>;
  sealedFields: Record<string, string>;
}

const fieldValue = z.string().max(64 * 1024);

/** `amazonec2credentialConfig` → `Amazonec2credentialConfig`: /v3 lower-cases the first letter back. */
const typeNameOf = (provider: CredentialProvider) => configNameOf(provider).replace(/^./, (letter) => letter.toUpperCase());

const fieldDescription = (field: CredentialProvider['fields'][number]) =>
  [field.description, field.required ? 'Required when creating.' : undefined, field.default ? `Default: ${field.default}.` : undefined]
    .filter(Boolean)
    .join(' ') || undefined;

const configOutputs = credentialProviders.map((provider) => ({
  provider,
  ref: builder.objectRef<StoredConfig>(typeNameOf(provider)).implement({
    description: `${provider.displayName} credential: its public fields; secret fields are write-only.`,
    fields: (t) =>
      Object.fromEntries(
        provider.fields.map((field) =>
          field.secret
            ? [
                `${field.name}Set`,
                t.boolean({
                  description: `Whether ${field.name} is stored (its value is never returned).`,
                  resolve: (config) => field.name in config.sealedFields,
                }),
              ]
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

const allowedHosts = z.array(z.string().min(1).max(253)).max(50);

const commonInputFields = {
  description: { description: fieldDocs.description, validate: description },
  allowedHosts: { description: 'Host patterns (allow-list syntax) the proxy may sign for; the provider’s API hosts when absent.', validate: allowedHosts },
} as const;

const CreateCloudCredentialInput = builder.inputType('CreateCloudCredentialInput', {
  description: 'Exactly one <provider>credentialConfig.',
  fields: (t) => ({
    name: t.string({ description: fieldDocs.displayName, required: true, validate: displayName }),
    description: t.string(commonInputFields.description),
    ...metadataInputFields(t),
    allowedHosts: t.stringList(commonInputFields.allowedHosts),
    ...configInputFields(t),
  }),
});

const UpdateCloudCredentialInput = builder.inputType('UpdateCloudCredentialInput', {
  description: 'The provider cannot change: only its own <provider>credentialConfig may be given, with the fields to change.',
  fields: (t) => ({
    name: t.string({ description: fieldDocs.displayName, validate: displayName }),
    description: t.string(commonInputFields.description),
    ...metadataInputFields(t),
    allowedHosts: t.stringList(commonInputFields.allowedHosts),
    ...configInputFields(t),
  }),
});

function configInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return Object.fromEntries(
    configInputs.map(({ provider, ref }) => [
      configNameOf(provider),
      t.field({
        type: ref,
        description: `The ${provider.displayName} fields (Rancher’s \`${configNameOf(provider)}\`); give exactly this one for a ${provider.name} credential.`,
      }),
    ]),
  );
}

/** The GraphQL input as the service takes it: the config objects gathered under `configs`. */
function serviceInput(input: Record<string, unknown>): CloudCredentialInput {
  const { name, description, allowedHosts, labels, annotations, ...configs } = input as {
    name?: string | null;
    description?: string | null;
    allowedHosts?: string[] | null;
  } & MetadataInput &
    Record<string, ProviderConfig | null>;
  return { name: name ?? null, description: description ?? null, allowedHosts: allowedHosts ?? null, labels, annotations, configs };
}

defineResource('CloudCredential', {
  description: 'Credentials for a cloud API, used to provision machines and signed into meta proxy requests by its owner. Secrets are write-only.',
  policy: cloudCredentialPolicy,
  rowPermissions: false,
  fields: (t) => ({
    name: t.exposeString('name', { description: fieldDocs.displayName }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    provider: t.field({
      type: CloudCredentialProvider,
      description: 'The cloud or API it is for, fixed at creation: the config object it was made with.',
      select: { provider: true },
      resolve: (credential) => credential.provider,
    }),
    allowedHosts: t.exposeStringList('allowedHosts', { description: 'Host patterns the meta proxy may sign this credential for.' }),
    ownerId: t.exposeID('ownerId', { description: 'The id of the user who owns it (Rancher’s `creatorId`): only they and admins see and use it.' }),
    owner: ownerField(t),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
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
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    provider: { filter: enumFilter(CloudCredentialProvider, 'CloudCredentialProvider') },
    ownerId: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateCloudCredentialInput,
    description: 'Stores a credential owned by the caller; secret fields are sealed and never returned.',
    run: (context, input, query) => context.services.cloudCredentials.create({ ...serviceInput(input), name: input.name }, context.principal!.userId, query),
  },
  update: {
    input: UpdateCloudCredentialInput,
    verb: 'update',
    run: (context, { id, input, query, scope }) => context.services.cloudCredentials.update(id, serviceInput(input), query, scope),
  },
  remove: { verb: 'delete', description: 'Refused while a cluster or machine pool uses the credential.' },
});
