import { authorizeReference } from '../auth/policies/policy.js';
import { projectPolicy } from '../auth/policies/project.js';
import { z } from 'zod';
import { authorizeNamespacedSecret, namespacedSecretsWhere } from '../auth/visibility.js';
import type { Prisma } from '../generated/prisma/client.js';
import { secretKeys } from '../services/namespaced-secrets.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { annotations, description, kubernetesSubdomain, labels } from './validators.js';

/** `Opaque`, or a qualified type such as `kubernetes.io/tls`. */
const secretKind = z
  .string()
  .max(253)
  .regex(/^(Opaque|[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/, 'must be Opaque or a qualified type such as kubernetes.io/tls');

/** Kubernetes secret keys and its 1 MiB limit on a secret. */
const secretData = z
  .record(z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/, 'keys are letters, digits, -, _ and .'), z.string())
  .refine((data) => JSON.stringify(data).length <= 1024 * 1024, 'a secret holds at most 1 MiB');

const accessSelect = { namespace: { select: { clusterId: true, projectId: true } } } as const;

const NamespacedSecretNode = builder.prismaNode('NamespacedSecret', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [namespacedSecretsWhere(context.principal)] }) as Prisma.NamespacedSecretWhereUniqueInput,
  description:
    'A secret of one namespace (Rancher’s namespacedSecret). Its data is write-only: stored encrypted, never returned; `keys` lists its key names. Unlike Rancher, whose id `<namespace>:<name>` is unique only within a cluster, the id is `<clusterId>:<namespace>:<name>`, so that ids are unique server-wide.',
  fields: (t) => ({
    name: t.exposeString('name'),
    namespaceId: t.exposeID('namespaceId'),
    namespace: t.relation('namespace'),
    projectId: t.exposeID('projectId', { nullable: true, description: 'The namespace’s project.' }),
    project: t.relation('project', { nullable: true }),
    kind: t.exposeString('kind', { description: 'The Kubernetes secret type (Opaque, kubernetes.io/dockerconfigjson, kubernetes.io/tls, kubernetes.io/basic-auth, …).' }),
    description: t.exposeString('description'),
    labels: t.field({ type: 'StringMap', resolve: (secret) => secret.labels as Record<string, string> }),
    annotations: t.field({ type: 'StringMap', resolve: (secret) => secret.annotations as Record<string, string> }),
    keys: t.stringList({ description: 'The names of the keys in data; the values are never returned.', select: { sealedData: true }, resolve: (secret) => secretKeys(secret.sealedData) }),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({ select: accessSelect, resolve: (secret, _args, context) => context.access.onNamespace(secret.namespace, 'manageResources') }),
    canRemove: t.boolean({ select: accessSelect, resolve: (secret, _args, context) => context.access.onNamespace(secret.namespace, 'manageResources') }),
  }),
});

const secretList = defineListOptions<Prisma.NamespacedSecretWhereInput, Prisma.NamespacedSecretOrderByWithRelationInput>('NamespacedSecret', {
  id: { filter: StringFilter },
  namespaceId: { filter: StringFilter },
  projectId: { filter: StringFilter, nullable: true },
  name: { filter: StringFilter },
  kind: { filter: StringFilter },
  description: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const dataDescription = 'Key → value, write-only: stored encrypted, never returned. Values are kept as given (Rancher clients send them base64-encoded, as Kubernetes does).';

const CreateNamespacedSecretInput = builder.inputType('CreateNamespacedSecretInput', {
  fields: (t) => ({
    projectId: t.id({ required: true }),
    namespaceId: t.id({ required: true, description: 'A namespace of the project.' }),
    name: t.string({ required: true, validate: kubernetesSubdomain }),
    kind: t.string({ defaultValue: 'Opaque', validate: secretKind, description: 'Fixed once created. Well-known types require their keys (tls.crt and tls.key, .dockerconfigjson, …).' }),
    description: t.string({ validate: description }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
    data: t.field({ type: 'StringMap', validate: secretData, description: dataDescription }),
  }),
});

const UpdateNamespacedSecretInput = builder.inputType('UpdateNamespacedSecretInput', {
  fields: (t) => ({
    description: t.string({ validate: description }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
    data: t.field({ type: 'StringMap', validate: secretData, description: `${dataDescription} Given, it replaces all the keys.` }),
  }),
});

builder.queryFields((t) => ({
  namespacedSecret: t.prismaField({
    type: 'NamespacedSecret',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeNamespacedSecret(context, id, 'read');
      return context.services.namespacedSecrets.get(id, query);
    },
  }),
  namespacedSecrets: t.connection(
    {
      type: NamespacedSecretNode,
      args: { filter: t.arg({ type: secretList.Filter }), sort: t.arg({ type: secretList.Sort }) },
      resolve: (_root, args, context, info) => secretList.page({ args, context, info, scope: namespacedSecretsWhere(context.principal) }, context.services.namespacedSecrets),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createNamespacedSecret: t.prismaField({
    type: 'NamespacedSecret',
    args: { input: t.arg({ type: CreateNamespacedSecretInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
      return context.services.namespacedSecrets.create(input, context.principal!.userId, query);
    },
  }),
  updateNamespacedSecret: t.prismaField({
    type: 'NamespacedSecret',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateNamespacedSecretInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      await authorizeNamespacedSecret(context, id, 'manageResources');
      return context.services.namespacedSecrets.update(id, input, query);
    },
  }),
  deleteNamespacedSecret: t.prismaField({
    type: 'NamespacedSecret',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeNamespacedSecret(context, id, 'manageResources');
      return context.services.namespacedSecrets.delete(id, query);
    },
  }),
}));
