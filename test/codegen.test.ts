import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../codegen.js';
import {
  ClustersDocument,
  configureClient,
  CreateClusterDocument,
  fetcher,
  GraphQLRequestError,
  type ClustersQuery,
  type ClustersQueryVariables,
  type CreateClusterMutation,
  type CreateClusterMutationVariables,
} from '@cattle-graph/client';
import { persistedDocuments, persistedDocumentsFile } from '../scripts/persisted-documents-manifest.js';
import { printedSchema, schemaFile } from '../src/schema/print.js';
import { startTestApp, type TestApp } from './helpers/app.js';

describe('generated client code', () => {
  it('schema.graphql is the current schema (run `npm run codegen` after changing the schema)', async () => {
    expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
  });

  it('client/src/generated/hooks.ts is what codegen.ts generates now', async () => {
    const [output] = await generate({ ...config, silent: true }, false);
    expect(output?.filename).toBe('client/src/generated/hooks.ts');
    expect(await readFile('client/src/generated/hooks.ts', 'utf8')).toBe(output!.content);
  });

  it('the persisted-documents manifest lists every operation of the client by hash', async () => {
    const manifest = JSON.parse(await readFile(persistedDocumentsFile, 'utf8')) as Record<string, string>;
    expect(manifest).toEqual(persistedDocuments());
    expect(Object.values(manifest)).toContain(String(ClustersDocument));
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
    const created = await createCluster({ input: { name: 'from-hooks', labels: { team: 'ui' } } })();
    expect(created.createCluster).toMatchObject({ name: 'from-hooks', labels: { team: 'ui' }, state: 'PROVISIONING' });

    const listed = await fetcher<ClustersQuery, ClustersQueryVariables>(ClustersDocument, { filter: { name: { eq: 'from-hooks' } } })();
    expect(listed.clusters.totalCount).toBe(1);
    expect(listed.clusters.edges[0]?.node.projects.totalCount).toBe(0);
  });

  it('rejects with the GraphQL error code', async () => {
    const failure = await createCluster({ input: { name: 'from-hooks' } })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect((failure as GraphQLRequestError).code).toBe('CONFLICT');
  });

  it('a request that never reaches a server rejects with the typed error, code NETWORK_ERROR', async () => {
    configureClient({ endpoint: 'http://127.0.0.1:1/graphql' });
    const failure = await createCluster({ input: { name: 'nowhere' } })().catch((error: unknown) => error);
    configureClient({ endpoint: `${server.url}/graphql`, headers: () => ({ authorization: `Bearer ${server.token}` }) });
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect((failure as GraphQLRequestError).code).toBe('NETWORK_ERROR');
    expect((failure as GraphQLRequestError).status).toBe(0);
  });
});

function createCluster(variables: CreateClusterMutationVariables) {
  return fetcher<CreateClusterMutation, CreateClusterMutationVariables>(CreateClusterDocument, variables);
}
