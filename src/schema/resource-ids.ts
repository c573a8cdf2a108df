import { ApiError } from '../errors.js';
import { secretKinds } from '../project-secrets/kinds.js';

/**
 * Which GraphQL types an id may name, read from its shape. `node(id:)` and
 * `nodes(ids:)` use this to resolve any id without a base64 wrapper.
 *
 * Our ids are Rancher's (with the cluster in front where Rancher's are unique only within
 * a cluster), and Rancher's ids are unique per type, not across types: a namespace holds
 * a secret, a service and an ingress all named `web`, and all three are `c-x:apps:web`.
 * So a shape names candidates, most likely first, and a lookup reads them all and answers
 * the first that has a row the caller may see. The one answer `node(id:)` cannot give is
 * which of two rows of different types sharing one id was meant: it answers the first
 * candidate's; each type's own lookup (`service(id:)`) is exact.
 *
 * Every type implementing Node has a place here (test/graphql/node-ids.test.ts resolves
 * a row of each), except the per-kind views of workloads (`Deployment`, …), whose rows
 * `node(id:)` answers as the `Workload` they are.
 */
const projectWideSecrets = secretKinds.map((kind) => kind.typeName);
const namespacedSecrets = secretKinds.map((kind) => `Namespaced${kind.typeName}`);

const idShapes: ReadonlyArray<{ pattern: RegExp; typenames: readonly string[] }> = [
  // Project resources: `<cluster>:<kind>:<namespace>:<name>` a workload; `<cluster>:<project>:<name>`
  // a project-wide secret; `<cluster>:<namespace>:<name>` anything else kept in a namespace
  // (a namespace is never named like a project, so the two cannot meet).
  { pattern: /^c-[a-z0-9-]+:(deployment|statefulset|daemonset|cronjob|job):[a-z0-9-]+:[a-z0-9.-]+$/, typenames: ['Workload'] },
  { pattern: /^c-[a-z0-9-]+:p-[a-z0-9]+:[a-z0-9.-]+$/, typenames: projectWideSecrets },
  { pattern: /^c-[a-z0-9-]+:[a-z0-9-]+:[a-z0-9.-]+$/, typenames: ['NamespacedSecret', 'Service', 'Ingress', ...namespacedSecrets] },
  // Two parts within a cluster: a project, a role binding, a node pool, a registration
  // token — or a namespace that happens to be named like the last three.
  { pattern: /^c-[a-z0-9-]+:p-[a-z0-9]+$/, typenames: ['Project'] },
  { pattern: /^c-[a-z0-9-]+:crtb-[a-z0-9]+$/, typenames: ['ClusterRoleTemplateBinding', 'Namespace'] },
  { pattern: /^c-[a-z0-9-]+:np-[a-z0-9]+$/, typenames: ['NodePool', 'Namespace'] },
  { pattern: /^c-[a-z0-9-]+:(default-token|crt-[a-z0-9]+)$/, typenames: ['ClusterRegistrationToken', 'Namespace'] },
  // A registration token may also be named as its maker chose.
  { pattern: /^c-[a-z0-9-]+:[a-z0-9-]+$/, typenames: ['Namespace', 'ClusterRegistrationToken'] },
  { pattern: /^c-[a-z0-9-]+$/, typenames: ['Cluster'] },
  // A project's bindings live in the project's own namespace (`p-xxxxx`), as in Rancher.
  { pattern: /^p-[a-z0-9]+:prtb-[a-z0-9]+$/, typenames: ['ProjectRoleTemplateBinding'] },
  { pattern: /^u-[a-z0-9]+$/, typenames: ['User'] },
  // Cloud credentials and node templates live in Rancher's global data namespaces, and their ids say so.
  { pattern: /^cattle-global-data:cc-[a-z0-9]+$/, typenames: ['CloudCredential'] },
  { pattern: /^cattle-global-nt:nt-[a-z0-9]+$/, typenames: ['NodeTemplate'] },
  { pattern: /^token-[a-z0-9]+$/, typenames: ['Token'] },
  { pattern: /^grb-[a-z0-9]+$/, typenames: ['GlobalRoleBinding'] },
  { pattern: /^ae-[a-z0-9]+$/, typenames: ['AuditEvent'] },
  { pattern: /^nd-[a-z0-9]+$/, typenames: ['NodeDriver'] },
  // Role templates and settings are addressed by name (`cluster-owner`, `server-url`), built-in
  // node drivers by their bare name (`amazonec2`).
  { pattern: /^[a-z0-9]+([-.][a-z0-9]+)+$/, typenames: ['RoleTemplate', 'Setting'] },
  { pattern: /^[a-z0-9]+$/, typenames: ['NodeDriver', 'Setting'] },
];

export interface TypedId {
  typename: string;
  id: string;
}

/** The types an id's shape may name, most likely first; none for an id of no known shape. */
export function candidateTypesOf(id: string): TypedId[] {
  const shape = idShapes.find(({ pattern }) => pattern.test(id));
  return shape ? shape.typenames.map((typename) => ({ typename, id })) : [];
}

/** The most likely type of an id (for the relay plugin's own id arguments); NOT_FOUND for an id of no known shape. */
export function decodeResourceId(id: string): TypedId {
  const [likeliest] = candidateTypesOf(id);
  if (!likeliest) throw new ApiError('NOT_FOUND', `no resource has the id ${JSON.stringify(id)}`);
  return likeliest;
}
