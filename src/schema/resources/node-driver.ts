import { z } from 'zod';
import { nodeDriverPolicy } from '../../auth/policies/node-driver.js';
import { actsAsAdmin } from '../../auth/principal.js';
import { nodeDriverActions } from '../../services/node-drivers.js';
import { builder, type BuilderTypes } from '../builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter } from '../list-options.js';
import { description, displayName, kubernetesName } from '../validators.js';
import { defineResource } from './define-resource.js';
import { creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  url: 'Where the docker-machine driver binary is downloaded from (Rancher’s `url`): an http(s) URL, at most 2048 characters; `local://` for built-in drivers.',
  active:
    'It may be used for node templates, and its domains are open to the meta proxy (Rancher’s `active`); change it with activateNodeDriver and deactivateNodeDriver, or on update.',
  displayName: 'The name shown to people (Rancher’s `displayName`): 1–253 characters.',
  checksum: 'The SHA-256 of the binary, as 64 hex digits, checked on download (Rancher’s `checksum`); empty: not checked.',
  uiUrl: 'Where the UI component for its node templates is loaded from (Rancher’s `uiUrl`): an http(s) URL, at most 2048 characters, or empty.',
  whitelistDomains: 'Extra domains the meta proxy may reach for it while active (Rancher’s `whitelistDomains`): at most 200, each 1–253 characters.',
} as const;

/** Everything that makes a NodeDriver a resource: everyone reads drivers, admins add, change and (de)activate them. */

const NodeDriverState = builder.enumType('NodeDriverState', {
  description: 'Whether a node driver may be used (Rancher’s `state` of a node driver).',
  values: {
    active: { description: 'It may be used, and its domains are open to the meta proxy.' },
    inactive: { description: 'It may not be used for new node templates.' },
  } as const,
});

const driverUrl = z
  .string()
  .max(2048)
  .refine((value) => /^(https?|local):\/\//.test(value) && URL.canParse(value), 'must be an http(s) URL');
const checksum = z.string().regex(/^([a-f0-9]{64})?$/i, 'must be a SHA-256 hex digest');
const uiUrl = z
  .string()
  .max(2048)
  .refine((value) => value === '' || (/^https?:\/\//.test(value) && URL.canParse(value)), 'must be an http(s) URL');
const domains = z.array(z.string().min(1).max(253)).max(200);

/** The fields a new driver's input and a change share (`url` and `active` differ in what is required and defaulted). */
const driverInputFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  displayName: t.string({ description: docs.displayName, validate: displayName }),
  description: t.string({ description: fieldDocs.description, validate: description }),
  ...metadataInputFields(t),
  checksum: t.string({ description: docs.checksum, validate: checksum }),
  uiUrl: t.string({ description: docs.uiUrl, validate: uiUrl }),
  whitelistDomains: t.stringList({ description: docs.whitelistDomains, validate: domains }),
});

const CreateNodeDriverInput = builder.inputType('CreateNodeDriverInput', {
  description: 'A docker-machine driver to add, by the URL of its binary; inactive unless `active` says so.',
  fields: (t) => ({
    ...driverInputFields(t),
    url: t.string({ description: docs.url, required: true, validate: driverUrl }),
    name: t.string({ description: 'Derived from a docker-machine-driver-<name> URL when absent.', validate: kubernetesName }),
    active: t.boolean({ description: docs.active, defaultValue: false }),
  }),
});

const UpdateNodeDriverInput = builder.inputType('UpdateNodeDriverInput', {
  description: 'Built-in drivers change only their active flag, domains, names and UI URL; other fields are ignored.',
  fields: (t) => ({
    ...driverInputFields(t),
    url: t.string({ description: docs.url, validate: driverUrl }),
    active: t.boolean({ description: docs.active }),
  }),
});

defineResource('NodeDriver', {
  description: 'A docker-machine driver that creates nodes in one cloud. Active drivers open their domains to the meta proxy.',
  policy: nodeDriverPolicy,
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'The driver’s name (Rancher’s `name`), as in `docker-machine-driver-<name>`: 1–63 lowercase letters, digits and `-`.',
    }),
    displayName: t.exposeString('displayName', { description: docs.displayName }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    url: t.exposeString('url', { description: docs.url }),
    checksum: t.exposeString('checksum', {
      description: docs.checksum,
    }),
    uiUrl: t.exposeString('uiUrl', {
      description: docs.uiUrl,
    }),
    builtin: t.exposeBoolean('builtin', {
      description: 'It ships with the server (Rancher’s `builtin`): it cannot be deleted, and only its active flag, domains, names and UI URL change.',
    }),
    active: t.exposeBoolean('active', { description: docs.active }),
    state: t.field({
      description: fieldDocs.state,
      type: NodeDriverState,
      select: { active: true },
      resolve: (driver) => (driver.active ? 'active' : 'inactive'),
    }),
    whitelistDomains: t.exposeStringList('whitelistDomains', {
      description: docs.whitelistDomains,
    }),
    ...creationFields(t),
    availableActions: t.stringList({
      description: 'The actions this driver offers to this caller in its current state.',
      select: { active: true },
      resolve: (driver, _args, context) => (actsAsAdmin(context.principal) ? nodeDriverActions(driver) : []),
    }),
  }),
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    displayName: { filter: StringFilter },
    description: { filter: StringFilter },
    url: { filter: StringFilter },
    builtin: { filter: BooleanFilter },
    active: { filter: BooleanFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateNodeDriverInput,
    run: (context, input, query) => context.services.nodeDrivers.create(input, context.principal!.userId, query),
  },
  update: {
    input: UpdateNodeDriverInput,
    verb: 'update',
    allowedDescription: 'Only admins manage drivers.',
    run: (context, { id, input, query, scope }) => context.services.nodeDrivers.update(id, input, query, scope),
  },
  remove: {
    verb: 'delete',
    description: 'Removes an added driver; built-in drivers cannot be removed.',
    allowedDescription: 'Admins remove added drivers; built-in ones stay.',
    run: (context, { id, query, scope }) => context.services.nodeDrivers.delete(id, query, scope),
  },
  nodeActions: {
    activate: {
      verb: 'update',
      description: 'Makes the driver usable and opens its domains to the meta proxy.',
      run: (context, { id, query, scope }) => context.services.nodeDrivers.setActive(id, true, query, scope),
    },
    deactivate: {
      verb: 'update',
      description: 'Stops offering the driver and closes its domains to the meta proxy.',
      run: (context, { id, query, scope }) => context.services.nodeDrivers.setActive(id, false, query, scope),
    },
  },
});
