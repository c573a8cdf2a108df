import { clusterPolicy } from '../../auth/policies/cluster.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { builder } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { description, displayName } from '../validators.js';
import { defineResource } from './define-resource.js';
import { namespaceResource } from './namespace.js';
import { namespacedSecretResource } from './namespaced-secret.js';
import { relatedList } from './related-list.js';
import { ingressResource } from './ingress.js';
import { serviceResource } from './service.js';
import { workloadResource } from './workload.js';
import { creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';

/** Everything that makes a Project a resource. */

const CreateProjectInput = builder.inputType('CreateProjectInput', {
  description: 'A new project in a cluster: the caller becomes its owner.',
  fields: (t) => ({
    clusterId: t.id({ description: fieldDocs.clusterId, required: true }),
    name: t.string({ description: fieldDocs.displayName, required: true, validate: displayName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
  }),
});

const UpdateProjectInput = builder.inputType('UpdateProjectInput', {
  description: 'The fields of a project to change; its cluster is fixed.',
  fields: (t) => ({
    name: t.string({ description: fieldDocs.displayName, validate: displayName }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
  }),
});

export const projectResource = defineResource('Project', {
  description: 'A group of namespaces inside one cluster, the unit of multi-tenancy.',
  policy: projectPolicy,
  fields: (t) => ({
    clusterId: t.exposeID('clusterId', { description: fieldDocs.clusterId }),
    cluster: t.relation('cluster', { description: 'The cluster it belongs to (what `clusterId` names).' }),
    name: t.exposeString('name', { description: fieldDocs.displayName }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    ...creationFields(t),
    // Only what the caller may see, and only that is counted.
    namespaces: relatedList(t, 'namespaces', namespaceResource.listed, 'The namespaces of this project.'),
    workloads: relatedList(t, 'workloads', workloadResource.listed, 'The workloads of this project.'),
    services: relatedList(t, 'services', serviceResource.listed, 'The services of this project’s namespaces.'),
    ingresses: relatedList(t, 'ingresses', ingressResource.listed, 'The ingresses of this project’s namespaces.'),
    namespacedSecrets: relatedList(t, 'secrets', namespacedSecretResource.listed, 'The secrets of this project’s namespaces.'),
  }),
  list: {
    id: { filter: StringFilter },
    clusterId: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateProjectInput,
    run: async (context, input, query) => {
      // A cluster the caller cannot see is reported like one that does not exist.
      await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'createProjects');
      return context.services.projects.create(input, context.principal!.userId, query);
    },
  },
  update: {
    input: UpdateProjectInput,
    verb: 'update',
    allowedDescription: 'This caller may change the project (admins, cluster owners, project owners).',
    run: (context, { id, input, query, scope }) => context.services.projects.update(id, input, query, scope),
  },
  remove: { verb: 'delete', allowedDescription: 'This caller may delete the project.' },
});
