import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../codegen.js';
import { configureClient, GraphQLRequestError } from '../client/fetcher.js';
import { useClustersQuery, useCreateClusterMutation } from '../client/generated/hooks.js';
import { printedSchema, schemaFile } from '../src/schema/print.js';
import { startTestApp, type TestApp } from './helpers/app.js';

describe('generated client code', () => {
  it('schema.graphql is the current schema (run `npm run codegen` after changing the schema)', async () => {
    expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
  });

  it('client/generated/hooks.ts is what codegen.ts generates now', async () => {
    const [output] = await generate({ ...config, silent: true }, false);
    expect(output?.filename).toBe('client/generated/hooks.ts');
    expect(await readFile('client/generated/hooks.ts', 'utf8')).toBe(output!.content);
  });
});

describe('generated hooks against a live server', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    configureClient({ endpoint: `${server.url}/graphql`, headers: () => ({ authorization: `Bearer ${server.token}` }) });
  });
  afterAll(() => server?.close());

  it('creates and lists clusters through the typed fetchers the hooks use', async () => {
    const created = await useCreateClusterMutation.fetcher({ input: { name: 'from-hooks', labels: { team: 'ui' } } })();
    expect(created.createCluster).toMatchObject({ name: 'from-hooks', labels: { team: 'ui' }, state: 'provisioning' });

    const listed = await useClustersQuery.fetcher({ filter: { name: { eq: 'from-hooks' } } })();
    expect(listed.clusters.totalCount).toBe(1);
    expect(listed.clusters.edges[0]?.node.projects.totalCount).toBe(0);
    expect(useClustersQuery.getKey({ first: 5 })).toEqual(['Clusters', { first: 5 }]);
  });

  it('rejects with the GraphQL error code', async () => {
    const failure = await useCreateClusterMutation.fetcher({ input: { name: 'from-hooks' } })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect((failure as GraphQLRequestError).code).toBe('CONFLICT');
  });
});
