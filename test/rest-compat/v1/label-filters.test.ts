import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../auth/helpers.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/targets.js';
import { v3 as call, type V3Response } from '../helpers.js';

/**
 * Labels on /v1 lists: Steve's `filter=metadata.labels[key]…` (its SQL processor's label
 * semantics) and Kubernetes' `labelSelector`, both onto GraphQL's label filter, so they
 * run in SQL within what the caller may see.
 */

const collection = '/v1/provisioning.cattle.io.clusters';
type SteveObject = { metadata: { name: string } };

/** name → labels; every name starts with `l-`, so `metadata.name~l-` keeps to them. */
const clusters: Record<string, Record<string, string>> = {
  'l-prod-amd': { env: 'prod', 'kubernetes.io/arch': 'amd64', tier: 'web' },
  'l-prod-arm': { env: 'prod', 'kubernetes.io/arch': 'arm64' },
  'l-dev': { env: 'dev', tier: 'db' },
  'l-none': {},
};
const everyName = Object.keys(clusters).sort();

function list(server: Pick<TestApp, 'url'> & { token?: string }, params: Record<string, string | string[]>): Promise<V3Response> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const one of [value].flat()) query.append(name, one);
  return call(server, 'GET', `${collection}?${query}`);
}

function expectBadRequest(response: V3Response, ...mentions: string[]): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
  for (const mention of mentions) expect(response.body.message).toContain(mention);
}

describe.each(databaseTargets)('/v1 label filters on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
    for (const [name, labels] of Object.entries(clusters)) {
      const created = await call(server, 'POST', collection, { metadata: { name, namespace: 'fleet-default', labels }, spec: {} });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  });
  afterAll(() => server?.close());

  /** The names a list answers (sorted), checking that its count is of the same filtered list. */
  const names = async (params: Record<string, string | string[]>, caller: Pick<TestApp, 'url'> & { token?: string } = server) => {
    const response = await list(caller, { ...params, sort: 'metadata.name' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const found = (response.body.data as SteveObject[]).map((object) => object.metadata.name);
    expect(response.body.count).toBe(found.length);
    return found;
  };
  const mine = (params: Record<string, string | string[]>) => names({ ...params, filter: ['metadata.name~l-', ...[params.filter ?? []].flat()] });

  describe('filter=metadata.labels[…]', () => {
    it('matches a label value exactly with = and ==, and sets with in', async () => {
      expect(await mine({ filter: 'metadata.labels[env]=prod' })).toEqual(['l-prod-amd', 'l-prod-arm']);
      expect(await mine({ filter: 'metadata.labels[env]==dev' })).toEqual(['l-dev']);
      expect(await mine({ filter: 'metadata.labels[env]=pro' })).toEqual([]);
      expect(await mine({ filter: 'metadata.labels[tier] in (web,db)' })).toEqual(['l-dev', 'l-prod-amd']);
    });

    it('matches objects without the label with != and notin, as Steve’s SQL processor and Kubernetes do', async () => {
      expect(await mine({ filter: 'metadata.labels[env]!=prod' })).toEqual(['l-dev', 'l-none']);
      expect(await mine({ filter: 'metadata.labels[tier] notin (web)' })).toEqual(['l-dev', 'l-none', 'l-prod-arm']);
    });

    it('tests for a label alone with the key and !key', async () => {
      expect(await mine({ filter: 'metadata.labels[tier]' })).toEqual(['l-dev', 'l-prod-amd']);
      expect(await mine({ filter: '!metadata.labels[tier]' })).toEqual(['l-none', 'l-prod-arm']);
    });

    it('reads keys with a prefix in brackets, and simple keys dotted as Steve does', async () => {
      expect(await mine({ filter: 'metadata.labels[kubernetes.io/arch]=arm64' })).toEqual(['l-prod-arm']);
      expect(await mine({ filter: 'metadata.labels.env=dev' })).toEqual(['l-dev']);
      expect(await mine({ filter: 'metadata.labels.tier' })).toEqual(['l-dev', 'l-prod-amd']);
    });

    it('ORs values of one label within a filter, and ANDs filters', async () => {
      expect(await mine({ filter: 'metadata.labels[env]=dev,metadata.labels[env]=prod' })).toEqual(['l-dev', 'l-prod-amd', 'l-prod-arm']);
      expect(await mine({ filter: ['metadata.labels[env]=prod', 'metadata.labels[kubernetes.io/arch]!=amd64'] })).toEqual(['l-prod-arm']);
      expect(await mine({ filter: ['metadata.labels[env] in (prod,dev)', 'metadata.labels[env] in (dev)'] })).toEqual(['l-dev']);
      expect(await mine({ filter: ['metadata.labels[tier]', 'metadata.name=l-dev'] })).toEqual(['l-dev']);
    });
  });

  describe('labelSelector', () => {
    it('selects with Kubernetes’ requirements, all of which must hold', async () => {
      expect(await mine({ labelSelector: 'env=prod' })).toEqual(['l-prod-amd', 'l-prod-arm']);
      expect(await mine({ labelSelector: 'env=prod,tier!=web' })).toEqual(['l-prod-arm']);
      expect(await mine({ labelSelector: 'env==prod,kubernetes.io/arch=amd64' })).toEqual(['l-prod-amd']);
      expect(await mine({ labelSelector: 'tier in (web, db)' })).toEqual(['l-dev', 'l-prod-amd']);
      expect(await mine({ labelSelector: 'env notin (prod)' })).toEqual(['l-dev', 'l-none']);
      expect(await mine({ labelSelector: 'tier' })).toEqual(['l-dev', 'l-prod-amd']);
      expect(await mine({ labelSelector: '!tier,env' })).toEqual(['l-prod-arm']);
      expect(await mine({ labelSelector: 'env!=prod' })).toEqual(['l-dev', 'l-none']);
    });

    it('selects everything when empty, and combines with filter, paging and counts', async () => {
      expect(await mine({ labelSelector: '' })).toEqual(everyName);
      expect(await names({ labelSelector: 'env=prod', filter: 'metadata.name~arm' })).toEqual(['l-prod-arm']);
      const first = await list(server, { labelSelector: 'env=prod', filter: 'metadata.name~l-', sort: 'metadata.name', pagesize: '1' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ count: 2, pages: 2 });
      expect(first.body.data.map((object: SteveObject) => object.metadata.name)).toEqual(['l-prod-amd']);
      // The next page's link keeps the selector.
      const next = new URL(first.body.pagination.next as string);
      expect(next.searchParams.get('labelSelector')).toBe('env=prod');
      const second = await call(server, 'GET', next.pathname + next.search);
      expect(second.body.data.map((object: SteveObject) => object.metadata.name)).toEqual(['l-prod-arm']);
    });
  });

  describe('fieldSelector', () => {
    it('selects by metadata.name and metadata.namespace, every requirement holding, as Kubernetes does for a custom resource', async () => {
      expect(await names({ fieldSelector: 'metadata.name=l-dev' })).toEqual(['l-dev']);
      expect(await names({ fieldSelector: 'metadata.name==l-dev,metadata.namespace=fleet-default' })).toEqual(['l-dev']);
      expect(await mine({ fieldSelector: 'metadata.name!=l-dev' })).toEqual(everyName.filter((name) => name !== 'l-dev'));
      expect(await names({ fieldSelector: 'metadata.namespace=elsewhere' })).toEqual([]);
      expect(await mine({ fieldSelector: 'metadata.name=l-dev', labelSelector: 'env=prod' })).toEqual([]);
    });

    it('refuses any other field, or operator, in Kubernetes’ words', async () => {
      expectBadRequest(
        await list(server, { fieldSelector: 'spec.kubernetesVersion=v1.31.4+rke2r1' }),
        '"spec.kubernetesVersion" is not a known field selector',
      );
      expectBadRequest(await list(server, { fieldSelector: 'metadata.name in (a,b)' }), 'fieldSelector', '=, == or !=');
      expectBadRequest(await list(server, { fieldSelector: ['metadata.name=a', 'metadata.name=b'] }), 'fieldSelector');
    });
  });

  describe('refusals, as Kubernetes Status 400', () => {
    it('refuses keys and values no label can have', async () => {
      expectBadRequest(await list(server, { filter: 'metadata.labels[bad/key/x]=a' }), '"bad/key/x" is not a label key');
      expectBadRequest(await list(server, { filter: 'metadata.labels[env]="not ok"' }), '"not ok" is not a label value');
      expectBadRequest(await list(server, { labelSelector: 'Bad.Prefix/x=a' }), 'labelSelector', 'prefix part must be a lowercase DNS subdomain');
      expectBadRequest(await list(server, { labelSelector: `env=${'v'.repeat(64)}` }), 'labelSelector', 'no more than 63 characters');
    });

    it('refuses what it cannot answer exactly on labels, rather than ignoring it', async () => {
      expectBadRequest(await list(server, { filter: 'metadata.labels[env]~pro' }), 'metadata.labels[env]', 'substring');
      expectBadRequest(await list(server, { filter: 'metadata.labels[replicas]>1' }), 'metadata.labels[replicas]');
      expectBadRequest(await list(server, { labelSelector: 'replicas>1' }), 'labelSelector', 'replicas');
      expectBadRequest(await list(server, { filter: 'metadata.labels[env]=dev,metadata.labels[tier]=db' }), 'one field or label');
      expectBadRequest(
        await list(server, { filter: 'metadata.annotations[example.com/x]=a' }),
        'metadata.annotations[example.com/x]',
        'metadata.labels[<key>]',
      );
      expectBadRequest(await list(server, { labelSelector: 'env in (prod' }), 'labelSelector');
      expectBadRequest(await list(server, { labelSelector: ['env=prod', 'tier=web'] }), 'labelSelector');
      // Sorting by a label stays refused: GraphQL sorts by no map.
      expectBadRequest(await list(server, { sort: 'metadata.labels[env]' }), 'metadata.labels[env]');
    });

    it('refuses a bad selector on a watch with the same Status as on a list (the watch reads it with the list’s code)', async () => {
      const selectors: Array<Record<string, string | string[]>> = [
        { labelSelector: 'Bad.Prefix/x=a' },
        { labelSelector: 'env in (prod' },
        { labelSelector: 'env~prod' },
        { labelSelector: ['env=prod', 'tier=web'] },
        { fieldSelector: 'spec.kubernetesVersion=v1.31.4+rke2r1' },
        { fieldSelector: 'metadata.name in (a,b)' },
      ];
      for (const params of selectors) {
        const onList = await list(server, params);
        expectBadRequest(onList);
        const onWatch = await list(server, { ...params, watch: 'true', timeoutSeconds: '1' });
        expect(onWatch.status).toBe(400);
        expect(onWatch.body).toEqual(onList.body);
      }
    });
  });

  it('selects only among the clusters the caller may see', async () => {
    const user = await signUp(server, 'label-filters-user');
    const as = { url: server.url, token: user.token };
    const own = await call(as, 'POST', collection, { metadata: { name: 'l-users-prod', namespace: 'fleet-default', labels: { env: 'prod' } }, spec: {} });
    expect(own.status).toBe(201);
    expect(await names({ filter: 'metadata.labels[env]=prod' }, as)).toEqual(['l-users-prod']);
    expect(await names({ labelSelector: 'env!=dev' }, as)).toEqual(['l-users-prod']);
    expect(await names({ filter: '!metadata.labels[tier]' }, as)).toEqual(['l-users-prod']);
    expect(await names({ labelSelector: 'env=prod' })).toEqual(['l-prod-amd', 'l-prod-arm', 'l-users-prod']);
  });
});
