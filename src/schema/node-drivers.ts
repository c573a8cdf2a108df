import { z } from 'zod';
import { actsAsAdmin } from '../auth/principal.js';
import type { Prisma } from '../generated/prisma/client.js';
import { nodeDriverActions } from '../services/node-drivers.js';
import { builder } from './builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { description, displayName, kubernetesName } from './validators.js';

const NodeDriverState = builder.enumType('NodeDriverState', { values: ['active', 'inactive'] as const });

const NodeDriverNode = builder.prismaNode('NodeDriver', {
  id: { field: 'id' },
  description: 'A docker-machine driver that creates nodes in one cloud. Active drivers open their domains to the meta proxy.',
  fields: (t) => ({
    name: t.exposeString('name'),
    displayName: t.exposeString('displayName'),
    description: t.exposeString('description'),
    url: t.exposeString('url'),
    checksum: t.exposeString('checksum'),
    uiUrl: t.exposeString('uiUrl'),
    builtin: t.exposeBoolean('builtin'),
    active: t.exposeBoolean('active'),
    state: t.field({ type: NodeDriverState, resolve: (driver) => (driver.active ? 'active' : 'inactive') }),
    whitelistDomains: t.exposeStringList('whitelistDomains'),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    availableActions: t.stringList({
      description: 'The actions this driver offers to this caller in its current state.',
      resolve: (driver, _args, context) => (actsAsAdmin(context.principal) ? nodeDriverActions(driver) : []),
    }),
    canUpdate: t.boolean({ description: 'Only admins manage drivers.', resolve: (_driver, _args, context) => actsAsAdmin(context.principal) }),
    canRemove: t.boolean({ description: 'Admins remove added drivers; built-in ones stay.', resolve: (driver, _args, context) => actsAsAdmin(context.principal) && !driver.builtin }),
  }),
});

const nodeDriverList = defineListOptions<Prisma.NodeDriverWhereInput, Prisma.NodeDriverOrderByWithRelationInput>('NodeDriver', {
  id: { filter: StringFilter },
  name: { filter: StringFilter },
  displayName: { filter: StringFilter },
  description: { filter: StringFilter },
  url: { filter: StringFilter },
  builtin: { filter: BooleanFilter },
  active: { filter: BooleanFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const driverUrl = z.string().max(2048).refine((value) => /^(https?|local):\/\//.test(value) && URL.canParse(value), 'must be an http(s) URL');
const checksum = z.string().regex(/^([a-f0-9]{64})?$/i, 'must be a SHA-256 hex digest');
const uiUrl = z.string().max(2048).refine((value) => value === '' || (/^https?:\/\//.test(value) && URL.canParse(value)), 'must be an http(s) URL');
const domains = z.array(z.string().min(1).max(253)).max(200);

const NodeDriverFields = {
  displayName: { validate: displayName },
  description: { validate: description },
} as const;

const CreateNodeDriverInput = builder.inputType('CreateNodeDriverInput', {
  fields: (t) => ({
    url: t.string({ required: true, validate: driverUrl }),
    name: t.string({ description: 'Derived from a docker-machine-driver-<name> URL when absent.', validate: kubernetesName }),
    displayName: t.string(NodeDriverFields.displayName),
    description: t.string(NodeDriverFields.description),
    checksum: t.string({ validate: checksum }),
    uiUrl: t.string({ validate: uiUrl }),
    whitelistDomains: t.stringList({ validate: domains }),
    active: t.boolean({ defaultValue: false }),
  }),
});

const UpdateNodeDriverInput = builder.inputType('UpdateNodeDriverInput', {
  description: 'Built-in drivers change only their active flag, domains, names and UI URL; other fields are ignored.',
  fields: (t) => ({
    url: t.string({ validate: driverUrl }),
    displayName: t.string(NodeDriverFields.displayName),
    description: t.string(NodeDriverFields.description),
    checksum: t.string({ validate: checksum }),
    uiUrl: t.string({ validate: uiUrl }),
    whitelistDomains: t.stringList({ validate: domains }),
    active: t.boolean(),
  }),
});

builder.queryFields((t) => ({
  nodeDriver: t.prismaField({
    type: 'NodeDriver',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => context.services.nodeDrivers.get(id, query),
  }),
  nodeDrivers: t.connection(
    {
      type: NodeDriverNode,
      args: { filter: t.arg({ type: nodeDriverList.Filter }), sort: t.arg({ type: nodeDriverList.Sort }) },
      resolve: (_root, args, context, info) => nodeDriverList.page({ args, context, info }, context.services.nodeDrivers),
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createNodeDriver: t.prismaField({
    type: 'NodeDriver',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateNodeDriverInput, required: true }) },
    resolve: (query, _root, { input }, context) => context.services.nodeDrivers.create(input, context.principal!.userId, query),
  }),
  updateNodeDriver: t.prismaField({
    type: 'NodeDriver',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateNodeDriverInput, required: true }) },
    resolve: (query, _root, { id, input }, context) => context.services.nodeDrivers.update(id, input, query),
  }),
  deleteNodeDriver: t.prismaField({
    type: 'NodeDriver',
    authScopes: { admin: true },
    description: 'Removes an added driver; built-in drivers cannot be removed.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => context.services.nodeDrivers.delete(id, query),
  }),
  nodeDriverActivate: t.prismaField({
    type: 'NodeDriver',
    authScopes: { admin: true },
    description: 'Makes the driver usable and opens its domains to the meta proxy.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => context.services.nodeDrivers.setActive(id, true, query),
  }),
  nodeDriverDeactivate: t.prismaField({
    type: 'NodeDriver',
    authScopes: { admin: true },
    description: 'Stops offering the driver and closes its domains to the meta proxy.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => context.services.nodeDrivers.setActive(id, false, query),
  }),
}));
