import { clusterPolicy } from '../../auth/policies/cluster.js';
import { namespacePolicy } from '../../auth/policies/namespace.js';
import { authorize, authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import type { Context } from '../../context.js';
import { namespaceLocalId } from '../../services/namespaces.js';
import { invalidInput } from '../../errors.js';
import { builder } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { description, kubernetesName, optionalReference } from '../validators.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';
import { defineResource } from './define-resource.js';
import { namespacedSecretResource } from './namespaced-secret.js';
import { relatedList } from './related-list.js';
import { ingressResource } from './ingress.js';
import { serviceResource } from './service.js';
import { workloadResource } from './workload.js';
import { creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';

/** Everything that makes a Namespace a resource: its fields, who may see and change it, its list, its mutations and the move. */

const CreateNamespaceInput = builder.inputType('CreateNamespaceInput', {
  description: 'Give projectId to create it in a project (its cluster is the project’s), or only clusterId for a namespace outside any project.',
  fields: (t) => ({
    clusterId: t.id({ description: fieldDocs.clusterId, validate: optionalReference }),
    projectId: t.id({ description: fieldDocs.projectId, validate: optionalReference }),
    name: t.string({ description: fieldDocs.kubernetesName, required: true, validate: kubernetesName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
  }),
});

const UpdateNamespaceInput = builder.inputType('UpdateNamespaceInput', {
  description: 'A namespace’s name and cluster are fixed; it changes project through the move action.',
  fields: (t) => ({
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
  }),
});

const NamespaceMoveInput = builder.inputType('NamespaceMoveInput', {
  description: 'Where moveNamespace takes a namespace: into a project of its cluster, or out of any project.',
  fields: (t) => ({
    projectId: t.id({
      description: 'The project of the same cluster to move into; null, "" or absent moves it out of any project.',
      validate: optionalReference,
    }),
  }),
});

export const namespaceResource = defineResource('Namespace', {
  description:
    'A Kubernetes namespace of one cluster, optionally in one of its projects. Unlike Rancher, whose namespace id is the bare name (unique only within a cluster), the id is `<clusterId>:<name>`, so that ids are unique server-wide (`rancherId` is Rancher’s form, which /v3 serves in a cluster’s or project’s context); names of the form p-xxxxx are reserved, as they would read as project ids.',
  clusterLocalId: { ...namespaceLocalId, example: 'apps' },
  policy: namespacePolicy,
  fields: (t) => ({
    name: t.exposeString('name', { description: fieldDocs.kubernetesName }),
    clusterId: t.exposeID('clusterId', { description: fieldDocs.clusterId }),
    cluster: t.relation('cluster', { description: 'The cluster it belongs to (what `clusterId` names).' }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'Null: outside any project, managed by the cluster’s owners.' }),
    project: t.relation('project', { description: 'The project it belongs to (what `projectId` names).', nullable: true }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    ...creationFields(t),
    workloads: relatedList(t, 'workloads', workloadResource.listed, 'The workloads of this namespace.'),
    services: relatedList(t, 'services', serviceResource.listed, 'The services of this namespace.'),
    ingresses: relatedList(t, 'ingresses', ingressResource.listed, 'The ingresses of this namespace.'),
    namespacedSecrets: relatedList(t, 'secrets', namespacedSecretResource.listed, 'The secrets of this namespace.'),
  }),
  list: {
    id: { filter: StringFilter },
    clusterId: { filter: StringFilter },
    projectId: { filter: StringFilter, nullable: true },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateNamespaceInput,
    run: async (context, input, query) =>
      context.services.namespaces.create({ ...input, ...(await placeNamespace(context, input)) }, context.principal!.userId, query),
  },
  update: {
    input: UpdateNamespaceInput,
    verb: 'manageResources',
    allowedDescription: 'This caller may change the namespace and what it holds (project members and owners; cluster owners outside projects).',
    run: (context, { id, input, query, scope }) => context.services.namespaces.update(id, input, query, scope),
  },
  remove: { verb: 'manageResources', description: 'Deletes the namespace with its workloads and secrets.' },
  nodeActions: {
    move: {
      description: 'Moves the namespace, with its workloads and secrets, into another project of its cluster or out of any project.',
      verb: 'manageResources',
      input: NamespaceMoveInput,
      inputOptional: true,
      run: async (context, { id, input, query, scope }) => {
        const { clusterId } = await context.services.namespaces.get(id, { select: { clusterId: true } }, scope);
        const target = input.projectId ?? null;
        // Into a project: its resources must be the caller's to manage; out of any: the cluster's namespaces.
        if (target) await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: target }, 'manageResources');
        else await authorize(context, clusterPolicy, clusterId, 'manageNamespaces');
        return context.services.namespaces.move(id, clusterId, target, query);
      },
    },
  },
});

/**
 * Where a new namespace goes: into the given project (whose resources the caller must
 * manage), or directly into the cluster (whose namespaces the caller must manage).
 */
async function placeNamespace(
  context: Context,
  input: { clusterId?: string | null; projectId?: string | null },
): Promise<{ clusterId: string; projectId: string | null }> {
  if (input.projectId) {
    await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
    const { clusterId } = await context.services.projects.get(input.projectId, { select: { clusterId: true } });
    if (input.clusterId && input.clusterId !== clusterId)
      throw invalidInput('clusterId', `project ${JSON.stringify(input.projectId)} is not in cluster ${JSON.stringify(input.clusterId)}`);
    return { clusterId, projectId: input.projectId };
  }
  if (!input.clusterId) throw invalidInput('clusterId', 'give clusterId, or projectId for a namespace in a project', 'MissingRequired');
  await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'manageNamespaces');
  return { clusterId: input.clusterId, projectId: null };
}
