import { roleTemplatePolicy } from '../../auth/policies/role-template.js';
import type { RoleTemplateContext as RoleTemplateContexts } from '../../generated/prisma/enums.js';
import { builder, type BuilderTypes } from '../builder.js';
import { BooleanFilter, DateTimeFilter, StringFilter, enumFilter } from '../list-options.js';
import { defineResource, type NodeFields } from './define-resource.js';
import { linkedResource, linkTargets } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataListFields, metadataUpdateInput } from '../kubernetes-metadata.js';
import type { Context } from '../../context.js';
import type { Services } from '../../services/index.js';
import type { MetadataInput } from '../../services/input.js';
import { optionalReference } from '../validators.js';
import type { PrismaQuery } from '../../services/resource-store.js';

/** Everything that makes a RoleTemplate a resource: read-only, read by everyone. */

const RoleTemplateContext = builder.enumType('RoleTemplateContext', {
  description: 'Whether the role is granted on a cluster or on a project.',
  values: {
    cluster: { description: 'Granted on a cluster by a ClusterRoleTemplateBinding.' },
    project: { description: 'Granted on a project by a ProjectRoleTemplateBinding.' },
  } satisfies Record<keyof typeof RoleTemplateContexts, { description: string }>,
});

defineResource('RoleTemplate', {
  description: 'A named set of permissions on a cluster or a project. The built-in templates are read-only.',
  policy: roleTemplatePolicy,
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The role’s name as people read it (Rancher’s `displayName`, as `Cluster Owner`).' }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    context: t.expose('context', { description: 'Where the role is granted (Rancher’s `context`): on a cluster or on a project.', type: RoleTemplateContext }),
    builtin: t.exposeBoolean('builtin', { description: 'It ships with the server and cannot change (Rancher’s `builtin`).' }),
    created: t.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
  }),
  list: {
    id: { filter: StringFilter },
    name: { filter: StringFilter },
    description: { filter: StringFilter },
    context: { filter: enumFilter(RoleTemplateContext, 'RoleTemplateContext') },
    builtin: { filter: BooleanFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
});

/**
 * The fields both kinds of role binding show beside their target: the user (id and the
 * user it names), the role (id and relation), labels and annotations, and the creation
 * time. `t` is the binding's Prisma field builder, reached through the narrow view below
 * (as in-namespace.ts does).
 */
export function bindingNodeFields(t: unknown) {
  const fields = t as BindingFieldBuilder;
  return {
    userId: fields.exposeID('userId', { description: fieldDocs.userId }),
    user: linkedResource(
      t as Parameters<typeof linkedResource<BindingField>>[0],
      'userId',
      linkTargets.user,
      'The bound user (`userId`, Rancher’s `userId`). Null when the caller may not see that user: only admins see other users.',
    ),
    userPrincipalId: fields.exposeString('userPrincipalId', { description: userPrincipalIdDoc }),
    roleTemplateId: fields.exposeID('roleTemplateId', { description: fieldDocs.roleTemplateId }),
    roleTemplate: fields.relation('roleTemplate', { description: 'The role it grants (what `roleTemplateId` names).' }),
    ...metadataFields(t),
    created: fields.expose('createdAt', { description: fieldDocs.created, type: 'DateTime' }),
  };
}

const userPrincipalIdDoc =
  'The bound user as the local auth provider names them (Rancher’s `userPrincipalId`): `local://<userId>`. Rancher’s CLI and UIs bind and list members by it.';

/** The user a new binding binds, by id or by principal id, as Rancher takes either (one is needed; given both, they must agree). */
export function boundUserInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
    // Blank is none, as for any optional reference: the service then sees null.
    userId: t.id({ description: `${fieldDocs.userId} Needed unless \`userPrincipalId\` names the user.`, validate: optionalReference }),
    userPrincipalId: t.string({
      description: `${userPrincipalIdDoc} Names the user instead of \`userId\`; given both, they must name the same user.`,
      validate: optionalReference,
    }),
  };
}

/** A field of a binding, as the shared fields hand it back to Pothos. */
type BindingField = ReturnType<Parameters<NodeFields<'ClusterRoleTemplateBinding'>>[0]['exposeID']>;

/** Only what the shared fields need from Pothos' Prisma field builder (each call is checked by Pothos at run time as any field is). */
interface BindingFieldBuilder {
  exposeID(column: 'userId' | 'roleTemplateId', options: { description: string }): BindingField;
  exposeString(column: 'userPrincipalId', options: { description: string }): BindingField;
  relation(relation: 'roleTemplate', options: { description: string }): BindingField;
  expose(column: 'createdAt', options: { description: string; type: 'DateTime' }): BindingField;
}

/** What both kinds of role binding are filtered and sorted by, beside their target. */
export const bindingListFields = {
  id: { filter: StringFilter },
  userId: { filter: StringFilter },
  userPrincipalId: { filter: StringFilter },
  roleTemplateId: { filter: StringFilter },
  ...metadataListFields,
  created: { filter: DateTimeFilter, column: 'createdAt' },
} as const;

/**
 * How a binding on a cluster or a project changes, by those who manage that target's
 * members: its labels and annotations (its user and role are fixed), and its removal.
 */
export function bindingWrites<Where>(
  typeName: 'ClusterRoleTemplateBinding' | 'ProjectRoleTemplateBinding',
  target: 'cluster' | 'project',
  store: (services: Services) => { writeMetadata(id: string, input: MetadataInput, query: PrismaQuery, scope: Where): Promise<{ id: string }> },
) {
  const allowedDescription = `This caller manages the members of the ${target}.`;
  return {
    update: {
      input: metadataUpdateInput(typeName, `a ${target} role binding`),
      verb: 'update' as const,
      allowedDescription,
      run: (context: Context, { id, input, query, scope }: { id: string; input: MetadataInput; query: PrismaQuery; scope: Where }) =>
        store(context.services).writeMetadata(id, input, query, scope),
    },
    remove: { verb: 'delete' as const, allowedDescription },
  };
}
