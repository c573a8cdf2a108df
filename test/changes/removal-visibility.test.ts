import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { instanceActions, startInstances } from '../helpers/instances.js';
import { subscribeSse } from '../helpers/sse.js';
import { databaseTargets } from '../helpers/targets.js';

const postgresReachable = databaseTargets.some((target) => target.name === 'postgres');

type Event = { data?: { resourceChanges: { verb: string; type: string; id: string } } };
const changesOf = (types: string) => `subscription($since: String) { resourceChanges(types: ${types}, since: $since) { verb type id } }`;

/**
 * Issue 14: a non-admin hears of a removal when they could see the object just before
 * it, even if their stream never showed it (the bindings that made it visible were
 * deleted with it, in the same transaction), and never hears of one they could not see.
 */
describe.skipIf(!postgresReachable)('removals reach exactly those who could see the object', () => {
  let a: TestApp;
  let b: TestApp;
  let close: () => Promise<void>;
  let actions: ReturnType<typeof instanceActions>;

  beforeAll(async () => {
    const started = await startInstances(2);
    [a, b] = started.instances as [TestApp, TestApp];
    close = started.close;
    actions = instanceActions(a, b, 'remover');
  });
  afterAll(() => close?.());

  const person = () => actions.person();
  const now = () => actions.now();
  const createCluster = (name: string) => actions.createCluster(name);
  const deleteCluster = (id: string) => a.graphql(`mutation($id: ID!) { deleteCluster(id: $id) { id } }`, { id });
  const bindToCluster = (clusterId: string, userId: string) =>
    a.graphql(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
      input: { clusterId, userId, roleTemplateId: 'cluster-member' },
    });
  const createProject = async (clusterId: string, name: string) =>
    (await a.graphql(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, { input: { clusterId, name } })).data!.createProject
      .id as string;
  const bindToProject = (projectId: string, userId: string) =>
    a.graphql(`mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`, {
      input: { projectId, userId, roleTemplateId: 'project-member' },
    });

  it('a cluster member and a project member hear of the cluster removal their stream never showed; an outsider hears nothing', async () => {
    const member = await person();
    const projectMember = await person();
    const outsider = await person();
    const hidden = await createCluster('removal-hidden');
    const seen = await createCluster('removal-seen');
    // Shared with the outsider only after the removals. Created before the subscription:
    // were its create in the stream, it would be judged at delivery, possibly after the
    // binding, and heard as a create (rows are read with the rights of delivery time).
    const later = await createCluster('removal-later');
    expect((await bindToCluster(seen, member.id)).errors).toBeUndefined();
    const project = await createProject(seen, 'inside');
    expect((await bindToProject(project, projectMember.id)).errors).toBeUndefined();

    // Subscribed after the last change to either cluster: nothing was shown to them yet.
    const since = await now();
    const streams = await Promise.all(
      [member, projectMember, outsider].map((who) => subscribeSse<Event>(b.url, who.token, changesOf('["Cluster"]'), { since })),
    );
    await deleteCluster(hidden);
    await deleteCluster(seen);
    // The outsider's stream: the next thing it may see is a cluster shared with it later.
    expect((await bindToCluster(later, outsider.id)).errors).toBeUndefined();
    await actions.describeCluster(later, 'now visible');

    const [memberEvent, projectMemberEvent, outsiderEvent] = await Promise.all(streams.map((stream) => stream.next()));
    for (const stream of streams) stream.close();
    expect(memberEvent?.data?.resourceChanges).toEqual({ verb: 'REMOVE', type: 'Cluster', id: seen });
    expect(projectMemberEvent?.data?.resourceChanges).toEqual({ verb: 'REMOVE', type: 'Cluster', id: seen });
    expect(outsiderEvent?.data?.resourceChanges).toEqual({ verb: 'UPDATE', type: 'Cluster', id: later });
    // Three users (three password hashes) and a dozen writes: on a loaded machine this takes longer than the default.
  }, 180_000);

  it('a project member hears of their project removal (its bindings go with it)', async () => {
    const member = await person();
    const cluster = await createCluster('project-removal');
    const project = await createProject(cluster, 'going');
    const other = await createProject(cluster, 'hidden-project');
    expect((await bindToProject(project, member.id)).errors).toBeUndefined();
    const stream = await subscribeSse<Event>(b.url, member.token, changesOf('["Project"]'), { since: await now() });
    await a.graphql(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: other });
    await a.graphql(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: project });
    const event = await stream.next();
    stream.close();
    expect(event?.data?.resourceChanges).toEqual({ verb: 'REMOVE', type: 'Project', id: project });
  });
});
