import { describe, expect, it } from 'vitest';
import { createPlace, nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';

const fields = `id kind name namespaceId projectId replicas schedule paused labels annotations selector { matchLabels } generation availableActions
  containers { name image command args env { name value } ports { containerPort protocol name } resources { requests { cpu memory } limits { cpu memory } } }`;

describe.each(databaseTargets)('workloads through GraphQL on $name', (target) => {
  const suite = serverWithPlace(target);

  const create = (input: Record<string, unknown>) =>
    suite.server.graphql(`mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { ${fields} } }`, {
      input: { projectId: suite.place.projectId, namespaceId: suite.place.namespaceId, ...input },
    });
  const errorOf = async (input: Record<string, unknown>) => (await create(input)).errors?.[0]?.extensions;

  it('creates a Deployment with Rancher’s id behind the cluster, default replicas and a selector from its labels', async () => {
    const container = {
      ...nginx,
      command: ['nginx'],
      args: ['-g', 'daemon off;'],
      env: [{ name: 'MODE', value: 'prod' }],
      ports: [{ containerPort: 80, name: 'http' }],
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    };
    const result = await create({ kind: 'DEPLOYMENT', name: 'web', containers: [container], labels: { app: 'web' } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createWorkload).toMatchObject({
      id: `${suite.place.clusterId}:deployment:apps:web`,
      kind: 'DEPLOYMENT',
      replicas: 1,
      schedule: null,
      paused: false,
      selector: { matchLabels: { app: 'web' } },
      generation: 1,
      availableActions: ['redeploy', 'pause'],
      containers: [{ ...container, ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }],
    });
    const node = await suite.server.graphql(`query($id: ID!) { node(id: $id) { __typename } }`, { id: `${suite.place.clusterId}:deployment:apps:web` });
    expect(node.data!.node).toEqual({ __typename: 'Workload' });
  });

  it('creates each kind with the fields that belong to it', async () => {
    const made = await Promise.all([
      create({ kind: 'STATEFUL_SET', name: 'db', containers: [nginx], replicas: 3 }),
      create({ kind: 'DAEMON_SET', name: 'agent', containers: [nginx] }),
      create({ kind: 'CRON_JOB', name: 'backup', containers: [nginx], schedule: '*/15 * * * *' }),
      create({ kind: 'CRON_JOB', name: 'nightly', containers: [nginx], schedule: '@daily' }),
    ]);
    expect(made.map((result) => result.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(made.map((result) => [result.data!.createWorkload.id, result.data!.createWorkload.replicas, result.data!.createWorkload.schedule])).toEqual([
      [`${suite.place.clusterId}:statefulset:apps:db`, 3, null],
      [`${suite.place.clusterId}:daemonset:apps:agent`, null, null],
      [`${suite.place.clusterId}:cronjob:apps:backup`, null, '*/15 * * * *'],
      [`${suite.place.clusterId}:cronjob:apps:nightly`, null, '@daily'],
    ]);
    expect(made[0]!.data!.createWorkload.selector).toEqual({ matchLabels: { app: 'db' } });
  });

  it('refuses fields that do not fit the kind, naming the field', async () => {
    expect(await errorOf({ kind: 'DAEMON_SET', name: 'x1', containers: [nginx], replicas: 2 })).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'replicas' });
    expect(await errorOf({ kind: 'CRON_JOB', name: 'x2', containers: [nginx], replicas: 2, schedule: '@hourly' })).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'replicas',
    });
    expect(await errorOf({ kind: 'CRON_JOB', name: 'x3', containers: [nginx] })).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'schedule',
      reason: 'MissingRequired',
    });
    expect(await errorOf({ kind: 'DEPLOYMENT', name: 'x4', containers: [nginx], schedule: '@hourly' })).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'schedule',
    });
  });

  it('validates names, containers, quantities, cron syntax and the selector', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'Bad_Name', containers: [nginx] }, 'name'],
      [{ name: 'x5', containers: [] }, 'containers'],
      [{ name: 'x6', containers: [{ name: 'web', image: '' }] }, 'containers'],
      [{ name: 'x7', containers: [nginx, nginx] }, 'containers'],
      [{ name: 'x8', containers: [{ ...nginx, resources: { limits: { cpu: 'lots' } } }] }, 'containers'],
      [{ name: 'x9', containers: [{ ...nginx, resources: { requests: { memory: '1 Gi' } } }] }, 'containers'],
      [{ name: 'x10', containers: [{ ...nginx, ports: [{ containerPort: 70000 }] }] }, 'containers'],
      [{ name: 'x11', containers: [{ ...nginx, env: [{ name: '1BAD' }] }] }, 'containers'],
      [{ name: 'x12', containers: [nginx], replicas: -1 }, 'replicas'],
      [{ name: 'x13', containers: [nginx], labels: { app: 'a' }, selector: { matchLabels: { app: 'b' } } }, 'selector'],
    ];
    for (const [input, fieldName] of cases)
      expect(await errorOf({ kind: 'DEPLOYMENT', ...input }), JSON.stringify(input)).toMatchObject({ code: 'INVALID_INPUT', fieldName });
    for (const schedule of ['61 * * * *', '* * *', '@sometimes', 'every day']) {
      expect(await errorOf({ kind: 'CRON_JOB', name: 'cron-bad', containers: [nginx], schedule }), schedule).toMatchObject({
        code: 'INVALID_INPUT',
        fieldName: 'schedule',
      });
    }
  });

  it('refuses a namespace outside the project and a duplicate name of the same kind', async () => {
    const other = await createPlace(suite.server);
    expect(await errorOf({ kind: 'DEPLOYMENT', name: 'web', containers: [nginx], namespaceId: other.namespaceId })).toMatchObject({
      code: 'INVALID_INPUT',
      fieldName: 'namespaceId',
      reason: 'InvalidReference',
    });
    expect(await errorOf({ kind: 'DEPLOYMENT', name: 'web', containers: [nginx] })).toMatchObject({ code: 'CONFLICT', fieldName: 'name' });
    expect((await create({ kind: 'STATEFUL_SET', name: 'web', containers: [nginx] })).errors).toBeUndefined();
  });

  it('lists, filters and sorts workloads, and lists them under their project', async () => {
    const result = await suite.server.graphql(
      `query($p: String!, $projectId: ID!) {
        cronJobs: workloads(filter: { projectId: { eq: $p }, kind: { eq: CRON_JOB } }, sort: { field: NAME, order: DESC }) { totalCount edges { node { name } } }
        all: workloads(filter: { projectId: { eq: $p } }) { totalCount }
        project(id: $projectId) { workloads { totalCount } }
      }`,
      { p: suite.place.projectId, projectId: suite.place.projectId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.cronJobs.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['nightly', 'backup']);
    expect(result.data!.all.totalCount).toBe(6);
    expect(result.data!.project.workloads.totalCount).toBe(6);
  });

  it('updates the spec, bumping the generation, and keeps the selector matching', async () => {
    const id = `${suite.place.clusterId}:deployment:apps:web`;
    const updated = await suite.server.graphql(
      `mutation($id: ID!) { updateWorkload(id: $id, input: { replicas: 4, containers: [{ name: "web", image: "nginx:1.28" }] }) { replicas generation containers { image } } }`,
      { id },
    );
    expect(updated.data!.updateWorkload).toEqual({ replicas: 4, generation: 2, containers: [{ image: 'nginx:1.28' }] });
    const unmatched = await suite.server.graphql(`mutation($id: ID!) { updateWorkload(id: $id, input: { labels: { other: "x" } }) { id } }`, { id });
    expect(unmatched.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'selector' });
    const scheduled = await suite.server.graphql(`mutation($id: ID!) { updateWorkload(id: $id, input: { schedule: "@daily" }) { id } }`, { id });
    expect(scheduled.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'schedule' });
  });

  it('redeploys, pauses and resumes a Deployment as stored state changes; other kinds only redeploy', async () => {
    const id = `${suite.place.clusterId}:deployment:apps:web`;
    const redeployed = await suite.server.graphql(`mutation($id: ID!) { redeployWorkload(id: $id) { generation annotations } }`, { id });
    expect(redeployed.data!.redeployWorkload.generation).toBe(3);
    expect(Date.parse(redeployed.data!.redeployWorkload.annotations['cattle.io/timestamp'])).not.toBeNaN();
    const paused = await suite.server.graphql(`mutation($id: ID!) { pauseWorkload(id: $id) { paused availableActions } }`, { id });
    expect(paused.data!.pauseWorkload).toEqual({ paused: true, availableActions: ['redeploy', 'resume'] });
    expect((await suite.server.graphql(`mutation($id: ID!) { pauseWorkload(id: $id) { id } }`, { id })).errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const resumed = await suite.server.graphql(`mutation($id: ID!) { resumeWorkload(id: $id) { paused } }`, { id });
    expect(resumed.data!.resumeWorkload).toEqual({ paused: false });
    const daemon = `${suite.place.clusterId}:daemonset:apps:agent`;
    expect((await suite.server.graphql(`mutation($id: ID!) { pauseWorkload(id: $id) { id } }`, { id: daemon })).errors?.[0]?.extensions?.code).toBe(
      'INVALID_STATE',
    );
    expect((await suite.server.graphql(`query($id: ID!) { workload(id: $id) { availableActions } }`, { id: daemon })).data!.workload.availableActions).toEqual([
      'redeploy',
    ]);
  });

  it('still answers to the old action names, deprecated in favour of the verb-first ones', async () => {
    const id = `${suite.place.clusterId}:deployment:apps:web`;
    const paused = await suite.server.graphql(`mutation($id: ID!) { workloadPause(id: $id) { paused } }`, { id });
    expect(paused).toEqual({ data: { workloadPause: { paused: true } } });
    // The same code behind both names: the old one refuses what the new one refuses.
    expect((await suite.server.graphql(`mutation($id: ID!) { pauseWorkload(id: $id) { id } }`, { id })).errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    expect((await suite.server.graphql(`mutation($id: ID!) { workloadResume(id: $id) { paused } }`, { id })).data).toEqual({
      workloadResume: { paused: false },
    });
    const mutations = await suite.server.graphql<{ __type: { fields: Array<{ name: string; isDeprecated: boolean; deprecationReason: string | null }> } }>(
      `{ __type(name: "Mutation") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    const byName = new Map(mutations.data!.__type.fields.map((field) => [field.name, field]));
    for (const [old, current] of [
      ['workloadPause', 'pauseWorkload'],
      ['workloadRedeploy', 'redeployWorkload'],
      ['clusterGenerateKubeconfig', 'generateClusterKubeconfig'],
      ['tokenLogout', 'logoutToken'],
    ]) {
      expect(byName.get(old!)).toEqual({ name: old, isDeprecated: true, deprecationReason: `Use ${current}.` });
      expect(byName.get(current!)).toEqual({ name: current, isDeprecated: false, deprecationReason: null });
    }
  });

  it('deletes a workload', async () => {
    const id = `${suite.place.clusterId}:cronjob:apps:nightly`;
    expect((await suite.server.graphql(`mutation($id: ID!) { deleteWorkload(id: $id) { id } }`, { id })).data).toEqual({ deleteWorkload: { id } });
    expect(await suite.server.graphql(`query($id: ID!) { workload(id: $id) { id } }`, { id })).toEqual({ data: { workload: null } });
  });
});
