import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ClustersDocument } from '@cattle-graph/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { Json } from '../helpers/json.js';

describe('trusted documents (the client package’s persisted operations)', () => {
  let server: TestApp;
  const clustersText = String(ClustersDocument);
  const clustersHash = createHash('sha256').update(clustersText).digest('hex');

  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    await server.graphql(`mutation { createCluster(input: { name: "by-hash" }) { id } }`);
  });
  afterAll(() => server?.close());

  async function post(body: Record<string, unknown>) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data?: Json; errors?: Array<{ extensions?: { code?: string } }> } };
  }
  const byHash = (hash: string) => post({ variables: { first: 5 }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
  const setOnlyTrusted = (value: 'true' | 'false') =>
    server.graphql(`mutation { updateSetting(id: "graphql-trusted-documents-only", input: { value: "${value}" }) { value } }`);

  it('the published manifest maps each hash to its document', async () => {
    const manifest = JSON.parse(await readFile('client/persisted-documents.json', 'utf8')) as Record<string, string>;
    expect(manifest[clustersHash]).toBe(clustersText);
  });

  it('runs a persisted operation by hash, and still any document by default', async () => {
    const persisted = await byHash(clustersHash);
    expect(persisted.body.data.clusters.edges.map((edge: { node: { name: string } }) => edge.node.name)).toContain('by-hash');
    const text = await post({ query: '{ clusters { totalCount } }' });
    expect(text.body.data.clusters.totalCount).toBeGreaterThan(0);
  });

  it('an unknown hash gets PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const unknown = await byHash('0'.repeat(64));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('told to, refuses every other document with TRUSTED_DOCUMENTS_ONLY, without a restart', async () => {
    expect((await setOnlyTrusted('true')).errors).toBeUndefined();
    try {
      const refused = await post({ query: '{ clusters { totalCount } }' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENTS_ONLY');
      expect((await byHash(clustersHash)).body.data.clusters.totalCount).toBeGreaterThan(0);
    } finally {
      // /v3 runs its operations in process, not as GraphQL documents from outside, so an
      // admin can always turn the setting off there.
      const reset = await fetch(`${server.url}/v3/settings/graphql-trusted-documents-only`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ value: 'false' }),
      });
      expect(reset.status).toBe(200);
    }
    expect((await post({ query: '{ clusters { totalCount } }' })).status).toBe(200);
  });

  it('the setting accepts only true or false', async () => {
    const bad = await server.graphql(`mutation { updateSetting(id: "graphql-trusted-documents-only", input: { value: "yes" }) { value } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });
});
