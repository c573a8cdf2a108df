import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

describe.each(databaseTargets)('/v3 collections on $name', (target) => {
  let server: TestApp;
  const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
  beforeAll(async () => {
    server = await startTestApp(target);
    for (const name of names) await v3(server, 'POST', '/v3/clusters', { name, description: name === 'alpha' ? 'first' : '' });
  });
  afterAll(() => server?.close());

  const namesOf = (body: { data: Array<{ name: string }> }) => body.data.map((item) => item.name);

  it('pages with limit and an opaque marker until next is absent, counting the total', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/v3/clusters?limit=2&sort=name';
    let pages = 0;
    while (path) {
      const { body }: { body: { data: Array<{ name: string }>; pagination: { total: number; limit: number; partial?: boolean; next?: string } } } = await v3(
        server,
        'GET',
        path,
      );
      pages += 1;
      seen.push(...namesOf(body));
      expect(body.pagination.total).toBe(5);
      expect(body.pagination.limit).toBe(2);
      if (body.pagination.next) {
        expect(body.pagination.partial).toBe(true);
        const next: URL = new URL(body.pagination.next);
        expect(next.searchParams.get('marker')).toBeTruthy();
        path = `${next.pathname}${next.search}`;
      } else {
        // The last page of several is partial too (Norman's reading): it links first and previous.
        expect(body.pagination.partial).toBe(true);
        path = undefined;
      }
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
  });

  it('keeps a marker valid while items are inserted before it (keyset, not offset)', async () => {
    const first = await v3(server, 'GET', '/v3/clusters?limit=2&sort=name&name_ne=aaa-early');
    await v3(server, 'POST', '/v3/clusters', { name: 'aaa-early' });
    const next = new URL(first.body.pagination.next);
    const second = await v3(server, 'GET', `${next.pathname}${next.search}`);
    expect([...namesOf(first.body), ...namesOf(second.body)]).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    await v3(server, 'DELETE', `/v3/clusters/${(await v3(server, 'GET', '/v3/clusters?name=aaa-early')).body.data[0].id}`);
  });

  it('keeps a marker valid when the item it came from is deleted', async () => {
    const { body: extra } = await v3(server, 'POST', '/v3/clusters', { name: 'bz-doomed' });
    const first = await v3(server, 'GET', '/v3/clusters?limit=2&sort=name&name_gt=b');
    expect(namesOf(first.body)).toEqual(['bravo', 'bz-doomed']);
    await v3(server, 'DELETE', `/v3/clusters/${extra.id}`);
    const next = new URL(first.body.pagination.next);
    const second = await v3(server, 'GET', `${next.pathname}${next.search}`);
    expect(namesOf(second.body)).toEqual(['charlie', 'delta']);
  });

  it('pages in descending order and by dates too', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/v3/clusters?limit=2&sort=created&order=desc';
    while (path) {
      const { body }: { body: { data: Array<{ name: string }>; pagination: { next?: string } } } = await v3(server, 'GET', path);
      seen.push(...namesOf(body));
      path = body.pagination.next ? `${new URL(body.pagination.next).pathname}${new URL(body.pagination.next).search}` : undefined;
    }
    expect(seen).toEqual([...names].reverse());
  });

  it("defaults the limit to Norman's 1000 and caps it there, which limit=-1 asks for as Norman reads it", async () => {
    expect((await v3(server, 'GET', '/v3/clusters')).body.pagination.limit).toBe(1000);
    expect((await v3(server, 'GET', '/v3/clusters?limit=5000')).body.pagination.limit).toBe(1000);
    expect((await v3(server, 'GET', '/v3/clusters?limit=nonsense')).body.pagination.limit).toBe(1000);
    const all = await v3(server, 'GET', '/v3/clusters?limit=-1');
    expect(all.body.pagination.limit).toBe(1000);
    expect(all.body.data).toHaveLength(all.body.pagination.total);
    // Rancher's CLI asks with limit=-2: Norman's default page.
    expect((await v3(server, 'GET', '/v3/clusters?limit=-2')).body.pagination.limit).toBe(1000);
    expect((await v3(server, 'GET', '/v3/clusters?limit=7')).body.pagination.limit).toBe(7);
  });

  it('answers limit=0 with no resources and the total, as Norman does', async () => {
    const { status, body } = await v3(server, 'GET', '/v3/clusters?limit=0&name_ne=alpha');
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
    expect(body.pagination).toEqual({ limit: 0, total: names.length - 1, partial: true, first: `${server.url}/v3/clusters?limit=0&name_ne=alpha` });
    // Nothing to count, nothing partial.
    expect((await v3(server, 'GET', '/v3/clusters?limit=0&name=zulu')).body.pagination).toEqual({ limit: 0, total: 0 });
  });

  it('refuses a marker that is not one of ours with a Norman error, not a 500', async () => {
    const { status, body } = await v3(server, 'GET', '/v3/clusters?marker=garbage');
    expect(status).toBe(422);
    expect(body).toEqual({
      type: 'error',
      baseType: 'error',
      status: 422,
      code: 'InvalidFormat',
      message: 'marker: not a marker of this collection',
      fieldName: 'marker',
    });
  });

  it('sorts, reverses, and links every sortable field in sortLinks and sort.links', async () => {
    const ascending = await v3(server, 'GET', '/v3/clusters?sort=name');
    expect(namesOf(ascending.body)).toEqual([...names].sort());
    expect(ascending.body.sort).toMatchObject({ order: 'asc', name: 'name' });
    expect(Object.keys(ascending.body.sortLinks)).toEqual(expect.arrayContaining(['name', 'state', 'created']));
    expect(ascending.body.sort.links).toEqual(ascending.body.sortLinks);
    // A link keeps the other parameters where they were, replaces the sort in place and drops the order.
    const { sortLinks } = (await v3(server, 'GET', '/v3/clusters?limit=2&sort=name&order=desc&name_ne=x')).body;
    expect(new URL(sortLinks.state).search).toBe('?limit=2&sort=state&name_ne=x');
    expect(new URL((await v3(server, 'GET', '/v3/clusters?limit=2')).body.sortLinks.created).search).toBe('?limit=2&sort=created');
    const reverse = new URL(ascending.body.sort.reverse);
    const descending = await v3(server, 'GET', `${reverse.pathname}${reverse.search}`);
    expect(descending.body.sort.order).toBe('desc');
    expect(namesOf(descending.body)).toEqual([...names].sort().reverse());
  });

  it.each([
    ['name=alpha', ['alpha']],
    ['name_ne=alpha', ['bravo', 'charlie', 'delta', 'echo']],
    ['name_in=alpha&name_in=echo', ['alpha', 'echo']],
    ['name_in=alpha,echo', ['alpha', 'echo']],
    ['name_notin=alpha&name_notin=echo', ['bravo', 'charlie', 'delta']],
    ['name_gt=charlie', ['delta', 'echo']],
    ['name_gte=charlie', ['charlie', 'delta', 'echo']],
    ['name_lt=bravo', ['alpha']],
    ['name_lte=bravo', ['alpha', 'bravo']],
    ['name_prefix=ch', ['charlie']],
    ['name_like=%25h%25', ['alpha', 'charlie', 'echo']],
    ['name_notlike=%25a%25', ['echo']],
    ['description=first', ['alpha']],
    ['description_null=true', []],
    ['description_notnull=true', names],
    ['state=provisioning', names],
    ['state_in=active&state_in=error', []],
    ['created_gt=2000-01-01T00:00:00Z', names],
    ['name=alpha&unknownfield=1&name_bogus=2', ['alpha']],
    // A repeated single-value filter counts its first value, as Go's url.Values.Get reads it.
    ['name=alpha&name=echo', ['alpha']],
    ['name_ne=alpha&name_ne=echo', ['bravo', 'charlie', 'delta', 'echo']],
  ])('filters with %s, echoing the filter and counting only matches', async (query, expected) => {
    const { status, body } = await v3(server, 'GET', `/v3/clusters?${query}&sort=name`);
    expect(status).toBe(200);
    expect(namesOf(body)).toEqual([...expected].sort());
    expect(body.pagination.total).toBe(expected.length);
    const [firstKey] = query.split('&')[0]!.split('=');
    const field = firstKey!.includes('_') ? firstKey!.slice(0, firstKey!.lastIndexOf('_')) : firstKey!;
    expect(body.filters[field]).not.toBeNull();
    expect('unknownfield' in body.filters).toBe(false);
  });

  it('echoes null for every filterable field that was not filtered', async () => {
    const { body } = await v3(server, 'GET', '/v3/clusters?name_ne=zulu');
    expect(body.filters).toEqual({
      created: null,
      description: null,
      driver: null,
      id: null,
      kubernetesVersion: null,
      name: [{ modifier: 'ne', value: 'zulu' }],
      state: null,
    });
  });

  it('refuses a value of the wrong type for a filter with 422, naming the field', async () => {
    const { status, body } = await v3(server, 'GET', '/v3/clusters?created_gt=yesterday');
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'InvalidDateFormat', fieldName: 'created' });
  });

  it('reads a boolean filter as the schema’s Boolean, and refuses other text with 422 naming the field', async () => {
    const active = await v3(server, 'GET', '/v3/nodeDrivers?active=true');
    expect(active.status).toBe(200);
    expect(active.body.data.length).toBeGreaterThan(0);
    expect(active.body.data.every((driver: { active: boolean }) => driver.active)).toBe(true);
    const { status, body } = await v3(server, 'GET', '/v3/nodeDrivers?active=maybe');
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'InvalidFormat', fieldName: 'active' });
  });

  it('refuses instants the database cannot store (years beyond RFC 3339’s four digits) with 422, on /v3 and GraphQL', async () => {
    for (const instant of ['-000100-01-01T00:00:00.000Z', '0000-12-31T00:00:00.000Z', '+010000-01-01T00:00:00.000Z']) {
      const { status, body } = await v3(server, 'GET', `/v3/clusters?created_gt=${encodeURIComponent(instant)}`);
      expect(status, instant).toBe(422);
      expect(body, instant).toMatchObject({ code: 'InvalidDateFormat', fieldName: 'created' });
      const result = await server.graphql(`query($at: DateTime!) { clusters(filter: { created: { gt: $at } }) { totalCount } }`, { at: instant });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', reason: 'InvalidDateFormat' });
    }
    // The ends of the range are instants like any other.
    for (const instant of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'])
      expect((await v3(server, 'GET', `/v3/clusters?created_gt=${instant}`)).status).toBe(200);
  });

  it('answers in YAML for _format=yaml or an Accept of application/yaml, and reads YAML bodies, as Norman does', async () => {
    const call = async (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => {
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? 'GET',
        body: init.body,
        headers: { authorization: `Bearer ${server.token}`, ...init.headers },
      });
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    };
    const asked = await call('/v3/clusters?sort=name&limit=2&_format=yaml');
    expect(asked).toMatchObject({ status: 200, type: 'application/yaml' });
    expect(parseYaml(asked.text)).toMatchObject({ type: 'collection', resourceType: 'cluster', data: [{ name: 'alpha' }, { name: 'bravo' }] });
    const accepted = await call('/v3/clusters/nope', { headers: { accept: 'application/yaml' } });
    expect(accepted).toMatchObject({ status: 404, type: 'application/yaml' });
    expect(parseYaml(accepted.text)).toMatchObject({ type: 'error', code: 'NotFound' });

    const yaml = { 'content-type': 'application/yaml' };
    const created = await call('/v3/clusters', {
      method: 'POST',
      headers: yaml,
      body: 'name: from-yaml\ndescription: "made in YAML"\nlabels:\n  tier: web\n__proto__:\n  polluted: true\n',
    });
    expect(created.status, created.text).toBe(201);
    expect(JSON.parse(created.text)).toMatchObject({ name: 'from-yaml', description: 'made in YAML', labels: { tier: 'web' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    for (const [body, message] of [
      ['name: [unclosed', /^the request body is not valid YAML: /],
      ['name: a\nname: b\n', /^the request body is not valid YAML: /],
      ['- name: a\n', /^the request body must be a YAML mapping$/],
      ['name: a\n---\nname: b\n', /^the request body is not valid YAML: /],
      [
        `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `l${i}: [${'*a, '.repeat(10)}*a]`).join('\n')}\n`,
        /^the request body is not valid YAML: /,
      ],
    ] as const) {
      const refused = await call('/v3/clusters', { method: 'POST', headers: yaml, body });
      expect(refused.status, body).toBe(400);
      expect(JSON.parse(refused.text), body).toMatchObject({ type: 'error', code: 'InvalidBodyContent', message: expect.stringMatching(message) });
    }
  });

  it('offers createTypes to a caller who may create', async () => {
    const { body } = await v3(server, 'GET', '/v3/clusters');
    expect(body).toMatchObject({ type: 'collection', resourceType: 'cluster', createTypes: { cluster: `${server.url}/v3/clusters` } });
  });
});
