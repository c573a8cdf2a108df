import type { Prisma, ProjectSecretKind } from '../../generated/prisma/client.js';
import { projectSecretsWhere, type ResourceVerb } from '../visibility.js';
import type { ResourcePolicy } from './policy.js';

type ProjectSecretRow = {
  id: string;
  namespace: { clusterId: string; projectId: string | null } | null;
  projectScope: { id: string; clusterId: string } | null;
};

/**
 * The policy of one typed project secret type (a kind, project-wide or namespaced): a
 * namespaced secret follows its namespace, a project-wide one its project. The kind is
 * part of the rule, so a `certificate(id)` never answers another kind's row.
 */
export function projectSecretPolicy(
  type: string,
  kind: ProjectSecretKind,
  namespaced: boolean,
): ResourcePolicy<ProjectSecretRow, Prisma.ProjectSecretWhereInput, ResourceVerb> {
  return {
    type,
    store: (services) => services.projectSecrets,
    where: (principal, verb) => projectSecretsWhere(principal, verb, kind, namespaced),
    rowColumns: { id: true, namespace: { select: { clusterId: true, projectId: true } }, projectScope: { select: { id: true, clusterId: true } } },
    allows: (access, secret, verb) => {
      if (secret.namespace) return access.onNamespace(secret.namespace, verb);
      return secret.projectScope ? access.onProject(secret.projectScope, verb) : false;
    },
  };
}
