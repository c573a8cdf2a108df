import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { v3 } from './helpers.js';

describe('/v3/openapi.json', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const { status, body } = await v3(server, 'GET', '/v3/openapi.json');
    expect(status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every collection the API serves, with the methods its schema lists', async () => {
    const { body } = await v3(server, 'GET', '/v3/openapi.json');
    const { body: root } = await v3(server, 'GET', '/v3');
    const collections = Object.keys(root.links).filter((name) => name !== 'self' && name !== 'schemas');
    for (const collection of collections) {
      const { body: schema } = await v3(server, 'GET', `/v3/schemas/${collection}`);
      const list = body.paths[`/v3/${collection}`];
      const item = body.paths[`/v3/${collection}/{id}`];
      expect(Object.keys(list).includes('post'), collection).toBe(schema.collectionMethods.includes('POST'));
      expect(Object.keys(item).includes('put'), collection).toBe(schema.resourceMethods.includes('PUT'));
      expect(Object.keys(item).includes('delete'), collection).toBe(schema.resourceMethods.includes('DELETE'));
      const filterNames = list.get.parameters.map((parameter: { name: string }) => parameter.name);
      for (const [field, { modifiers }] of Object.entries<{ modifiers: string[] }>(schema.collectionFilters)) {
        for (const modifier of modifiers) expect(filterNames).toContain(modifier === 'eq' ? field : `${field}_${modifier}`);
      }
    }
    expect(body.components.schemas.clusterCreate.required).toEqual(['name']);
  });
});
