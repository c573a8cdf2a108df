import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { v3 } from '../rest-compat/helpers.js';

describe('input validation reports every invalid field at once', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const invalid = { name: 'Not_A_Name', description: 'x'.repeat(5000), labels: { 'bad key!': 'ok' }, kubernetesVersion: '1.31' };

  it('answers one INVALID_INPUT error per field in GraphQL, each naming its field, at the mutation', async () => {
    const result = await server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`, { input: invalid });
    expect(result.data ?? null).toBeNull();
    const errors = result.errors ?? [];
    expect(errors.map((error) => error.extensions?.fieldName).sort()).toEqual(['description', 'kubernetesVersion', 'labels', 'name']);
    for (const error of errors) {
      expect(error.extensions?.code).toBe('INVALID_INPUT');
      expect(error.path).toEqual(['createCluster']);
      expect(error.message.startsWith(`${error.extensions?.fieldName}`)).toBe(true);
    }
    expect((await server.graphql(`{ clusters(filter: { name: { eq: "${invalid.name}" } }) { totalCount } }`)).data?.clusters.totalCount).toBe(0);
  });

  it('still answers one error for one invalid field', async () => {
    const result = await server.graphql(`mutation { createCluster(input: { name: "ok-name", description: "${'y'.repeat(4097)}" }) { id } }`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'description' });
  });

  it('keeps Norman’s single error on /v3, naming the first invalid field', async () => {
    const response = await v3(server, 'POST', '/v3/clusters', invalid);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ type: 'error', status: 422 });
    expect(Object.keys(invalid)).toContain(response.body.fieldName);
  });

  it('names each invalid entry of a map by its path, under the field it belongs to', async () => {
    const result = await server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`, {
      input: { name: 'ok-name', labels: { 'bad key!': 'x', 'other bad!': 'y' }, annotations: { 'no good!': 'z' } },
    });
    const errors = (result.errors ?? []).map((error) => [error.extensions?.fieldName, error.message.split(':')[0]]);
    expect(errors.sort()).toEqual([
      ['annotations', 'annotations.no good!'],
      ['labels', 'labels.bad key!'],
      ['labels', 'labels.other bad!'],
    ]);
  });

  it('gives an invalid input inside a field its path (fieldPath), map keys whole and list indexes as numbers', async () => {
    const pool = (name: string) => ({ name, quantity: 1, machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-main' } });
    const result = await server.graphql(`mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`, {
      input: { name: 'paths', labels: { 'app.kubernetes.io/bad key!': 'x' }, machinePools: [pool('ok-pool'), pool('Bad_Pool')] },
    });
    const located = (result.errors ?? []).map((error) => ({ fieldName: error.extensions?.fieldName, fieldPath: error.extensions?.fieldPath }));
    expect(located).toContainEqual({ fieldName: 'labels', fieldPath: ['labels', 'app.kubernetes.io/bad key!'] });
    expect(located).toContainEqual({ fieldName: 'machinePools', fieldPath: ['machinePools', 1, 'name'] });
    // A field's own error carries no path beyond its name.
    const plain = await server.graphql(`mutation { createCluster(input: { name: "Not_A_Name" }) { id } }`);
    expect(plain.errors?.[0]?.extensions).toEqual({ code: 'INVALID_INPUT', fieldName: 'name' });
  });
});
