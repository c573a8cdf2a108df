import { z } from 'zod';
import { nodeTemplatePolicy } from '../../auth/policies/node-template.js';
import { driverConfigs, type DriverConfig, type DriverConfigField } from '../../drivers/configs.js';
import { defaultEngineInstallUrl, fieldOf, type DriverConfigValues, type NodeTemplateInput } from '../../services/node-templates.js';
import { builder, type BuilderTypes } from '../builder.js';
import { checkCredentialReferences } from '../credential-references.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { clearableReference } from '../../services/input.js';
import { description, displayName } from '../validators.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';
import { defineResource } from './define-resource.js';
import { cloudCredentialField, ownerField } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';

/**
 * Node templates in Rancher's shape: one `<driver>Config` object per built-in driver,
 * generated from src/drivers/configs.ts (so /v3 lists `amazonec2config`, …). Secret
 * config fields exist only in the input objects (write-only, /v3 `password`).
 */

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** `amazonec2` → `Amazonec2config`, which /v3 shows as `amazonec2config`, Rancher's schema id. */
const typeNameOf = (config: DriverConfig) => `${config.driver[0]!.toUpperCase()}${config.driver.slice(1)}config`;

const fieldDescription = (field: DriverConfigField) => (field.default === undefined ? field.description : `${field.description} Default: ${field.default}.`);

const configValue = z.string().max(64 * 1024);
const configList = z.array(configValue).max(100);

const configOutputs = driverConfigs.map((config) => ({
  config,
  ref: builder.objectRef<Record<string, unknown>>(typeNameOf(config)).implement({
    description: `The ${config.driver} node driver’s machine settings; secret fields are write-only.`,
    fields: (t) =>
      Object.fromEntries(
        config.fields
          .filter((field) => !field.secret)
          .map((field) => {
            const options = { nullable: true, description: fieldDescription(field) } as const;
            if (field.type === 'boolean')
              return [field.name, t.boolean({ ...options, resolve: (values) => (values[field.name] as boolean | undefined) ?? null })];
            if (field.type === 'stringList')
              return [field.name, t.stringList({ ...options, resolve: (values) => (values[field.name] as string[] | undefined) ?? null })];
            return [field.name, t.string({ ...options, resolve: (values) => (values[field.name] as string | undefined) ?? null })];
          }),
      ),
  }),
}));

const configInputs = driverConfigs.map((config) => ({
  config,
  ref: builder.inputType(`${typeNameOf(config)}Input`, {
    description: `The ${config.driver} node driver’s machine settings. On update, fields left out keep their stored values.`,
    fields: (t) =>
      Object.fromEntries(
        config.fields.map((field) => {
          const options = { description: fieldDescription(field) };
          if (field.type === 'boolean') return [field.name, t.boolean(options)];
          if (field.type === 'stringList') return [field.name, t.stringList({ ...options, validate: configList })];
          return [field.name, t.string({ ...options, validate: configValue })];
        }),
      ),
  }),
}));

/** How docker-machine installs and runs the engine on the nodes (Rancher's engine* fields). */
const engineFields = [
  { name: 'engineInstallURL', type: 'string', description: `The script that installs the container engine. Default: ${defaultEngineInstallUrl}.` },
  { name: 'engineInsecureRegistry', type: 'stringList', description: 'Registries the engine may reach without TLS.' },
  { name: 'engineRegistryMirror', type: 'stringList', description: 'Registry mirrors for the engine.' },
  { name: 'engineLabel', type: 'map', description: 'Labels of the engine.' },
  { name: 'engineEnv', type: 'map', description: 'Environment of the engine.' },
  { name: 'engineOpt', type: 'map', description: 'Options of the engine daemon.' },
  { name: 'engineStorageDriver', type: 'string', description: 'The engine’s storage driver.' },
] as const;

const commonInput = (t: InputFieldBuilder) => ({
  description: t.string({ description: fieldDocs.description, validate: description }),
  cloudCredentialId: t.id({
    validate: clearableReference,
    description: 'A cloud credential of the caller’s for the driver’s API, instead of keys in the config. A blank one in an input clears it.',
  }),
  useInternalIpAddress: t.boolean({ description: 'Nodes register with their internal address.' }),
  ...metadataInputFields(t, { labels: 'Labels given to the nodes made from it.', annotations: fieldDocs.annotations }),
  ...Object.fromEntries(
    engineFields.map((field) => {
      const options = { description: field.description };
      if (field.type === 'stringList') return [field.name, t.stringList({ ...options, validate: configList })];
      if (field.type === 'map') return [field.name, t.field({ type: 'StringMap', ...options })];
      return [field.name, t.string({ ...options, validate: configValue })];
    }),
  ),
  ...Object.fromEntries(configInputs.map(({ config, ref }) => [fieldOf(config), t.field({ type: ref, description: `Set for a ${config.driver} template.` })])),
});

const CreateNodeTemplateInput = builder.inputType('CreateNodeTemplateInput', {
  description: 'Exactly one <driver>Config, of an active node driver; it decides the driver.',
  fields: (t) => ({ name: t.string({ required: true, description: fieldDocs.displayName, validate: displayName }), ...commonInput(t) }),
});

const UpdateNodeTemplateInput = builder.inputType('UpdateNodeTemplateInput', {
  description: 'The driver cannot change: only its own <driver>Config may be given, with the fields to change.',
  fields: (t) => ({ name: t.string({ description: fieldDocs.displayName, validate: displayName }), ...commonInput(t) }),
});

defineResource('NodeTemplate', {
  description:
    'A node driver’s machine settings, from which node pools make nodes. Seen and changed by its owner (and admins); secret settings are write-only.',
  policy: nodeTemplatePolicy,
  rowPermissions: false,
  fields: (t) => ({
    name: t.exposeString('name', { description: fieldDocs.displayName }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    driver: t.exposeString('driver', { description: 'The node driver whose machines it describes.' }),
    state: t.string({
      description: 'active, or inactive while its node driver is deactivated: then no node pool may be made from it.',
      select: { nodeDriver: { select: { active: true } } },
      resolve: (template) => (template.nodeDriver.active ? 'active' : 'inactive'),
    }),
    cloudCredentialId: t.exposeID('cloudCredentialId', {
      description: 'The id of the cloud credential used for the driver’s API instead of keys in the config (Rancher’s `cloudCredentialId`); null when none.',
      nullable: true,
    }),
    cloudCredential: cloudCredentialField(t),
    useInternalIpAddress: t.exposeBoolean('useInternalIpAddress', {
      description: 'Nodes made from it register with their internal address (Rancher’s `useInternalIpAddress`).',
    }),
    ...metadataFields(t),
    ...Object.fromEntries(
      engineFields.map((field) => {
        const options = { description: field.description, nullable: true, select: { engineOptions: true } } as const;
        const value = (template: { engineOptions: unknown }) => (template.engineOptions as Record<string, never>)[field.name] ?? null;
        if (field.type === 'stringList') return [field.name, t.stringList({ ...options, resolve: value })];
        if (field.type === 'map') return [field.name, t.field({ ...options, type: 'StringMap', resolve: value })];
        return [field.name, t.string({ ...options, resolve: value })];
      }),
    ),
    ownerId: t.exposeID('ownerId', { description: 'Who made it (Rancher’s creatorId): only they and admins see it.' }),
    owner: ownerField(t),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
    ...Object.fromEntries(
      configOutputs.map(({ config, ref }) => [
        fieldOf(config),
        t.field({
          type: ref,
          nullable: true,
          description: `Set when driver is ${config.driver}.`,
          select: { driver: true, config: true },
          resolve: (template) => (template.driver === config.driver ? (template.config as Record<string, unknown>) : null),
        }),
      ]),
    ),
  }),
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    driver: { filter: StringFilter },
    cloudCredentialId: { filter: StringFilter, nullable: true },
    ownerId: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateNodeTemplateInput,
    description: 'Stores a template owned by the caller; refused for a node driver that is not active.',
    run: async (context, input, query) => {
      await checkCredentialReferences(context, credentialOf(input));
      return context.services.nodeTemplates.create({ ...serviceInput(input), name: input.name as string }, context.principal!.userId, query);
    },
  },
  update: {
    input: UpdateNodeTemplateInput,
    verb: 'update',
    run: async (context, { id, input, query, scope }) => {
      await checkCredentialReferences(context, credentialOf(input));
      return context.services.nodeTemplates.update(id, serviceInput(input), query, scope);
    },
  },
  remove: { verb: 'delete', description: 'Refused while a node pool uses the template.' },
});

function credentialOf(input: { cloudCredentialId?: string | null }) {
  return input.cloudCredentialId ? [{ fieldName: 'cloudCredentialId', id: input.cloudCredentialId }] : [];
}

/** The GraphQL input as the service takes it: engine options and driver configs gathered apart. */
function serviceInput(input: Record<string, unknown>): NodeTemplateInput {
  const engineOptions = Object.fromEntries(engineFields.map((field) => [field.name, input[field.name]]).filter(([, value]) => value != null));
  const configs = Object.fromEntries(driverConfigs.map((config) => [fieldOf(config), input[fieldOf(config)] as DriverConfigValues | null | undefined]));
  return {
    name: input.name as string | null | undefined,
    description: input.description as string | null | undefined,
    cloudCredentialId: input.cloudCredentialId as string | null | undefined,
    useInternalIpAddress: input.useInternalIpAddress as boolean | null | undefined,
    labels: input.labels as Record<string, string> | null | undefined,
    annotations: input.annotations as Record<string, string> | null | undefined,
    engineOptions,
    configs,
  };
}
