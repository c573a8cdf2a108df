import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/targets.js';
import { v3 as call, type V3Response } from '../helpers.js';
import { signUp } from '../../auth/helpers.js';

/** Steve's list parameters on /v1: filter, sort, pagesize and page, over what the caller may see. */

const collection = '/v1/provisioning.cattle.io.clusters';
type SteveObject = { id: string; metadata: { name: string; creationTimestamp: string }; spec: { kubernetesVersion?: string }; status: { clusterName: string } };

const rke2 = 'v1.31.4+rke2r1';
const k3s = 'v1.30.8+k3s1';
/** name → version and description; names chosen to sort alike in every collation. */
const clusters: Record<string, { version: string; description?: string }> = {
  prod: { version: rke2, description: 'the real thing' },
  preprod: { version: rke2 },
  'prod-eu': { version: k3s, description: 'the real thing, in Europe' },
  staging: { version: k3s },
  dev: { version: rke2 },
};

/** GET the collection with these query parameters (each value encoded; repeat a name with an array). */
function list(server: Pick<TestApp, 'url'> & { token?: string }, params: Record<string, string | string[]>): Promise<V3Response> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const one of [value].flat()) query.append(name, one);
  return call(server, 'GET', `${collection}?${query}`);
}

const namesOf = (response: V3Response) => (response.body.data as SteveObject[]).map((object) => object.metadata.name);

/** A link the server handed out, as a path to GET. */
const pathOf = (link: string) => {
  const url = new URL(link);
  return url.pathname + url.search;
};

function expectBadRequest(response: V3Response, ...mentions: string[]): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
  for (const mention of mentions) expect(response.body.message).toContain(mention);
}

describe.each(databaseTargets)('/v1 list parameters on $name', (target) => {
  let server: TestApp;
  let all: string[];
  beforeAll(async () => {
    server = await startTestApp(target);
    for (const [name, { version, description }] of Object.entries(clusters)) {
      const created = await call(server, 'POST', collection, {
        metadata: {
          name,
          namespace: 'fleet-default',
          labels: { env: name },
          ...(description ? { annotations: { 'field.cattle.io/description': description } } : {}),
        },
        spec: { kubernetesVersion: version, rkeConfig: {} },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    all = namesOf(await call(server, 'GET', collection));
    expect(all).toEqual(expect.arrayContaining(Object.keys(clusters)));
  });
  afterAll(() => server?.close());

  describe('filter', () => {
    it('matches a name exactly, so data[0] is the cluster asked for', async () => {
      const named = await list(server, { filter: 'metadata.name=prod' });
      expect(named.status).toBe(200);
      expect(named.body.data.map((object: SteveObject) => object.id)).toEqual(['fleet-default/prod']);
      expect(named.body.count).toBe(1);
      expect(namesOf(await list(server, { filter: 'metadata.name==prod' }))).toEqual(['prod']);
      expect(namesOf(await list(server, { filter: 'metadata.name=nothing-by-this-name' }))).toEqual([]);
    });

    it('matches substrings with ~, and negates with != and !~', async () => {
      expect(namesOf(await list(server, { filter: 'metadata.name~prod' })).sort()).toEqual(['preprod', 'prod', 'prod-eu']);
      expect(namesOf(await list(server, { filter: 'metadata.name!=prod' })).sort()).toEqual(all.filter((name) => name !== 'prod').sort());
      expect(namesOf(await list(server, { filter: 'metadata.name!~prod' })).sort()).toEqual(all.filter((name) => !name.includes('prod')).sort());
    });

    it('ORs the requirements of one filter and ANDs repeated filters', async () => {
      expect(namesOf(await list(server, { filter: 'metadata.name=prod,metadata.name=dev' })).sort()).toEqual(['dev', 'prod']);
      expect(namesOf(await list(server, { filter: 'metadata.name in (prod, dev, nowhere)' })).sort()).toEqual(['dev', 'prod']);
      expect(namesOf(await list(server, { filter: 'metadata.name notin (prod,dev)' })).sort()).toEqual(
        all.filter((name) => !['prod', 'dev'].includes(name)).sort(),
      );
      expect(namesOf(await list(server, { filter: ['metadata.name~prod', `spec.kubernetesVersion=${rke2}`] })).sort()).toEqual(['preprod', 'prod']);
      expect(namesOf(await list(server, { filter: ['metadata.name=prod', 'metadata.name=dev'] }))).toEqual([]);
    });

    it('filters on the other mapped fields: the version, the description annotation, id and status.clusterName', async () => {
      expect(namesOf(await list(server, { filter: `spec.kubernetesVersion=${k3s}` })).sort()).toEqual(['prod-eu', 'staging']);
      expect(namesOf(await list(server, { filter: 'spec.kubernetesVersion~k3s' })).sort()).toEqual(['prod-eu', 'staging']);
      expect(namesOf(await list(server, { filter: 'metadata.annotations[field.cattle.io/description]~Europe' }))).toEqual(['prod-eu']);
      expect(namesOf(await list(server, { filter: "metadata.annotations[field.cattle.io/description]='the real thing'" }))).toEqual(['prod']);
      expect(namesOf(await list(server, { filter: 'id=fleet-default/staging' }))).toEqual(['staging']);
      expect(namesOf(await list(server, { filter: 'id=elsewhere/staging' }))).toEqual([]);
      const dev = (await call(server, 'GET', `${collection}/fleet-default/dev`)).body as SteveObject;
      expect(namesOf(await list(server, { filter: `status.clusterName=${dev.status.clusterName}` }))).toEqual(['dev']);
      // The instant as shown, compared as an instant.
      expect(namesOf(await list(server, { filter: `metadata.creationTimestamp=${dev.metadata.creationTimestamp}` }))).toContain('dev');
    });

    it('answers the namespace every object is in, and projectsornamespaces by it', async () => {
      expect(namesOf(await list(server, { filter: 'metadata.namespace=fleet-default' })).sort()).toEqual([...all].sort());
      const none = await list(server, { filter: 'metadata.namespace=fleet-local' });
      expect(none.body.data).toEqual([]);
      expect(none.body.count).toBe(0);
      expect(namesOf(await list(server, { filter: 'metadata.namespace=fleet-local,metadata.name=dev' }))).toEqual(['dev']);
      expect(namesOf(await list(server, { projectsornamespaces: 'fleet-default,p-abcde' })).sort()).toEqual([...all].sort());
      expect(namesOf(await list(server, { projectsornamespaces: 'p-abcde' }))).toEqual([]);
      expect(namesOf(await list(server, { 'projectsornamespaces!': 'fleet-default' }))).toEqual([]);
    });
  });

  describe('sort', () => {
    it('sorts by name ascending and, with -, descending', async () => {
      const ascending = await list(server, { sort: 'metadata.name' });
      expect(namesOf(ascending)).toEqual([...all].sort());
      expect(namesOf(await list(server, { sort: '-metadata.name' }))).toEqual([...all].sort().reverse());
      // A key after a unique one changes nothing, and is taken.
      expect(namesOf(await list(server, { sort: '-metadata.name,metadata.creationTimestamp' }))).toEqual([...all].sort().reverse());
    });

    it('sorts by creation time and by version, with the filter applied', async () => {
      const newestFirst = (await list(server, { sort: '-metadata.creationTimestamp' })).body.data as SteveObject[];
      const times = newestFirst.map((object) => Date.parse(object.metadata.creationTimestamp));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const oldestFirst = (await list(server, { sort: 'metadata.creationTimestamp' })).body.data as SteveObject[];
      expect(oldestFirst.map((object) => Date.parse(object.metadata.creationTimestamp))).toEqual([...times].sort((a, b) => a - b));

      const byVersion = (await list(server, { sort: '-spec.kubernetesVersion', filter: 'metadata.name~prod' })).body.data as SteveObject[];
      expect(byVersion.map((object) => object.spec.kubernetesVersion)).toEqual([rke2, rke2, k3s]);
      expect(byVersion.map((object) => object.metadata.name).sort()).toEqual(['preprod', 'prod', 'prod-eu']);
    });
  });

  describe('pagesize and page', () => {
    it('walks every page by its links: no object twice, none missed, in the order asked', async () => {
      const first = await list(server, { pagesize: '2', sort: 'metadata.name' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ count: all.length, pages: Math.ceil(all.length / 2), pagination: { pageSize: 2, page: 1, partial: true } });
      expect(first.body.pagination.previous).toBeUndefined();
      const seen: string[] = [];
      let page = first;
      for (let number = 1; ; number += 1) {
        expect(page.body.pagination.page).toBe(number);
        expect(page.body.data.length).toBe(Math.min(2, all.length - seen.length));
        seen.push(...namesOf(page));
        if (!page.body.pagination.next) break;
        page = await call(server, 'GET', pathOf(page.body.pagination.next));
      }
      expect(seen).toEqual([...all].sort());
      expect(page.body.pagination.page).toBe(first.body.pages);
      expect(new URL(page.body.pagination.previous).searchParams.get('page')).toBe(String(first.body.pages - 1));
    });

    it('pages a filtered, sorted list by number, and answers an empty page beyond the last', async () => {
      const pages = await Promise.all(
        [1, 2, 3].map((number) => list(server, { filter: 'metadata.name~prod', sort: '-metadata.name', pagesize: '1', page: String(number) })),
      );
      expect(pages.map(namesOf)).toEqual([['prod-eu'], ['prod'], ['preprod']]);
      for (const page of pages) expect(page.body).toMatchObject({ count: 3, pages: 3 });
      expect(new URL(pages[1]!.body.pagination.next).searchParams.getAll('filter')).toEqual(['metadata.name~prod']);

      const beyond = await list(server, { filter: 'metadata.name~prod', pagesize: '2', page: '9' });
      expect(beyond.status).toBe(200);
      expect(beyond.body.data).toEqual([]);
      expect(beyond.body).toMatchObject({ count: 3, pages: 2, pagination: { page: 9, pageSize: 2 } });
      expect(new URL(beyond.body.pagination.previous).searchParams.get('page')).toBe('2');

      const whole = await list(server, { pagesize: '1000' });
      expect(namesOf(whole).sort()).toEqual([...all].sort());
      expect(whole.body).toMatchObject({ pages: 1, pagination: { partial: false } });
    });

    it('keeps the filter on continue links', async () => {
      const seen: string[] = [];
      let page = await list(server, { filter: 'metadata.name~prod', limit: '1' });
      for (;;) {
        seen.push(...namesOf(page));
        if (!page.body.pagination) break;
        page = await call(server, 'GET', pathOf(page.body.pagination.next));
      }
      expect(seen.sort()).toEqual(['preprod', 'prod', 'prod-eu']);
    });
  });

  describe('refusals, as Kubernetes Status 400', () => {
    it('refuses bad page parameters and ambiguous combinations', async () => {
      expectBadRequest(await list(server, { pagesize: '0' }), 'pagesize');
      expectBadRequest(await list(server, { pagesize: 'abc' }), 'pagesize');
      expectBadRequest(await list(server, { pagesize: '2', page: 'abc' }), 'page');
      expectBadRequest(await list(server, { pagesize: '2', page: '0' }), 'page');
      expectBadRequest(await list(server, { page: '2' }), 'pagesize');
      expectBadRequest(await list(server, { pagesize: '2', limit: '2' }), 'limit');
      expectBadRequest(await list(server, { pagesize: '2', continue: 'abc' }), 'continue');
    });

    it('refuses sorting by what cannot be sorted, naming it', async () => {
      expectBadRequest(await list(server, { sort: 'metadata.labels[env]' }), 'metadata.labels[env]');
      expectBadRequest(await list(server, { sort: 'spec.nothing' }), 'spec.nothing');
      expectBadRequest(await list(server, { sort: 'spec.kubernetesVersion,metadata.name' }), 'metadata.name');
      expectBadRequest(await list(server, { sort: ['metadata.name', '-metadata.name'] }), 'sort');
    });

    it('refuses filters it cannot answer exactly, naming the path, rather than ignoring them', async () => {
      expectBadRequest(await list(server, { filter: 'status.ready=true' }), 'status.ready');
      expectBadRequest(await list(server, { filter: 'spec.nothing=1' }), 'spec.nothing');
      expectBadRequest(await list(server, { filter: 'metadata.name~prod,spec.kubernetesVersion~k3s' }), 'metadata.name~prod,spec.kubernetesVersion~k3s');
      expectBadRequest(await list(server, { filter: 'metadata.creationTimestamp~2024' }), 'metadata.creationTimestamp');
      expectBadRequest(await list(server, { filter: 'metadata.creationTimestamp=yesterday' }), 'metadata.creationTimestamp');
      expectBadRequest(await list(server, { filter: 'metadata.name=' }), 'metadata.name=');
      expectBadRequest(await list(server, { filter: ['metadata.name=prod', 'status.ready=true'] }), 'status.ready');
    });

    it('refuses the list parameters a watch does not take (all but labelSelector, fieldSelector and the ignored limit), naming them', async () => {
      const watch = (params: Record<string, string>) => list(server, { watch: 'true', timeoutSeconds: '1', labelSelector: 'env=prod', ...params });
      expectBadRequest(await watch({ filter: 'metadata.name=prod' }), 'filter', 'not supported with watch=true');
      expectBadRequest(await watch({ sort: 'metadata.name' }), 'sort');
      expectBadRequest(await watch({ pagesize: '1', page: '2' }), 'pagesize, page');
      expectBadRequest(await watch({ projectsornamespaces: 'fleet-default' }), 'projectsornamespaces');
      expectBadRequest(await watch({ 'projectsornamespaces!': 'other' }), 'projectsornamespaces!');
      expectBadRequest(await watch({ continue: 'abc' }), 'continue');
    });

    it('refuses a continue token from another order', async () => {
      const byName = await list(server, { limit: '1', sort: 'metadata.name' });
      expectBadRequest(await list(server, { limit: '1', sort: '-metadata.creationTimestamp', continue: byName.body.continue }), 'continue');
    });
  });

  describe('what the caller may see', () => {
    it('filters, counts and pages only the clusters the caller may see', async () => {
      const user = await signUp(server, 'list-parameters-user');
      const as = { url: server.url, token: user.token };
      const own = await call(as, 'POST', collection, { metadata: { name: 'users-prod', namespace: 'fleet-default' }, spec: {} });
      expect(own.status).toBe(201);

      const others = await list(as, { filter: 'metadata.name=prod' });
      expect(others.status).toBe(200);
      expect(others.body.data).toEqual([]);
      expect(others.body.count).toBe(0);

      const mine = await list(as, { filter: 'metadata.name~prod', pagesize: '1' });
      expect(namesOf(mine)).toEqual(['users-prod']);
      expect(mine.body).toMatchObject({ count: 1, pages: 1 });
      expect(mine.body.pagination.next).toBeUndefined();
      expect((await list(as, { filter: 'metadata.name~prod', pagesize: '1', page: '2' })).body.data).toEqual([]);
      expect(namesOf(await list(as, { filter: 'metadata.name in (prod,preprod,users-prod)', sort: '-metadata.name' }))).toEqual(['users-prod']);
    });
  });
});
