import type { Prisma } from '../generated/prisma/client.js';
import { asReference, authorizeCluster, authorizeProject, visibleProjects } from '../auth/visibility.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { description, displayName } from './validators.js';

const ProjectNode = builder.prismaNode('Project', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [visibleProjects(context.principal)] }) as Prisma.ProjectWhereUniqueInput,
  description: 'A group of namespaces inside one cluster, the unit of multi-tenancy.',
  fields: (t) => ({
    clusterId: t.exposeID('clusterId'),
    cluster: t.relation('cluster'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    creatorId: t.exposeID('creatorId', { nullable: true }),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canUpdate: t.boolean({
      description: 'This caller may change the project (admins, cluster owners, project owners).',
      select: { clusterId: true },
      resolve: (project, _args, context) => context.access.onProject(project, 'update'),
    }),
    canRemove: t.boolean({ description: 'This caller may delete the project.', select: { clusterId: true }, resolve: (project, _args, context) => context.access.onProject(project, 'delete') }),
  }),
});

const projectList = defineListOptions<Prisma.ProjectWhereInput, Prisma.ProjectOrderByWithRelationInput>('Project', {
  id: { filter: StringFilter },
  clusterId: { filter: StringFilter },
  name: { filter: StringFilter },
  description: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

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

builder.queryFields((t) => ({
  project: t.prismaField({
    type: 'Project',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeProject(context, id, 'read');
      return context.services.projects.get(id, query);
    },
  }),
  projects: t.connection(
    {
      type: ProjectNode,
      args: { filter: t.arg({ type: projectList.Filter }), sort: t.arg({ type: projectList.Sort }) },
      resolve: (_root, args, context, info) => projectList.page({ args, context, info, scope: visibleProjects(context.principal) }, context.services.projects),
    },
    // Counted on demand: `page` hands over a function, run only when the field is selected.
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createProject: t.prismaField({
    type: 'Project',
    args: { input: t.arg({ type: CreateProjectInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      // A cluster the caller cannot see is reported like one that does not exist.
      await asReference(authorizeCluster(context, input.clusterId, 'createProjects'), 'clusterId', 'cluster', input.clusterId);
      return context.services.projects.create(input, context.principal!.userId, query);
    },
  }),
  updateProject: t.prismaField({
    type: 'Project',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateProjectInput, required: true }) },
    resolve: async (query, _root, { id, input }, context) => {
      await authorizeProject(context, id, 'update');
      return context.services.projects.update(id, input, query);
    },
  }),
  deleteProject: t.prismaField({
    type: 'Project',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      await authorizeProject(context, id, 'delete');
      return context.services.projects.delete(id, query);
    },
  }),
}));
