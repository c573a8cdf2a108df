import { authorize, authorizeReference } from '../auth/policies/policy.js';
import { clusterPolicy } from '../auth/policies/cluster.js';
import { projectPolicy } from '../auth/policies/project.js';
import { authorizeNamespace, namespacedSecretsWhere, namespacesWhere, workloadsWhere } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { invalidInput } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { annotations, description, kubernetesName, labels, optionalReference } from './validators.js';

/** Relations list only what the caller may see, and count only that. */
const visibleRelation = <Where>(where: (context: Context) => Where) => ({
  cursor: 'id' as const,
  totalCount: true,
  query: (_args: unknown, context: Context) => ({ where: where(context), orderBy: { id: 'asc' as const } }),
});

const NamespaceNode = builder.prismaNode('Namespace', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [namespacesWhere(context.principal)] }) as Prisma.NamespaceWhereUniqueInput,
  description:
    'A Kubernetes namespace of one cluster, optionally in one of its projects. Unlike Rancher, whose namespace id is the bare name (unique only within a cluster), the id is `<clusterId>:<name>`, so that ids are unique server-wide; names of the form p-xxxxx are reserved, as they would read as project ids.',
  fields: (t) => ({
    name: t.exposeString('name'),
    clusterId: t.exposeID('clusterId'),
    cluster: t.relation('cluster'),
    projectId: t.exposeID('projectId', { nullable: true, description: 'Null: outside any project, managed by the cluster’s owners.' }),
    project: t.relation('project', { nullable: true }),
    description: t.exposeString('description'),
    labels: t.field({ type: 'StringMap', resolve: (namespace) => namespace.labels as Record<string, string> }),
    annotations: t.field({ type: 'StringMap', resolve: (namespace) => namespace.annotations as Record<string, string> }),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({
      description: 'This caller may change the namespace and what it holds (project members and owners; cluster owners outside projects).',
      select: { clusterId: true, projectId: true },
      resolve: (namespace, _args, context) => context.access.onNamespace(namespace, 'manageResources'),
    }),
    canRemove: t.boolean({ select: { clusterId: true, projectId: true }, resolve: (namespace, _args, context) => context.access.onNamespace(namespace, 'manageResources') }),
    workloads: t.relatedConnection('workloads', { ...visibleRelation((context) => workloadsWhere(context.principal)), description: 'The workloads of this namespace.' }),
    namespacedSecrets: t.relatedConnection('secrets', { ...visibleRelation((context) => namespacedSecretsWhere(context.principal)), description: 'The secrets of this namespace.' }),
  }),
});

// The parents' views of what they hold: /v3 turns them into links and sub-contexts.
builder.prismaObjectField('Cluster', 'namespaces', (t) =>
  t.relatedConnection('namespaces', { ...visibleRelation((context) => namespacesWhere(context.principal)), description: 'The namespaces of this cluster the caller may see.' }),
);
builder.prismaObjectFields('Project', (t) => ({
  namespaces: t.relatedConnection('namespaces', { ...visibleRelation((context) => namespacesWhere(context.principal)), description: 'The namespaces of this project.' }),
  workloads: t.relatedConnection('workloads', { ...visibleRelation((context) => workloadsWhere(context.principal)), description: 'The workloads of this project.' }),
  namespacedSecrets: t.relatedConnection('secrets', { ...visibleRelation((context) => namespacedSecretsWhere(context.principal)), description: 'The secrets of this project’s namespaces.' }),
}));

const namespaceList = defineListOptions<Prisma.NamespaceWhereInput, Prisma.NamespaceOrderByWithRelationInput>('Namespace', {
  id: { filter: StringFilter },
  clusterId: { filter: StringFilter },
  projectId: { filter: StringFilter, nullable: true },
  name: { filter: StringFilter },
  description: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

const CreateNamespaceInput = builder.inputType('CreateNamespaceInput', {
  description: 'Give projectId to create it in a project (its cluster is the project’s), or only clusterId for a namespace outside any project.',
  fields: (t) => ({
    clusterId: t.id({ validate: optionalReference }),
    projectId: t.id({ validate: optionalReference }),
    name: t.string({ required: true, validate: kubernetesName }),
    description: t.string({ validate: description }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
  }),
});

const UpdateNamespaceInput = builder.inputType('UpdateNamespaceInput', {
  description: 'A namespace’s name and cluster are fixed; it changes project through the move action.',
  fields: (t) => ({
    description: t.string({ validate: description }),
    labels: t.field({ type: 'StringMap', validate: labels }),
    annotations: t.field({ type: 'StringMap', validate: annotations }),
  }),
});

const NamespaceMoveInput = builder.inputType('NamespaceMoveInput', {
  fields: (t) => ({ projectId: t.id({ description: 'The project of the same cluster to move into; null, "" or absent moves it out of any project.', validate: optionalReference }) }),
});

builder.queryFields((t) => ({
  namespace: t.prismaField({
    type: 'Namespace',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeNamespace(context, id, 'read');
      return context.services.namespaces.get(id, query);
    },
  }),
  namespaces: t.connection(
    {
      type: NamespaceNode,
      args: { filter: t.arg({ type: namespaceList.Filter }), sort: t.arg({ type: namespaceList.Sort }) },
      resolve: (_root, args, context, info) => namespaceList.page({ args, context, info, scope: namespacesWhere(context.principal) }, context.services.namespaces),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createNamespace: t.prismaField({
    type: 'Namespace',
    args: { input: t.arg({ type: CreateNamespaceInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const place = await placeNamespace(context, input);
      return context.services.namespaces.create({ ...input, ...place }, context.principal!.userId, query);
    },
  }),
  updateNamespace: t.prismaField({
    type: 'Namespace',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateNamespaceInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      await authorizeNamespace(context, id, 'manageResources');
      return context.services.namespaces.update(id, input, query);
    },
  }),
  deleteNamespace: t.prismaField({
    type: 'Namespace',
    description: 'Deletes the namespace with its workloads and secrets.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeNamespace(context, id, 'manageResources');
      return context.services.namespaces.delete(id, query);
    },
  }),
  namespaceMove: t.prismaField({
    type: 'Namespace',
    description: 'Moves the namespace, with its workloads and secrets, into another project of its cluster or out of any project.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: NamespaceMoveInput }) },
    resolve: async (query, _root, { id, input }, context) => {
      await authorizeNamespace(context, id, 'manageResources');
      const target = input?.projectId ?? null;
      if (target) await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: target }, 'manageResources');
      else await authorize(context, clusterPolicy, (await context.services.namespaces.get(id, { select: { clusterId: true } })).clusterId, 'manageNamespaces');
      return context.services.namespaces.move(id, target, query);
    },
  }),
}));

/**
 * Where a new namespace goes: into the given project (whose resources the caller must
 * manage), or directly into the cluster (whose namespaces the caller must manage).
 */
async function placeNamespace(context: Context, input: { clusterId?: string | null; projectId?: string | null }): Promise<{ clusterId: string; projectId: string | null }> {
  if (input.projectId) {
    await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
    const { clusterId } = await context.services.projects.get(input.projectId, { select: { clusterId: true } });
    if (input.clusterId && input.clusterId !== clusterId) throw invalidInput('clusterId', `project ${JSON.stringify(input.projectId)} is not in cluster ${JSON.stringify(input.clusterId)}`);
    return { clusterId, projectId: input.projectId };
  }
  if (!input.clusterId) throw invalidInput('clusterId', 'give clusterId, or projectId for a namespace in a project', 'MissingRequired');
  await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'manageNamespaces');
  return { clusterId: input.clusterId, projectId: null };
}
