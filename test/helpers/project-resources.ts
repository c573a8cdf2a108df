import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import type { DatabaseTarget } from './targets.js';

/** A cluster with a project and a namespace in it, made by the admin: where project resources live. */
export interface ResourcePlace {
  clusterId: string;
  projectId: string;
  namespaceId: string;
}

let counter = 0;

export async function createPlace(server: Pick<TestApp, 'graphql'>, namespace = 'apps'): Promise<ResourcePlace> {
  counter += 1;
  const must = async (query: string, variables: Record<string, unknown>) => {
    const result = await server.graphql(query, variables);
    if (result.errors) throw new Error(`setup failed: ${JSON.stringify(result.errors)}`);
    return result.data!;
  };
  const clusterId = (
    await must(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name: `place-${counter}-${Date.now().toString(36)}` })
  ).createCluster.id as string;
  const projectId = (await must(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "Apps" }) { id } }`, { clusterId }))
    .createProject.id as string;
  const namespaceId = (
    await must(`mutation($projectId: ID!, $name: String!) { createNamespace(input: { projectId: $projectId, name: $name }) { id } }`, {
      projectId,
      name: namespace,
    })
  ).createNamespace.id as string;
  return { clusterId, projectId, namespaceId };
}

/** A small valid container. */
export const nginx = { name: 'web', image: 'nginx:1.27' };

/**
 * For a suite about project resources: a server on `target` with one place in it,
 * started before and closed after the suite. Read `server` and `place` inside tests.
 */
export function serverWithPlace(target: DatabaseTarget): { server: TestApp; place: ResourcePlace } {
  const suite = {} as { server: TestApp; place: ResourcePlace };
  beforeAll(async () => {
    suite.server = await startTestApp(target);
    suite.place = await createPlace(suite.server);
  });
  afterAll(() => suite.server?.close());
  return suite;
}
