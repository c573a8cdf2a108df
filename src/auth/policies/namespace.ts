import type { Prisma } from '../../generated/prisma/client.js';
import { namespacesWhere, type ResourceVerb } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

/**
 * Namespaces: one in a project follows the project's verbs (its members read it, those
 * who manage the project's resources change it); one outside any project is the
 * cluster's, seen and changed only by those who manage the cluster's namespaces.
 */
export const namespacePolicy: ResourcePolicy<{ id: string; clusterId: string; projectId: string | null }, Prisma.NamespaceWhereInput, ResourceVerb> = {
  type: 'namespace',
  store: (services) => services.namespaces,
  where: namespacesWhere,
  rowColumns: { id: true, clusterId: true, projectId: true },
  allows: (access, namespace, verb) => access.onNamespace(namespace, verb),
};
