import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * What generic Norman clients rely on (issue 18): a create form built from
 * `resourceFields` works when its fields are left blank, a blank reference means
 * none, and a collection can be walked both ways with Norman's pagination links.
 */
interface Field {
  type: string;
  create?: boolean;
  required?: boolean;
  nullable?: boolean;
  default?: unknown;
  options?: string[];
  minLength?: number;
  min?: number;
}
interface Schema {
  id: string;
  collectionMethods: string[];
  resourceFields: Record<string, Field>;
  links: { collection?: string };
}

describe.each(databaseTargets)('/v3 forms and paging on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
    // Something of every kind a required reference may name.
    await createPlace(server);
  });
  afterAll(() => server?.close());

  const pathOf = (link: string) => `${new URL(link).pathname}${new URL(link).search}`;

  describe('form defaults (18.1)', () => {
    it('marks every optional settable field nullable or gives it a default', async () => {
      const { body } = await v3(server, 'GET', '/v3/schemas');
      for (const schema of body.data as Schema[]) {
        for (const [name, field] of Object.entries(schema.resourceFields)) {
          if (!field.create || field.required) continue;
          expect(field.nullable === true || field.default !== undefined, `${schema.id}.${name}`).toBe(true);
        }
      }
      const cluster = body.data.find((schema: Schema) => schema.id === 'cluster') as Schema;
      expect(cluster.resourceFields.clusterAgentCustomization).toMatchObject({ type: 'agentCustomization', nullable: true });
    });

    it('creates every type from a form whose optional fields are left blank: 201 or a field-named 422, never on a blank optional field', async () => {
      const { body } = await v3(server, 'GET', '/v3/schemas');
      const creatable = (body.data as Schema[]).filter((schema) => schema.collectionMethods.includes('POST') && schema.links.collection);
      expect(creatable.length).toBeGreaterThan(5);
      let created = 0;
      for (const schema of creatable) {
        const form: Record<string, unknown> = {};
        const filled = new Set<string>();
        for (const [name, field] of Object.entries(schema.resourceFields)) {
          if (!field.create) continue;
          if (field.default !== undefined) form[name] = field.default;
          else if (field.required) {
            form[name] = await plausibleValue(name, field);
            filled.add(name);
          } else form[name] = ''; // what an untouched form input sends
        }
        const { status, body: answer } = await v3(server, 'POST', pathOf(schema.links.collection!), form);
        if (status === 201) {
          created += 1;
          continue;
        }
        // 409: what the form names exists already (the admin already holds a role, say).
        expect([409, 422], `${schema.id}: ${JSON.stringify(answer)}`).toContain(status);
        expect(answer.fieldName, `${schema.id}: ${JSON.stringify(answer)}`).toBeTruthy();
        const topField = String(answer.fieldName).split('.')[0]!;
        // A rule across fields may still ask for one of them (MissingRequired: "give clusterId or
        // projectId"); what must never happen is a blank optional field read as a bad value.
        const leftBlank = topField in form && !filled.has(topField) && form[topField] === '';
        if (leftBlank) expect(answer.code, `${schema.id} refused an untouched optional field: ${JSON.stringify(answer)}`).toBe('MissingRequired');
      }
      // Not vacuous: the types whose required fields take any plausible value (cluster, project,
      // user, token, a binding, the basic-auth and opaque secrets) come into being from the blank
      // form; the rest need real content in a required field (a PEM chain, containers, a driver
      // config) and were refused naming that field, as checked above.
      expect(created).toBeGreaterThanOrEqual(8);
    });

    it('treats "" for an optional object field as not set, as the API UI sends it', async () => {
      const { status, body } = await v3(server, 'POST', '/v3/clusters', {
        name: 'blank-agent',
        clusterAgentCustomization: '',
        fleetAgentCustomization: '',
        machinePools: '',
        labels: '',
      });
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body.labels).toEqual({});
    });

    it('answers a value of the wrong type with InvalidFormat naming the field', async () => {
      for (const [field, value] of [
        ['labels', 'nope'],
        ['clusterAgentCustomization', 'nope'],
        ['machinePools', { a: 1 }],
        ['name', ['seven']],
        ['description', { text: 'x' }],
      ] as const) {
        const { status, body } = await v3(server, 'POST', '/v3/clusters', { name: 'wrong-types', [field]: value });
        expect(status, field).toBe(422);
        expect(body, field).toMatchObject({ type: 'error', code: 'InvalidFormat', fieldName: field });
      }
    });

    it('converts a value to its field’s type where Norman’s builder does: text from a number, a number from its digits, a boolean from its word', async () => {
      const { status, body } = await v3(server, 'POST', '/v3/clusters', {
        name: 'converted-values',
        description: 42,
        driver: 'rke2',
        kubernetesVersion: 'v1.31.4+rke2r1',
        machinePools: [
          {
            name: 'all',
            quantity: '3',
            etcdRole: 'true',
            controlPlaneRole: 'TRUE',
            workerRole: true,
            drainTimeoutSeconds: '60',
            machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-all' },
          },
        ],
        labels: { tier: 7 },
      });
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body).toMatchObject({ description: '42', labels: { tier: '7' } });
      expect(body.machinePools[0]).toMatchObject({ quantity: 3, etcdRole: true, controlPlaneRole: true, drainTimeoutSeconds: 60 });
      // What no conversion makes a value of the type is still refused, naming the field.
      for (const [field, value] of [
        ['quantity', '3.5'],
        ['quantity', 'three'],
        ['etcdRole', 'yes'],
      ] as const) {
        const pools = [{ ...body.machinePools[0], [field]: value }];
        const refused = await v3(server, 'PUT', `/v3/clusters/${body.id}`, { machinePools: pools });
        expect(refused.body, `${field}: ${value}`).toMatchObject({ status: 422, code: 'InvalidFormat', fieldName: `machinePools.0.${field}` });
      }
    });

    it('drops keys an embedded object does not have, at any depth, as Norman does', async () => {
      const { status, body } = await v3(server, 'POST', '/v3/clusters', {
        name: 'unknown-nested-keys',
        driver: 'k3s',
        kubernetesVersion: 'v1.31.4+k3s1',
        machinePools: [
          {
            name: 'all',
            quantity: 1,
            etcdRole: true,
            controlPlaneRole: true,
            workerRole: true,
            machineConfigRef: { kind: 'Amazonec2Config', name: 'nc-all', uid: 'from-another-server' },
            someFutureField: 15,
            __proto__: { isAdmin: true },
            toString: 'not a field',
          },
        ],
        clusterAgentCustomization: { appendTolerations: [{ key: 'a', operator: 'Exists', unknown: true }], someFutureField: 1 },
      });
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body.machinePools[0].machineConfigRef).toMatchObject({ kind: 'Amazonec2Config', name: 'nc-all' });
      expect(body.machinePools[0].machineConfigRef).not.toHaveProperty('uid');
      expect(body.machinePools[0]).not.toHaveProperty('someFutureField');
      expect(body.clusterAgentCustomization.appendTolerations[0]).toMatchObject({ key: 'a', operator: 'Exists' });

      // What a script does: GET, change one value, PUT the whole object back.
      const shown = (await v3(server, 'GET', `/v3/clusters/${body.id}`)).body;
      shown.machinePools[0].quantity = 2;
      const saved = await v3(server, 'PUT', `/v3/clusters/${body.id}`, shown);
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body.machinePools[0]).toMatchObject({ name: 'all', quantity: 2 });
    });

    it('names a nested field by its path when its value is wrong or missing', async () => {
      const pool = { name: 'all', quantity: 1, etcdRole: true, controlPlaneRole: true, workerRole: true, machineConfigRef: { kind: 'Amazonec2Config' } };
      const missing = await v3(server, 'POST', '/v3/clusters', {
        name: 'nested-errors',
        driver: 'k3s',
        kubernetesVersion: 'v1.31.4+k3s1',
        machinePools: [pool],
      });
      expect(missing.body).toMatchObject({ status: 422, code: 'MissingRequired', fieldName: 'machinePools.0.machineConfigRef.name' });
      const wrong = await v3(server, 'POST', '/v3/clusters', {
        name: 'nested-errors',
        driver: 'k3s',
        kubernetesVersion: 'v1.31.4+k3s1',
        machinePools: [{ ...pool, quantity: 'many', machineConfigRef: { kind: 'Amazonec2Config', name: 'nc' } }],
      });
      expect(wrong.body).toMatchObject({ status: 422, code: 'InvalidFormat', fieldName: 'machinePools.0.quantity' });
    });

    /** A value a person would type into a required field of this type. */
    async function plausibleValue(name: string, field: Field): Promise<unknown> {
      const reference = /^reference\[(.+)\]$/.exec(field.type)?.[1];
      if (reference) {
        const { body } = await v3(server, 'GET', `/v3/${reference}s?limit=1`);
        return body.data?.[0]?.id ?? 'none';
      }
      if (field.type === 'enum') return field.options![0];
      if (field.type === 'password') return 'a-long-enough-password-1';
      if (field.type === 'int' || field.type === 'float') return field.min ?? 1;
      if (field.type === 'boolean') return false;
      if (field.type.startsWith('array[')) return [];
      if (field.type.startsWith('map[')) return {};
      if (field.type === 'string') return `form-${name.toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`;
      return {};
    }
  });

  describe('blank references (18.2)', () => {
    it('stores "" for an optional reference as null, in /v3 and in GraphQL, at any depth', async () => {
      const rest = await v3(server, 'POST', '/v3/clusters', { name: 'no-credential', cloudCredentialId: '' });
      expect(rest.status).toBe(201);
      expect(rest.body.cloudCredentialId).toBeNull();

      const key = await v3(server, 'POST', '/v3/tokens', { name: 'unscoped', clusterId: '', projectId: '' });
      expect(key.status).toBe(201);
      expect(key.body).toMatchObject({ clusterId: null, projectId: null });

      const pool = {
        name: 'pool',
        quantity: 1,
        etcdRole: true,
        controlPlaneRole: true,
        workerRole: true,
        machineConfigRef: { kind: 'Amazonec2Config', name: 'nc' },
        cloudCredentialId: '',
      };
      const graphql = await server.graphql<{ createCluster: { cloudCredentialId: string | null; machinePools: Array<{ cloudCredentialId: string | null }> } }>(
        `mutation($input: CreateClusterInput!) { createCluster(input: $input) { cloudCredentialId machinePools { cloudCredentialId } } }`,
        { input: { name: 'no-credential-gql', driver: 'RKE2', kubernetesVersion: 'v1.31.4+rke2r1', cloudCredentialId: '', machinePools: [pool] } },
      );
      expect(graphql.errors).toBeUndefined();
      expect(graphql.data!.createCluster).toEqual({ cloudCredentialId: null, machinePools: [{ cloudCredentialId: null }] });

      const nested = await v3(server, 'POST', '/v3/clusters', {
        name: 'no-credential-pool',
        driver: 'rke2',
        kubernetesVersion: 'v1.31.4+rke2r1',
        machinePools: [pool],
      });
      expect(nested.status, JSON.stringify(nested.body)).toBe(201);
      expect(nested.body.machinePools[0].cloudCredentialId).toBeNull();
    });

    it('moves a namespace out of any project when the project is blank, in GraphQL too', async () => {
      const place = await createPlace(server, 'movable');
      const moved = await server.graphql<{ moveNamespace: { projectId: string | null } }>(
        `mutation($id: ID!) { moveNamespace(id: $id, input: { projectId: "" }) { projectId } }`,
        { id: place.namespaceId },
      );
      expect(moved.errors).toBeUndefined();
      expect(moved.data!.moveNamespace.projectId).toBeNull();
    });

    it('still refuses a blank required reference, naming it', async () => {
      const { status, body } = await v3(server, 'POST', '/v3/projects', { name: 'Nowhere', clusterId: '' });
      expect(status).toBe(422);
      expect(body).toMatchObject({ code: 'MissingRequired', fieldName: 'clusterId' });
    });
  });

  describe('pagination links (18.3)', () => {
    const names = ['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e', 'pg-f', 'pg-g'];
    const namesOf = (body: { data: Array<{ name: string }> }) => body.data.map((item) => item.name);
    beforeAll(async () => {
      for (const name of [...names].reverse()) await v3(server, 'POST', '/v3/clusters', { name });
    });

    it('walks a collection forwards with next and backwards with previous, with first and last on every partial page', async () => {
      const start = '/v3/clusters?limit=3&sort=name&name_prefix=pg-';
      const forwards: string[][] = [];
      let body = (await v3(server, 'GET', start)).body;
      expect(body.pagination.previous).toBeUndefined();
      for (;;) {
        forwards.push(namesOf(body));
        expect(body.pagination).toMatchObject({ limit: 3, total: 7, partial: true });
        expect(body.pagination.first).toBeTruthy();
        expect(body.pagination.last).toBeTruthy();
        if (!body.pagination.next) break;
        body = (await v3(server, 'GET', pathOf(body.pagination.next))).body;
      }
      expect(forwards).toEqual([['pg-a', 'pg-b', 'pg-c'], ['pg-d', 'pg-e', 'pg-f'], ['pg-g']]);

      const backwards: string[][] = [];
      while (body.pagination.previous) {
        body = (await v3(server, 'GET', pathOf(body.pagination.previous))).body;
        backwards.push(namesOf(body));
        // A page reached backwards leads forwards again.
        expect(body.pagination.next).toBeTruthy();
      }
      expect(backwards).toEqual([
        ['pg-d', 'pg-e', 'pg-f'],
        ['pg-a', 'pg-b', 'pg-c'],
      ]);

      const last = (await v3(server, 'GET', pathOf(body.pagination.last))).body;
      expect(namesOf(last)).toEqual(['pg-e', 'pg-f', 'pg-g']);
      expect(last.pagination.next).toBeUndefined();
      const beforeLast = (await v3(server, 'GET', pathOf(last.pagination.previous))).body;
      expect(namesOf(beforeLast)).toEqual(['pg-b', 'pg-c', 'pg-d']);
      expect(namesOf((await v3(server, 'GET', pathOf(last.pagination.first))).body)).toEqual(['pg-a', 'pg-b', 'pg-c']);
    });

    it('pages backwards in descending order too', async () => {
      const first = (await v3(server, 'GET', '/v3/clusters?limit=4&sort=name&order=desc&name_prefix=pg-')).body;
      expect(namesOf(first)).toEqual(['pg-g', 'pg-f', 'pg-e', 'pg-d']);
      const second = (await v3(server, 'GET', pathOf(first.pagination.next))).body;
      expect(namesOf(second)).toEqual(['pg-c', 'pg-b', 'pg-a']);
      expect(namesOf((await v3(server, 'GET', pathOf(second.pagination.previous))).body)).toEqual(['pg-g', 'pg-f', 'pg-e', 'pg-d']);
    });

    it('keeps markers opaque and stable: the same page links the same markers', async () => {
      const path = '/v3/clusters?limit=2&sort=name&name_prefix=pg-&marker=';
      const once = (await v3(server, 'GET', '/v3/clusters?limit=2&sort=name&name_prefix=pg-')).body;
      const again = (await v3(server, 'GET', '/v3/clusters?limit=2&sort=name&name_prefix=pg-')).body;
      expect(again.pagination).toEqual(once.pagination);
      const marker = new URL(once.pagination.next).searchParams.get('marker')!;
      expect(marker).not.toContain('pg-');
      const { status, body } = await v3(server, 'GET', `${path}~garbage`);
      expect(status).toBe(422);
      expect(body.type).toBe('error');
    });

    it('offers GraphQL clients the same keyset backwards: last and before', async () => {
      const query = `query($last: Int, $before: String) { clusters(last: $last, before: $before, filter: { name: { prefix: "pg-" } }, sort: { field: NAME }) { pageInfo { hasPreviousPage hasNextPage startCursor } edges { node { name } } } }`;
      type Answer = {
        clusters: { pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string }; edges: Array<{ node: { name: string } }> };
      };
      const end = (await server.graphql<Answer>(query, { last: 2 })).data!.clusters;
      expect(end.edges.map((edge) => edge.node.name)).toEqual(['pg-f', 'pg-g']);
      expect(end.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const before = (await server.graphql<Answer>(query, { last: 2, before: end.pageInfo.startCursor })).data!.clusters;
      expect(before.edges.map((edge) => edge.node.name)).toEqual(['pg-d', 'pg-e']);
    });
  });
});
