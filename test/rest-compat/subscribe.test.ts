import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { upgradeStatus } from '../helpers/graphql-ws.js';
import { instanceActions, startInstances } from '../helpers/instances.js';
import type { Json } from '../helpers/json.js';
import { createPlace, nginx, type ResourcePlace } from '../helpers/project-resources.js';
import { type Message, subscribe } from '../helpers/v3-subscribe.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

/** Issue 14: Rancher's /v3/subscribe across instances, in Norman's message format. */
describe.skipIf(!postgresReachable)('/v3/subscribe across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;
  let place: ResourcePlace;
  let actions: ReturnType<typeof instanceActions>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
    place = await createPlace(a);
    actions = instanceActions(a, b, 'norman');
  });
  afterAll(() => close?.());

  /** Creates a workload of `kind` (its mutation's type: `Deployment`, `DaemonSet`, …) in `where` on instance A; its id. */
  async function createWorkload(kind: string, name: string, where: ResourcePlace = place): Promise<string> {
    const created = await a.graphql(`mutation($input: CreateWorkloadInput!) { create${kind}(input: $input) { id } }`, {
      input: { projectId: where.projectId, namespaceId: where.namespaceId, name, containers: [nginx] },
    });
    expect(created.errors).toBeUndefined();
    return created.data![`create${kind}`].id as string;
  }
  const relabel = async (id: string) =>
    expect(
      (await a.graphql(`mutation($id: ID!) { updateWorkload(id: $id, input: { annotations: { note: "changed" } }) { id } }`, { id })).errors,
    ).toBeUndefined();
  const deleteWorkload = async (id: string) =>
    expect((await a.graphql(`mutation($id: ID!) { deleteWorkload(id: $id) { id } }`, { id })).errors).toBeUndefined();
  /** The next message that is not a ping. */
  async function nextEvent(socket: { next(): Promise<Message> }): Promise<Message> {
    let message = await socket.next();
    while (message.name === 'ping') message = await socket.next();
    return message;
  }

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

  it('tells a resourceTypes=deployment subscriber of deployments only, each as GET on deployments shows it', async () => {
    const socket = await subscribe(b, '?resourceTypes=deployment');
    // A workload of another kind first: the deployment's message must be the first to come.
    const daemonSet = await createWorkload('DaemonSet', 'per-node');
    const deployment = await createWorkload('Deployment', 'web');
    const created = await nextEvent(socket);
    expect(created).toMatchObject({
      name: 'resource.create',
      data: { id: deployment, type: 'deployment', baseType: 'deployment', name: 'web', kind: 'Deployment' },
    });
    const get = await fetch(`${b.url}/v3/deployments/${deployment}`, { headers: { authorization: `Bearer ${b.token}`, accept: 'application/json' } });
    expect(get.status).toBe(200);
    const shown = (await get.json()) as Record<string, Json>;
    expect(created.data.links).toEqual(shown.links);
    expect(created.data.type).toBe(shown.type);
    // Changes and removals of the other kind do not come either.
    await relabel(daemonSet);
    await relabel(deployment);
    expect(await nextEvent(socket)).toMatchObject({ name: 'resource.change', data: { id: deployment, type: 'deployment', annotations: { note: 'changed' } } });
    await deleteWorkload(daemonSet);
    await deleteWorkload(deployment);
    expect(await nextEvent(socket)).toEqual({
      name: 'resource.remove',
      data: { id: deployment, type: 'deployment', baseType: 'deployment', state: 'removed', links: {} },
    });
    socket.close();
  });

  it('tells a view’s removals when only removals are asked for', async () => {
    const socket = await subscribe(b, '?resourceTypes=deployment&eventNames=resource.remove');
    const deployment = await createWorkload('Deployment', 'removed-later');
    const daemonSet = await createWorkload('DaemonSet', 'removed-first');
    await deleteWorkload(daemonSet);
    await deleteWorkload(deployment);
    expect(await nextEvent(socket)).toEqual({
      name: 'resource.remove',
      data: { id: deployment, type: 'deployment', baseType: 'deployment', state: 'removed', links: {} },
    });
    socket.close();
  });

  it('tells a view the removal of one of its rows made before the socket opened, and of no other kind’s', async () => {
    const older = await createWorkload('Deployment', 'made-before');
    const otherKind = await createWorkload('StatefulSet', 'also-made-before');
    // Removals only: whatever else the socket might still hear of the two, only their removals count here.
    const socket = await subscribe(b, '?resourceTypes=deployment&eventNames=resource.remove');
    await deleteWorkload(otherKind);
    await deleteWorkload(older);
    expect(await nextEvent(socket)).toEqual({
      name: 'resource.remove',
      data: { id: older, type: 'deployment', baseType: 'deployment', state: 'removed', links: {} },
    });
    socket.close();
  });

  it('sends a workload’s change once, as a workload, without resourceTypes, and once per type named with them', async () => {
    const everything = await subscribe(b, '');
    const both = await subscribe(b, '?resourceTypes=workload,deployment');
    const id = await createWorkload('Deployment', 'told-once');
    // A cluster created after it closes what the unfiltered socket is told of the workload.
    const cluster = await actions.createCluster('after-the-workload');
    const told: Array<[string, Json]> = [];
    for (let message = await nextEvent(everything); message.data.id !== cluster; message = await nextEvent(everything))
      if (message.data.id === id) told.push([message.name, message.data.type!]);
    expect(told).toEqual([['resource.create', 'workload']]);
    const [first, second] = [await nextEvent(both), await nextEvent(both)];
    expect([first, second].map((message) => [message.name, message.data.id, message.data.type])).toEqual([
      ['resource.create', id, 'workload'],
      ['resource.create', id, 'deployment'],
    ]);
    everything.close();
    both.close();
  });

  it('tells a deployment subscriber nothing of deployments it may not read', async () => {
    const watcher = await actions.person();
    const hidden = await createPlace(a);
    const bound = await a.graphql(`mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`, {
      input: { projectId: place.projectId, userId: watcher.id, roleTemplateId: 'project-member' },
    });
    expect(bound.errors).toBeUndefined();
    const socket = await subscribe({ url: b.url, token: watcher.token }, '?resourceTypes=deployment');
    const secret = await createWorkload('Deployment', 'not-for-the-watcher', hidden);
    await deleteWorkload(secret);
    const visible = await createWorkload('Deployment', 'for-the-watcher');
    expect(await nextEvent(socket)).toMatchObject({ name: 'resource.create', data: { id: visible, type: 'deployment' } });
    socket.close();
  });

  it('answers 404 before any socket when resourceTypes names no type it can stream, as Norman does', async () => {
    const credential = { authorization: `Bearer ${b.token}` };
    expect(await upgradeStatus(b.url, '/v3/subscribe?resourceTypes=pod', credential)).toBe(404);
    expect(await upgradeStatus(b.url, '/v3/subscribe?resourceTypes=pod,nonsense', credential)).toBe(404);
    expect(await upgradeStatus(b.url, '/v3/subscribe?resourceTypes=pod,cluster', credential)).toBe('open');
  });

  it('refuses foreign origins and missing credentials', async () => {
    expect(await upgradeStatus(b.url, '/v3/subscribe', { authorization: `Bearer ${b.token}`, origin: 'https://attacker.example' })).toBe(403);
    expect(await upgradeStatus(b.url, '/v3/subscribe', {})).toBe(401);
  });
});
