import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { projectRoleTemplateBindingPolicy } from '../../auth/policies/project-role-template-binding.js';
import { builder } from '../builder.js';
import { StringFilter } from '../list-options.js';
import { defineResource } from './define-resource.js';
import { bindingListFields, bindingNodeFields, bindingWrites, boundUserInputFields } from './role-template.js';
import { fieldDocs } from '../field-docs.js';
import { metadataInputFields } from '../kubernetes-metadata.js';

/** Everything that makes a ProjectRoleTemplateBinding a resource: seen with its project, managed by those who manage its members. */

const CreateProjectBindingInput = builder.inputType('CreateProjectRoleTemplateBindingInput', {
  description: 'A user, a project role and the project to grant it on.',
  fields: (t) => ({
    projectId: t.id({ description: fieldDocs.projectId, required: true }),
    ...boundUserInputFields(t),
    roleTemplateId: t.id({ required: true, description: '`project-owner`, `project-member` or `read-only`.' }),
    ...metadataInputFields(t),
  }),
});

defineResource('ProjectRoleTemplateBinding', {
  description:
    'Grants a user a project role (`project-owner`, `project-member`, `read-only`) on one project. Its user and role are fixed (bind the new role, then remove the old); its labels and annotations change.',
  policy: projectRoleTemplateBindingPolicy,
  fields: (t) => ({
    projectId: t.exposeID('projectId', { description: fieldDocs.projectId }),
    project: t.relation('project', { description: 'The project it belongs to (what `projectId` names).' }),
    ...bindingNodeFields(t),
  }),
  list: { ...bindingListFields, projectId: { filter: StringFilter } },
  create: {
    input: CreateProjectBindingInput,
    description: 'Grants a project role; only admins and the owners of the project or its cluster manage its members.',
    run: async (context, input, query) => {
      await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageMembers');
      const { projectId, ...binding } = input;
      return context.services.projectRoleBindings.bindOnProject(projectId, binding, query);
    },
  },
  ...bindingWrites('ProjectRoleTemplateBinding', 'project', (services) => services.projectRoleBindings),
});
