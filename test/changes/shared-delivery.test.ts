import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, signUp } from '../auth/helpers.js';
import { graphqlAs, startTestApp, type TestApp } from '../helpers/app.js';
import { type SseSubscription, subscribeSse } from '../helpers/sse.js';
import { batchDirectDeliveries, cohortDeliveries, directDeliveries } from '../../src/graphql/direct-delivery.js';

type Event = { data?: { resourceChanges: { type: string; id: string; node: { id: string; name?: string; current?: boolean } | null } } };

/** One document for every subscriber: the fan-out shares work between subscribers of the same document. */
const changes = `subscription($since: String) { resourceChanges(types: ["Cluster", "Token"], since: $since) { type id node { id ... on Cluster { name } ... on Token { current } } } }`;

/**
 * Issue 14: the fan-out decides visibility once per rights class and renders once per
 * document and identity (src/changes/shared.ts, src/graphql/shared-subscription-events.ts).
 * Subscribers of one instance, with one document, who differ in rights or identity must
 * still each get their own answer: what one may see never reaches another, and fields that
 * depend on who asks (a key's `current`) are rendered for each.
 */
describe('one fan-out, subscribers with different rights and identities', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => app?.close());

  const createCluster = async (name: string) =>
    (await app.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })).data!.createCluster.id as string;
  const describeCluster = (id: string, description: string) =>
    app.graphql(`mutation($id: ID!, $d: String!) { updateCluster(id: $id, input: { description: $d }) { id } }`, { id, d: description });
  /**
   * The feed's newest revision, to subscribe from: a stream opened without one may still
   * hear of a write made just before it, announced late on a busy machine (a stream once
   * heard of its own key's creation).
   */
  const head = async () => ({ since: (await app.graphql('{ changeRevision }')).data!.changeRevision as string });
  const bind = (clusterId: string, userId: string) =>
    app.graphql(`mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
      input: { clusterId, userId, roleTemplateId: 'cluster-member' },
    });

  it('each subscriber hears only of the clusters it may read, whoever heard of the change first', async () => {
    const [member, outsider] = [await signUp(app, 'shared-member'), await signUp(app, 'shared-outsider')];
    const mine = await createCluster('members-cluster');
    const theirs = await createCluster('outsiders-cluster');
    await bind(mine, member.id);
    await bind(theirs, outsider.id);
    const since = await head();
    const [admin, memberStream, outsiderStream] = await Promise.all([
      subscribeSse<Event>(app.url, app.token, changes, since),
      subscribeSse<Event>(app.url, member.token, changes, since),
      subscribeSse<Event>(app.url, outsider.token, changes, since),
    ]);
    await describeCluster(mine, 'first');
    await describeCluster(theirs, 'second');
    await describeCluster(mine, 'third');
    const ids = async (stream: typeof admin, count: number) => {
      const seen: string[] = [];
      for (let index = 0; index < count; index += 1) seen.push((await stream.next())!.data!.resourceChanges.id);
      stream.close();
      return seen;
    };
    expect(await ids(admin, 3)).toEqual([mine, theirs, mine]);
    // The member's second event is the third write: the second, on a cluster it cannot read, never came.
    expect(await ids(memberStream, 2)).toEqual([mine, mine]);
    // The outsider's first event is the second write; one more write it may see bounds the wait.
    const outsiderFirst = await outsiderStream.next();
    expect(outsiderFirst?.data?.resourceChanges).toMatchObject({ type: 'Cluster', id: theirs, node: { id: theirs, name: 'outsiders-cluster' } });
    await describeCluster(theirs, 'fourth');
    expect(await ids(outsiderStream, 1)).toEqual([theirs]);
  });

  it('many subscribers of one identity, over more turns of the fan-out than one, each get every event they may see, in order', async () => {
    // A hand-out's first turn goes to one subscriber: after it, an event's shared answer is
    // made and later subscribers get it directly (src/graphql/direct-delivery.ts) — or
    // through their chain, whichever is ready.
    // Forty streams a user is more than a user may open by default.
    await app.graphql(`mutation { updateSetting(id: "stream-max-per-user", input: { value: "100" }) { id } }`);
    const member = await signUp(app, 'many-member');
    const [mine, theirs] = [await createCluster('many-mine'), await createCluster('many-theirs')];
    await bind(mine, member.id);
    const document = `subscription($since: String) { resourceChanges(types: ["Cluster"], since: $since) { type id revision } }`;
    const since = await head();
    const open = (token: string) =>
      Promise.all(
        Array.from({ length: 40 }, () => subscribeSse<Event & { data?: { resourceChanges: { revision: string } } }>(app.url, token, document, since)),
      );
    const [admins, members] = [await open(app.token), await open(member.token)];
    const before = directDeliveries();
    const written = [mine, theirs, mine, theirs, mine, theirs];
    for (const [index, id] of written.entries()) await describeCluster(id, `many ${index}`);
    const byAdmins = await heardBy(admins, written.length);
    const byMembers = await heardBy(members, 3);
    for (const events of byAdmins) expect(events.map((event) => event.id)).toEqual(written);
    // Everyone heard the same revisions, rising: one order for all.
    const revisions = byAdmins[0]!.map((event) => BigInt(event.revision));
    expect([...revisions].sort((a, b) => (a < b ? -1 : 1))).toEqual(revisions);
    for (const events of byAdmins) expect(events.map((event) => BigInt(event.revision))).toEqual(revisions);
    // The member never heard of the cluster it cannot read, directly or not.
    for (const events of byMembers) expect(events.map((event) => event.id)).toEqual([mine, mine, mine]);
    expect(directDeliveries()).toBeGreaterThan(before);
  });

  it('changes that commit together reach alike subscribers as one shared batch, each change once and in order', async () => {
    await app.graphql(`mutation { updateSetting(id: "stream-max-per-user", input: { value: "100" }) { id } }`);
    const member = await signUp(app, 'batch-member');
    const clusters = await Promise.all(['batch-a', 'batch-b', 'batch-c', 'batch-d', 'batch-e', 'batch-f'].map(createCluster));
    await bind(clusters[0]!, member.id);
    const document = `subscription($since: String) { resourceChanges(types: ["Cluster"], since: $since) { id revision } }`;
    const since = await head();
    type Heard = { data?: { resourceChanges: { id: string; revision: string } } };
    const open = (token: string, count: number) => Promise.all(Array.from({ length: count }, () => subscribeSse<Heard>(app.url, token, document, since)));
    const [admins, members] = [await open(app.token, 30), await open(member.token, 3)];
    const before = batchDirectDeliveries();
    const beforeCohorts = cohortDeliveries();
    // Written at once: the first goes out as it commits, the rest wait for the next hand-out and go together.
    await Promise.all(clusters.map((id, index) => describeCluster(id, `batch ${index}`)));
    const byAdmins = await heard(admins, clusters.length);
    const revisions = byAdmins[0]!.map((event) => event.revision);
    expect(new Set(byAdmins[0]!.map((event) => event.id))).toEqual(new Set(clusters));
    for (const events of byAdmins) expect(events.map((event) => event.revision)).toEqual(revisions);
    expect([...revisions].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(revisions);
    // A member is judged change by change, and hears only of the cluster it may read.
    for (const events of await heardBy(members, 1)) expect(events.map((event) => event.id)).toEqual([clusters[0]]);
    expect(batchDirectDeliveries()).toBeGreaterThan(before);
    // The admins, alike, are served as a cohort (src/changes/fan-out.ts): a batch decided once
    // for all of them. A cohort takes a batch whose events the hand-out's first stream has
    // already made; on a loaded machine a write still in flight can hold that making past the
    // hand-out for every one of the six, so a quiet write follows, one at a time, until one
    // batch has gone to the cohort (never, if cohorts are broken: then this fails).
    for (let quiet = 0; quiet < 5 && cohortDeliveries() === beforeCohorts; quiet++) {
      await describeCluster(clusters[1]!, `quiet ${quiet}`);
      await heard(admins, 1);
    }
    for (const stream of admins) stream.close();
    expect(cohortDeliveries()).toBeGreaterThan(beforeCohorts);
  });

  it('each event shows the object as that change left it, however many events one subscriber has had', async () => {
    // A subscriber's context outlives its events (it is made again only when its rights
    // change): nothing read for one event may answer for the next.
    const id = await createCluster('described-twice');
    const document = `subscription($id: ID!, $since: String) { resourceChanges(id: $id, since: $since) { node { ... on Cluster { description creator { username } } } } }`;
    const stream = await subscribeSse<{ data?: { resourceChanges: { node: { description: string; creator: { username: string } } } } }>(
      app.url,
      app.token,
      document,
      {
        id,
        ...(await head()),
      },
    );
    const descriptions = ['first', 'second', 'third'];
    const seen = [];
    // Each event is awaited before the next write: `node` is the object as it is when the
    // event is delivered, so a subscriber behind by a write would rightly see the newer one.
    for (const description of descriptions) {
      await describeCluster(id, description);
      seen.push((await stream.next())!.data!.resourceChanges.node);
    }
    stream.close();
    expect(seen).toEqual(descriptions.map((description) => ({ description, creator: { username: 'admin' } })));
  });

  it('fields that depend on who asks are rendered per key, not shared between two keys of one user', async () => {
    const user = await signUp(app, 'two-keys');
    const second = await createKey(app, user.token);
    const since = await head();
    const [first, other] = await Promise.all([
      subscribeSse<Event>(app.url, user.token, changes, since),
      subscribeSse<Event>(app.url, second.token as string, changes, since),
    ]);
    await graphqlAs(app.url, user.token, `mutation($id: ID!) { updateToken(id: $id, input: { description: "renamed" }) { id } }`, { id: second.id });
    const [seenByFirst, seenByOther] = [await first.next(), await other.next()];
    first.close();
    other.close();
    expect(seenByFirst?.data?.resourceChanges).toMatchObject({ type: 'Token', id: second.id, node: { id: second.id, current: false } });
    expect(seenByOther?.data?.resourceChanges).toMatchObject({ type: 'Token', id: second.id, node: { id: second.id, current: true } });
  });
});

/** The first `count` changes each stream hears, in order; each stream is closed after. */
/** The next `count` events each stream hears, the streams kept open. */
function heard<T>(streams: Array<SseSubscription<{ data?: { resourceChanges: T } }>>, count: number): Promise<T[][]> {
  return Promise.all(
    streams.map(async (stream) => {
      const events: T[] = [];
      for (let index = 0; index < count; index += 1) events.push((await stream.next())!.data!.resourceChanges);
      return events;
    }),
  );
}

/** The next `count` events each stream hears, then each stream closed. */
async function heardBy<T>(streams: Array<SseSubscription<{ data?: { resourceChanges: T } }>>, count: number): Promise<T[][]> {
  const events = await heard(streams, count);
  for (const stream of streams) stream.close();
  return events;
}
