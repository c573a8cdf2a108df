import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace, nginx } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * The /v3 contract, checked for EVERY type the schema exposes — types added later
 * are covered without touching this file. Some data is created through GraphQL
 * first so that resources, links and actions have something to show.
 */
const normanType = /^(string|password|int|float|boolean|date|enum|json|[a-z][A-Za-z0-9]*|array\[.+\]|map\[.+\]|reference\[[a-z][A-Za-z0-9]*\])$/;
const sampleValue: Record<string, string> = { null: 'true', notnull: 'true', in: 'a', notin: 'a' };

describe.each(databaseTargets)('/v3 conformance for every type on $name', (target) => {
  let server: TestApp;
  let collections: string[] = [];
  beforeAll(async () => {
    server = await startTestApp(target);
    const cluster = await server.graphql(`mutation { createCluster(input: { name: "conformance" }) { id } }`);
    await server.graphql(`mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "Conformance" }) { id } }`, {
      clusterId: cluster.data!.createCluster.id,
    });
    // A project with a namespace, a workload and a secret in it, so that those types show resources too.
    const place = await createPlace(server);
    const inNamespace = { projectId: place.projectId, namespaceId: place.namespaceId };
    await server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
      input: { ...inNamespace, kind: 'DEPLOYMENT', name: 'web', containers: [nginx] },
    });
    await server.graphql(`mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id } }`, {
      input: { ...inNamespace, name: 'token', data: { token: 'x' } },
    });
    await server.graphql(`mutation($input: CreateNamespacedBasicAuthInput!) { createNamespacedBasicAuth(input: $input) { id } }`, {
      input: { ...inNamespace, name: 'git', username: 'u', password: 'p' },
    });
    const { body: root } = await v3(server, 'GET', '/v3');
    collections = Object.keys(root.links).filter((name) => name !== 'self' && name !== 'schemas');
  });
  afterAll(() => server?.close());

  it('serves at least the foundation’s types', () => {
    expect(collections).toEqual(expect.arrayContaining(['clusters', 'projects']));
  });

  it('describes every type with well-formed fields, filters and a working collection link', async () => {
    for (const collection of collections) {
      const { status, body: schema } = await v3(server, 'GET', `/v3/schemas/${collection}`);
      expect(status, collection).toBe(200);
      expect(schema.links.collection, collection).toBe(`${server.url}/v3/${collection}`);
      for (const [name, field] of Object.entries<{ type: string; options?: string[] }>(schema.resourceFields)) {
        expect(field.type, `${collection}.${name}`).toMatch(normanType);
        if (field.type === 'enum') expect(field.options?.length, `${collection}.${name}`).toBeGreaterThan(0);
        const embedded =
          /^[a-z][A-Za-z0-9]*$/.test(field.type) && !['string', 'password', 'int', 'float', 'boolean', 'date', 'enum', 'json'].includes(field.type);
        if (embedded) expect((await v3(server, 'GET', `/v3/schemas/${field.type}`)).status, field.type).toBe(200);
      }
      for (const [name, filter] of Object.entries<{ modifiers: string[] }>(schema.collectionFilters)) {
        expect(filter.modifiers[0], `${collection}.${name}`).toBe('eq');
      }
      const { status: listStatus, body: list } = await v3(server, 'GET', new URL(schema.links.collection).pathname);
      expect(listStatus, collection).toBe(200);
      expect(list).toMatchObject({ type: 'collection', resourceType: schema.id });
    }
  });

  it('lists every schema that another schema names (embedded types, action inputs and outputs)', async () => {
    const { body } = await v3(server, 'GET', '/v3/schemas');
    const listed = new Set(body.data.map((schema: { id: string }) => schema.id));
    const builtins = new Set(['string', 'password', 'int', 'float', 'boolean', 'date', 'enum', 'json', 'intOrString']);
    const named = (type: string): string[] => {
      const inner = /^(?:array|map)\[(.+)\]$/.exec(type);
      if (inner) return named(inner[1]!);
      return type.startsWith('reference[') || builtins.has(type) ? [] : [type];
    };
    for (const schema of body.data) {
      for (const field of Object.values<{ type: string }>(schema.resourceFields))
        for (const id of named(field.type)) expect(listed.has(id), `${schema.id} → ${id}`).toBe(true);
      for (const action of [
        ...Object.values<{ input?: string; output?: string }>(schema.resourceActions),
        ...Object.values<{ input?: string; output?: string }>(schema.collectionActions),
      ]) {
        for (const id of [action.input, action.output].filter((value): value is string => Boolean(value)))
          expect(listed.has(id), `${schema.id} action → ${id}`).toBe(true);
      }
    }
  });

  it('answers every filter modifier and every sort of every type without a server error', async () => {
    for (const collection of collections) {
      const { body: schema } = await v3(server, 'GET', `/v3/schemas/${collection}`);
      for (const [field, { modifiers }] of Object.entries<{ modifiers: string[] }>(schema.collectionFilters)) {
        for (const modifier of modifiers) {
          const key = modifier === 'eq' ? field : `${field}_${modifier}`;
          const { status } = await v3(server, 'GET', `/v3/${collection}?${key}=${encodeURIComponent(sampleValue[modifier] ?? 'a')}`);
          expect([200, 422], `${collection}?${key}`).toContain(status);
        }
      }
      const { body: list } = await v3(server, 'GET', `/v3/${collection}`);
      for (const link of Object.values<string>(list.sortLinks)) {
        const url = new URL(link);
        expect((await v3(server, 'GET', `${url.pathname}${url.search}`)).status, link).toBe(200);
      }
    }
    // Hundreds of requests, more with every type: beyond the default per-test limit on a busy machine.
  }, 300_000);

  it('serves every listed resource at its self link, with working relation links', async () => {
    for (const collection of collections) {
      const { body: list } = await v3(server, 'GET', `/v3/${collection}?limit=3`);
      const { body: schema } = await v3(server, 'GET', `/v3/schemas/${collection}`);
      for (const item of list.data) {
        expect(item).toMatchObject({ type: schema.id, baseType: schema.id });
        for (const [name, link] of Object.entries<string>(item.links)) {
          const url = new URL(link);
          const { status } = await v3(server, 'GET', `${url.pathname}${url.search}`);
          expect(status, `${collection} ${item.id} ${name}`).toBe(200);
        }
        for (const name of Object.keys(item.actions ?? {})) expect(Object.keys(schema.resourceActions), name).toContain(name);
        for (const [name, field] of Object.entries<{ writeOnly?: boolean }>(schema.resourceFields)) {
          if (field.writeOnly) expect(item[name], `${collection}.${name} is write-only`).toBeUndefined();
        }
      }
    }
  });

  it('answers 404 for an unknown id and 405 for methods a type does not list', async () => {
    for (const collection of collections) {
      const { body: schema } = await v3(server, 'GET', `/v3/schemas/${collection}`);
      expect((await v3(server, 'GET', `/v3/${collection}/no-such-id`)).status, collection).toBe(404);
      expect((await v3(server, 'PATCH', `/v3/${collection}`, {})).status, collection).toBe(405);
      if (!schema.collectionMethods.includes('POST')) expect((await v3(server, 'POST', `/v3/${collection}`, {})).status, collection).toBe(405);
      const { body: list } = await v3(server, 'GET', `/v3/${collection}?limit=1`);
      const item = list.data[0];
      if (!item) continue;
      if (!schema.resourceMethods.includes('PUT')) expect((await v3(server, 'PUT', new URL(item.links.self).pathname, {})).status, collection).toBe(405);
      if (!schema.resourceMethods.includes('DELETE')) expect((await v3(server, 'DELETE', new URL(item.links.self).pathname)).status, collection).toBe(405);
    }
  });
});
