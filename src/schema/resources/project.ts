import { clusterPolicy } from '../../auth/policies/cluster.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { builder } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { description, displayName } from '../validators.js';
import { defineResource } from './define-resource.js';

/** Everything that makes a Project a resource. */

const CreateProjectInput = builder.inputType('CreateProjectInput', {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    name: t.string({ required: true, validate: displayName }),
    description: t.string({ validate: description }),
  }),
});

const UpdateProjectInput = builder.inputType('UpdateProjectInput', {
  fields: (t) => ({
    name: t.string({ validate: displayName }),
    description: t.string({ validate: description }),
  }),
});

export const projectResource = defineResource('Project', {
  description: 'A group of namespaces inside one cluster, the unit of multi-tenancy.',
  policy: projectPolicy,
  fields: (t) => ({
    clusterId: t.exposeID('clusterId'),
    cluster: t.relation('cluster'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
  }),
  list: {
    id: { filter: StringFilter },
    clusterId: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
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
