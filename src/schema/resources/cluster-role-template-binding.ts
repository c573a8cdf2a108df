import { clusterPolicy } from '../../auth/policies/cluster.js';
import { clusterRoleTemplateBindingPolicy } from '../../auth/policies/cluster-role-template-binding.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import { builder } from '../builder.js';
import { StringFilter } from '../list-options.js';
import { defineResource } from './define-resource.js';
import { bindingListFields, bindingNodeFields, bindingWrites, boundUserInputFields } from './role-template.js';
import { fieldDocs } from '../field-docs.js';
import { metadataInputFields } from '../kubernetes-metadata.js';

/** Everything that makes a ClusterRoleTemplateBinding a resource: seen with its cluster, managed by those who manage its members. */

const CreateClusterBindingInput = builder.inputType('CreateClusterRoleTemplateBindingInput', {
  description: 'A user, a cluster role and the cluster to grant it on.',
  fields: (t) => ({
    clusterId: t.id({ description: fieldDocs.clusterId, required: true }),
    ...boundUserInputFields(t),
    roleTemplateId: t.id({ required: true, description: '`cluster-owner` or `cluster-member`.' }),
    ...metadataInputFields(t),
  }),
});

defineResource('ClusterRoleTemplateBinding', {
  description:
    'Grants a user a cluster role (`cluster-owner`, `cluster-member`) on one cluster. Its user and role are fixed (bind the new role, then remove the old); its labels and annotations change.',
  policy: clusterRoleTemplateBindingPolicy,
  fields: (t) => ({
    clusterId: t.exposeID('clusterId', { description: fieldDocs.clusterId }),
    cluster: t.relation('cluster', { description: 'The cluster it belongs to (what `clusterId` names).' }),
    ...bindingNodeFields(t),
  }),
  list: { ...bindingListFields, clusterId: { filter: StringFilter } },
  create: {
    input: CreateClusterBindingInput,
    description: 'Grants a cluster role; only admins and the cluster’s owners manage its members.',
    run: async (context, input, query) => {
      await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'manageMembers');
      const { clusterId, ...binding } = input;
      return context.services.clusterRoleBindings.bindOnCluster(clusterId, binding, query);
    },
  },
  ...bindingWrites('ClusterRoleTemplateBinding', 'cluster', (services) => services.clusterRoleBindings),
});
