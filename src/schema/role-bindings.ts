import { authorize, authorizeReference } from '../auth/policies/policy.js';
import { clusterPolicy } from '../auth/policies/cluster.js';
import { projectPolicy } from '../auth/policies/project.js';
import { visibleClusters, visibleProjects } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { orNotFound } from '../errors.js';
import { RoleTemplateContext as RoleTemplateContexts } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter, defineListOptions, enumFilter } from './list-options.js';

const RoleTemplateContext = builder.enumType('RoleTemplateContext', {
  description: 'Whether the role is granted on a cluster or on a project.',
  values: Object.values(RoleTemplateContexts),
});

const RoleTemplateNode = builder.prismaNode('RoleTemplate', {
  id: { field: 'id' },
  description: 'A named set of permissions on a cluster or a project. The built-in templates are read-only.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    context: t.expose('context', { type: RoleTemplateContext }),
    builtin: t.exposeBoolean('builtin'),
    created: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const roleTemplateList = defineListOptions<Prisma.RoleTemplateWhereInput, Prisma.RoleTemplateOrderByWithRelationInput>('RoleTemplate', {
  id: { filter: StringFilter },
  name: { filter: StringFilter },
  description: { filter: StringFilter },
  context: { filter: enumFilter(RoleTemplateContext, 'RoleTemplateContext') },
  builtin: { filter: BooleanFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
});

/** A binding is visible to whoever may see what it binds on; only its members' managers may remove it. */
const visibleClusterBindings = (context: Context): Prisma.ClusterRoleTemplateBindingWhereInput => ({ cluster: visibleClusters(context.principal) });
const visibleProjectBindings = (context: Context): Prisma.ProjectRoleTemplateBindingWhereInput => ({ project: visibleProjects(context.principal) });

const ClusterBindingNode = builder.prismaNode('ClusterRoleTemplateBinding', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [visibleClusterBindings(context)] }) as Prisma.ClusterRoleTemplateBindingWhereUniqueInput,
  description: 'Grants a user a cluster role (`cluster-owner`, `cluster-member`) on one cluster. Immutable: bind the new role, then remove the old.',
  fields: (t) => ({
    clusterId: t.exposeID('clusterId'),
    cluster: t.relation('cluster'),
    userId: t.exposeID('userId'),
    roleTemplateId: t.exposeID('roleTemplateId'),
    roleTemplate: t.relation('roleTemplate'),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canRemove: t.boolean({
      description: 'This caller manages the members of the cluster.',
      select: { clusterId: true },
      resolve: (binding, _args, context) => context.access.onCluster(binding.clusterId, 'manageMembers'),
    }),
  }),
});

const ProjectBindingNode = builder.prismaNode('ProjectRoleTemplateBinding', {
  id: { field: 'id' },
  findUnique: (id, context) => ({ id, AND: [visibleProjectBindings(context)] }) as Prisma.ProjectRoleTemplateBindingWhereUniqueInput,
  description: 'Grants a user a project role (`project-owner`, `project-member`, `read-only`) on one project. Immutable: bind the new role, then remove the old.',
  fields: (t) => ({
    projectId: t.exposeID('projectId'),
    project: t.relation('project'),
    userId: t.exposeID('userId'),
    roleTemplateId: t.exposeID('roleTemplateId'),
    roleTemplate: t.relation('roleTemplate'),
    created: t.expose('createdAt', { type: 'DateTime' }),
    canRemove: t.boolean({
      description: 'This caller manages the members of the project.',
      select: { projectId: true, project: { select: { clusterId: true } } },
      resolve: (binding, _args, context) => context.access.onProject({ id: binding.projectId, clusterId: binding.project.clusterId }, 'manageMembers'),
    }),
  }),
});

const bindingFilterFields = {
  id: { filter: StringFilter },
  userId: { filter: StringFilter },
  roleTemplateId: { filter: StringFilter },
  created: { filter: DateTimeFilter, column: 'createdAt' },
} as const;

const clusterBindingList = defineListOptions<Prisma.ClusterRoleTemplateBindingWhereInput, Prisma.ClusterRoleTemplateBindingOrderByWithRelationInput>(
  'ClusterRoleTemplateBinding',
  { ...bindingFilterFields, clusterId: { filter: StringFilter } },
);
const projectBindingList = defineListOptions<Prisma.ProjectRoleTemplateBindingWhereInput, Prisma.ProjectRoleTemplateBindingOrderByWithRelationInput>(
  'ProjectRoleTemplateBinding',
  { ...bindingFilterFields, projectId: { filter: StringFilter } },
);

const CreateClusterBindingInput = builder.inputType('CreateClusterRoleTemplateBindingInput', {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    userId: t.id({ required: true }),
    roleTemplateId: t.id({ required: true, description: '`cluster-owner` or `cluster-member`.' }),
  }),
});

const CreateProjectBindingInput = builder.inputType('CreateProjectRoleTemplateBindingInput', {
  fields: (t) => ({
    projectId: t.id({ required: true }),
    userId: t.id({ required: true }),
    roleTemplateId: t.id({ required: true, description: '`project-owner`, `project-member` or `read-only`.' }),
  }),
});

builder.queryFields((t) => ({
  roleTemplate: t.prismaField({
    type: 'RoleTemplate',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => orNotFound(context.prisma.roleTemplate.findUnique({ ...query, where: { id } }), 'roleTemplate', id),
  }),
  roleTemplates: t.connection(
    {
      type: RoleTemplateNode,
      args: { filter: t.arg({ type: roleTemplateList.Filter }), sort: t.arg({ type: roleTemplateList.Sort }) },
      resolve: (_root, args, context, info) => roleTemplateList.page({ args, context, info }, context.services.roleBindings.templates),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
  clusterRoleTemplateBinding: t.prismaField({
    type: 'ClusterRoleTemplateBinding',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) =>
      orNotFound(context.prisma.clusterRoleTemplateBinding.findFirst({ ...query, where: { id, AND: [visibleClusterBindings(context)] } }), 'clusterRoleTemplateBinding', id),
  }),
  clusterRoleTemplateBindings: t.connection(
    {
      type: ClusterBindingNode,
      args: { filter: t.arg({ type: clusterBindingList.Filter }), sort: t.arg({ type: clusterBindingList.Sort }) },
      resolve: (_root, args, context, info) =>
        clusterBindingList.page({ args, context, info, scope: visibleClusterBindings(context) }, context.services.roleBindings.clusterBindings),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
  projectRoleTemplateBinding: t.prismaField({
    type: 'ProjectRoleTemplateBinding',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) =>
      orNotFound(context.prisma.projectRoleTemplateBinding.findFirst({ ...query, where: { id, AND: [visibleProjectBindings(context)] } }), 'projectRoleTemplateBinding', id),
  }),
  projectRoleTemplateBindings: t.connection(
    {
      type: ProjectBindingNode,
      args: { filter: t.arg({ type: projectBindingList.Filter }), sort: t.arg({ type: projectBindingList.Sort }) },
      resolve: (_root, args, context, info) =>
        projectBindingList.page({ args, context, info, scope: visibleProjectBindings(context) }, context.services.roleBindings.projectBindings),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  createClusterRoleTemplateBinding: t.prismaField({
    type: 'ClusterRoleTemplateBinding',
    description: 'Grants a cluster role; only admins and the cluster’s owners manage its members.',
    args: { input: t.arg({ type: CreateClusterBindingInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'manageMembers');
      return context.services.roleBindings.bindOnCluster(input.clusterId, { userId: input.userId, roleTemplateId: input.roleTemplateId }, query);
    },
  }),
  deleteClusterRoleTemplateBinding: t.prismaField({
    type: 'ClusterRoleTemplateBinding',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      const binding = await orNotFound(
        context.prisma.clusterRoleTemplateBinding.findFirst({ where: { id, AND: [visibleClusterBindings(context)] }, select: { clusterId: true } }),
        'clusterRoleTemplateBinding',
        id,
      );
      await authorize(context, clusterPolicy, binding.clusterId, 'manageMembers');
      return context.services.roleBindings.unbindOnCluster(id, query);
    },
  }),
  createProjectRoleTemplateBinding: t.prismaField({
    type: 'ProjectRoleTemplateBinding',
    description: 'Grants a project role; only admins and the owners of the project or its cluster manage its members.',
    args: { input: t.arg({ type: CreateProjectBindingInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageMembers');
      return context.services.roleBindings.bindOnProject(input.projectId, { userId: input.userId, roleTemplateId: input.roleTemplateId }, query);
    },
  }),
  deleteProjectRoleTemplateBinding: t.prismaField({
    type: 'ProjectRoleTemplateBinding',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      const binding = await orNotFound(
        context.prisma.projectRoleTemplateBinding.findFirst({ where: { id, AND: [visibleProjectBindings(context)] }, select: { projectId: true } }),
        'projectRoleTemplateBinding',
        id,
      );
      await authorize(context, projectPolicy, binding.projectId, 'manageMembers');
      return context.services.roleBindings.unbindOnProject(id, query);
    },
  }),
}));
