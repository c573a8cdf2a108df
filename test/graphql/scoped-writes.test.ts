import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace, nginx, type ResourcePlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';

/**
 * Writes on the factory's project resources are authorized by the scope of the write
 * itself, not by a check followed by the same read again: a delete is one statement,
 * an update or action that needs the current row reads it once, within the scope.
 */
describe.each(databaseTargets)('scoped writes on project resources on $name', (target) => {
  let server: TestApp;
  let place: ResourcePlace;
  beforeAll(async () => {
    server = await startTestApp(target);
    place = await createPlace(server);
  });
  afterAll(() => server?.close());

  const statementsOf = async (query: string, variables: Record<string, unknown>) => {
    server.queries.length = 0;
    const result = await server.graphql(query, variables);
    expect(result.errors).toBeUndefined();
    // Transaction brackets are not reads or writes of rows.
    return server.requestStatements().filter((statement) => !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(statement));
  };

  it('deletes a namespaced secret in one statement and pauses a workload with one read and one write', async () => {
    const secret = await server.graphql(`mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id } }`, {
      input: { projectId: place.projectId, namespaceId: place.namespaceId, name: 'one-shot', data: { a: 'b' } },
    });
    const deleted = await statementsOf(`mutation($id: ID!) { deleteNamespacedSecret(id: $id) { id } }`, { id: secret.data!.createNamespacedSecret.id });
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatch(/^DELETE/);

    const workload = await server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
      input: { projectId: place.projectId, namespaceId: place.namespaceId, kind: 'DEPLOYMENT', name: 'paused', containers: [nginx] },
    });
    const paused = await statementsOf(`mutation($id: ID!) { pauseWorkload(id: $id) { id paused } }`, { id: workload.data!.createWorkload.id });
    expect(paused.map((statement) => statement.split(' ')[0])).toEqual(['SELECT', 'UPDATE']);
  });

  it('re-describes a namespace in one statement', async () => {
    const updated = await statementsOf(`mutation($id: ID!) { updateNamespace(id: $id, input: { description: "once" }) { id description } }`, {
      id: place.namespaceId,
    });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatch(/^UPDATE/);
  });
});
