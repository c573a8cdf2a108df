import { ApiError } from '../errors.js';

/**
 * Which GraphQL type a Rancher id denotes, read from its shape. The relay `node`
 * query uses this to resolve any id without a base64 wrapper.
 */
const idShapes: ReadonlyArray<{ pattern: RegExp; typename: string }> = [
  // Rancher's project-group ids are unique only within a cluster, so ours carry the
  // cluster first (see src/services/namespaces.ts): four parts name a workload, three
  // a secret, two a namespace — unless the second is a project id, which namespaces may not take.
  { pattern: /^c-[a-z0-9-]+:(deployment|statefulset|daemonset|cronjob):[a-z0-9-]+:[a-z0-9.-]+$/, typename: 'Workload' },
  { pattern: /^c-[a-z0-9-]+:[a-z0-9-]+:[a-z0-9.-]+$/, typename: 'NamespacedSecret' },
  { pattern: /^c-[a-z0-9-]+:p-[a-z0-9]+$/, typename: 'Project' },
  { pattern: /^c-[a-z0-9-]+:[a-z0-9-]+$/, typename: 'Namespace' },
  { pattern: /^c-[a-z0-9-]+$/, typename: 'Cluster' },
  { pattern: /^u-[a-z0-9]+$/, typename: 'User' },
  // Cloud credentials live in Rancher's global data namespace, and their ids say so.
  { pattern: /^cattle-global-data:cc-[a-z0-9]+$/, typename: 'CloudCredential' },
  { pattern: /^token-[a-z0-9]+$/, typename: 'Token' },
  { pattern: /^nd-[a-z0-9]+$/, typename: 'NodeDriver' },
  // Settings are addressed by name, and their names have dashes or dots (`server-url`).
  { pattern: /^[a-z0-9]+([-.][a-z0-9]+)+$/, typename: 'Setting' },
  // Built-in node drivers are addressed by their bare name (`amazonec2`).
  { pattern: /^[a-z0-9]+$/, typename: 'NodeDriver' },
];

export function decodeResourceId(id: string): { typename: string; id: string } {
  const shape = idShapes.find(({ pattern }) => pattern.test(id));
  if (!shape) throw new ApiError('NOT_FOUND', `no resource has the id ${JSON.stringify(id)}`);
  return { typename: shape.typename, id };
}
