import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { upgradeStatus } from '../helpers/graphql-ws.js';
import { startInstances } from '../helpers/instances.js';
import type { Json } from '../helpers/json.js';
import { subscribe } from '../helpers/v3-subscribe.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

/** Issue 14: Rancher's /v3/subscribe across instances, in Norman's message format. */
describe.skipIf(!postgresReachable)('/v3/subscribe across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
  });
  afterAll(() => close?.());

  it('streams resource.create and resource.change with the resource as GET shows it, and pings', async () => {
    const socket = await subscribe(b, '?resourceTypes=cluster');
    const created = await a.graphql(`mutation { createCluster(input: { name: "norman-live" }) { id } }`);
    const id = created.data!.createCluster.id as string;
    let message = await socket.next();
    while (message.name === 'ping') message = await socket.next();
    expect(message.name).toBe('resource.create');
    expect(message.data).toMatchObject({ id, type: 'cluster', name: 'norman-live' });
    const get = await fetch(`${b.url}/v3/clusters/${id}`, { headers: { authorization: `Bearer ${b.token}`, accept: 'application/json' } });
    const shown = (await get.json()) as Record<string, Json>;
    expect(message.data.links).toEqual(shown.links);
    await a.graphql(`mutation($id: ID!) { updateCluster(id: $id, input: { description: "changed" }) { id } }`, { id });
    message = await socket.next();
    while (message.name === 'ping') message = await socket.next();
    expect(message).toMatchObject({ name: 'resource.change', data: { id, description: 'changed' } });
    socket.close();
  });

  it('filters by eventNames', async () => {
    const socket = await subscribe(b, '?resourceTypes=cluster&eventNames=resource.remove');
    const created = await a.graphql(`mutation { createCluster(input: { name: "norman-removed" }) { id } }`);
    const id = created.data!.createCluster.id as string;
    await a.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id });
    let message = await socket.next();
    while (message.name === 'ping') message = await socket.next();
    expect(message).toMatchObject({ name: 'resource.remove', data: { id, type: 'cluster' } });
    socket.close();
  });

  it('refuses foreign origins and missing credentials', async () => {
    expect(await upgradeStatus(b.url, '/v3/subscribe', { authorization: `Bearer ${b.token}`, origin: 'https://attacker.example' })).toBe(403);
    expect(await upgradeStatus(b.url, '/v3/subscribe', {})).toBe(401);
  });
});
