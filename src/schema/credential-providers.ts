import { credentialProviders, type CredentialField, type CredentialProvider } from '../credentials/providers.js';
import { configNameOf } from '../services/cloud-credentials.js';
import { builder } from './builder.js';

/**
 * The provider declarations of src/credentials/providers.ts, readable by clients: a
 * console builds its "add credential" form per provider from this (which fields, which
 * are secret and so write-only, which are required) instead of copying the list.
 */
export const CloudCredentialProvider = builder.enumType('CloudCredentialProvider', {
  description: 'The cloud or API a credential is for.',
  values: Object.fromEntries(
    credentialProviders.map((provider) => [provider.name, { description: `${provider.displayName}: its fields are in \`${configNameOf(provider)}\`.` }]),
  ),
});

const CredentialFieldRef = builder.objectRef<CredentialField>('CloudCredentialProviderField').implement({
  description: 'One field of a provider’s <provider>credentialConfig.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The field’s name in the config object, as Rancher names it (`accessKey`).' }),
    secret: t.exposeBoolean('secret', { description: 'Write-only: stored sealed, never returned (the output shows <name>Set instead).' }),
    required: t.exposeBoolean('required', { description: 'Required when creating.' }),
    default: t.exposeString('default', { nullable: true, description: 'The value used when none is given; null when there is none.' }),
    description: t.exposeString('description', { description: 'What the field holds.' }),
  }),
});

const CredentialProviderRef = builder.objectRef<CredentialProvider>('CloudCredentialProviderDescription').implement({
  description: 'A cloud or API cloud credentials can be made for, and the fields it takes.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The provider’s name as Rancher writes it (`amazonec2`): the prefix of its config field.' }),
    provider: t.field({
      type: CloudCredentialProvider,
      description: 'The provider as a `CloudCredential.provider` value (`AMAZONEC2`), to match credentials against it.',
      resolve: (provider) => provider.name,
    }),
    displayName: t.exposeString('displayName', { description: 'The provider’s name as people read it (`Amazon EC2`).' }),
    configField: t.string({
      description: 'The input field that carries its fields, e.g. amazonec2credentialConfig.',
      resolve: (provider) => configNameOf(provider),
    }),
    fields: t.field({
      type: [CredentialFieldRef],
      description: 'The fields of its config object, in form order.',
      resolve: (provider) => [...provider.fields],
    }),
  }),
});

builder.queryField('cloudCredentialProviders', (t) =>
  t.field({
    type: [CredentialProviderRef],
    description: 'The providers cloud credentials can be made for, with their fields.',
    resolve: () => [...credentialProviders],
  }),
);
