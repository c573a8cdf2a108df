import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { startInstances } from '../helpers/instances.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');
const collection = '/v1/provisioning.cattle.io.clusters';
/** Several races, each from a fresh version: one lucky interleaving must not decide the test. */
const races = 5;

/**
 * Issue 14: writes conditional on a resourceVersion, racing. Two writers that read the
 * same version and write at once — on two instances of one PostgreSQL — must not both
 * win: exactly one is applied, the other is told CONFLICT (409 on /v1, the CONFLICT code
 * on GraphQL), and the object keeps the winner's change. A check-then-write outside the
 * UPDATE's own condition would let both through.
 */
describe.skipIf(!postgresReachable)('racing conditional writes', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
  });
  afterAll(() => close?.());

  const v1 = (server: TestApp, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${collection}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...init.headers },
    });
  const description = async (name: string) =>
    ((await (await v1(a, `/fleet-default/${name}`)).json()) as { metadata: { annotations: Record<string, string> } }).metadata.annotations[
      'field.cattle.io/description'
    ];

  it('two PUTs on /v1 with the same resourceVersion: one is applied, the other answers 409 Conflict', async () => {
    await a.graphql(`mutation { createCluster(input: { name: "raced-v1" }) { id } }`);
    for (let race = 0; race < races; race += 1) {
      const read = (await (await v1(b, '/fleet-default/raced-v1')).json()) as { metadata: { resourceVersion: string } };
      const put = (server: TestApp, text: string) =>
        v1(server, '/fleet-default/raced-v1', {
          method: 'PUT',
          body: JSON.stringify({
            metadata: {
              name: 'raced-v1',
              namespace: 'fleet-default',
              resourceVersion: read.metadata.resourceVersion,
              annotations: { 'field.cattle.io/description': text },
            },
          }),
        });
      const answers = await Promise.all([put(a, `a${race}`), put(b, `b${race}`)]);
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.toSorted()).toEqual([200, 409]);
      const loser = answers[statuses.indexOf(409)]!;
      expect(await loser.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409 });
      expect(await description('raced-v1')).toBe(statuses[0] === 200 ? `a${race}` : `b${race}`);
    }
  });

  it('two updateCluster(ifResourceVersion:) with the same version: one is applied, the other fails with CONFLICT', async () => {
    const id = (await a.graphql(`mutation { createCluster(input: { name: "raced-graphql" }) { id } }`)).data!.createCluster.id as string;
    for (let race = 0; race < races; race += 1) {
      const version = (await b.graphql(`query($id: ID!) { cluster(id: $id) { resourceVersion } }`, { id })).data!.cluster.resourceVersion as string;
      const update = (server: TestApp, text: string) =>
        server.graphql(
          `mutation($id: ID!, $v: String!, $d: String!) { updateCluster(id: $id, ifResourceVersion: $v, input: { description: $d }) { description } }`,
          {
            id,
            v: version,
            d: text,
          },
        );
      const answers = await Promise.all([update(a, `a${race}`), update(b, `b${race}`)]);
      const won = answers.filter((answer) => !answer.errors);
      const lost = answers.filter((answer) => answer.errors);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT' }) })]);
      const winner = won[0]!.data!.updateCluster.description as string;
      expect(winner).toBe(answers[0] === won[0] ? `a${race}` : `b${race}`);
      expect((await a.graphql(`query($id: ID!) { cluster(id: $id) { description } }`, { id })).data!.cluster.description).toBe(winner);
    }
  });
});
