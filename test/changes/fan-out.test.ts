import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/changes/change.js';
import { ChangeFanOut, type Cohort } from '../../src/changes/fan-out.js';
import type { ChangeFeed } from '../../src/changes/feed.js';

/**
 * The fan-out between the change feed and an instance's streams (src/changes/fan-out.ts),
 * fed by hand: the feed's own tests run it on the databases; here what matters is which
 * listener is handed which changes, and when.
 */
function handFedFeed() {
  const listeners = new Set<(changes: readonly Change[]) => void>();
  let revision = 0n;
  const feed: ChangeFeed = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onGap: () => () => undefined,
    since: async () => [],
    head: async () => revision,
    close: async () => undefined,
  };
  const commit = (...ids: string[]) => {
    const changes = ids.map((id): Change => {
      revision += 1n;
      return { revision, type: 'Cluster', id, verb: 'update', clusterId: id, projectId: null, userId: null, name: null, transactionId: null };
    });
    for (const listener of listeners) listener(changes);
  };
  return { feed, commit };
}

/** Every id a listener was handed, batch by batch. */
function recorder() {
  const batches: string[][] = [];
  return { batches, listener: (changes: readonly Change[]) => batches.push(changes.map((change) => change.id)) };
}

/** `count` recorders, each subscribed to `fanOut` and joined to `cohort` (as members "0", "1", …). */
function joinedTo(fanOut: ChangeFanOut, cohort: Cohort<string>, count: number) {
  return Array.from({ length: count }, (_, index) => {
    const member = recorder();
    fanOut.subscribe(member.listener);
    fanOut.join(member.listener, 'alike', cohort, String(index));
    return member;
  });
}

const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2_000) throw new Error('the fan-out did not hand the changes over');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('the change fan-out', () => {
  it('hands a change after a quiet spell over at once, and the changes that commit right after it together', async () => {
    const { feed, commit } = handFedFeed();
    const fanOut = new ChangeFanOut(feed);
    const { batches, listener } = recorder();
    fanOut.subscribe(listener);
    commit('a');
    expect(batches).toEqual([['a']]);
    commit('b');
    commit('c');
    commit('d');
    await until(() => batches.length === 2);
    // One hand-out for the three, not three: each subscriber's socket takes one write for them.
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    fanOut.close();
  });

  it('never hands a listener a change that reached the instance before it subscribed', async () => {
    const { feed, commit } = handFedFeed();
    const fanOut = new ChangeFanOut(feed);
    const early = recorder();
    fanOut.subscribe(early.listener);
    commit('a');
    commit('b'); // waits for the next hand-out
    const late = recorder();
    fanOut.subscribe(late.listener);
    commit('c');
    // Both: a hand-out's first turn goes to the first listener alone, the rest a turn later.
    await until(() => early.batches.length === 2 && late.batches.length > 0);
    expect(early.batches).toEqual([['a'], ['b', 'c']]);
    expect(late.batches).toEqual([['c']]);
    fanOut.close();
  });

  it('does not hand a listener that subscribes during a hand-out the batch being handed out', async () => {
    const { feed, commit } = handFedFeed();
    const fanOut = new ChangeFanOut(feed);
    const joined = recorder();
    const first = recorder();
    fanOut.subscribe((changes) => {
      first.listener(changes);
      // A subscriber arriving while the batch is on its way to the others (later in the map).
      if (first.batches.length === 1) fanOut.subscribe(joined.listener);
    });
    commit('a');
    await until(() => first.batches.length === 1);
    commit('b');
    await until(() => joined.batches.length === 1);
    expect(first.batches).toEqual([['a'], ['b']]);
    expect(joined.batches).toEqual([['b']]);
    fanOut.close();
  });

  it('hands every batch to a thousand listeners in order, each change once, and skips those that left', async () => {
    const { feed, commit } = handFedFeed();
    const fanOut = new ChangeFanOut(feed);
    const listeners = Array.from({ length: 1000 }, () => recorder());
    const unsubscribe = listeners.map(({ listener }) => fanOut.subscribe(listener));
    for (let index = 0; index < 20; index += 1) commit(`c${index}`);
    unsubscribe[999]!();
    await until(() => listeners[998]!.batches.flat().length === 20);
    const expected = Array.from({ length: 20 }, (_, index) => `c${index}`);
    for (const { batches } of listeners.slice(0, 999)) expect(batches.flat()).toEqual(expected);
    expect(listeners[999]!.batches).toEqual([]);
    fanOut.close();
  });
  describe('cohorts', () => {
    /** A cohort that serves the members `takes` allows, recording what it was offered. */
    function recordingCohort(takes: (member: string) => boolean) {
      const offers: Array<{ ids: string[]; members: string[]; settled: boolean[] }> = [];
      const served: Record<string, string[][]> = {};
      const cohort: Cohort<string> = {
        deliver(batch, members, settled) {
          offers.push({ ids: batch.map((change) => change.id), members: [...members], settled: [...settled] });
          return members.map((member) => {
            if (!takes(member)) return false;
            served[member] = [...(served[member] ?? []), batch.map((change) => change.id)];
            return true;
          });
        },
      };
      return { cohort, offers, served };
    }

    it('serves its members in one pass; those it leaves are handed the batch one by one, nobody twice', async () => {
      const { feed, commit } = handFedFeed();
      const fanOut = new ChangeFanOut(feed);
      const { cohort, offers, served } = recordingCohort((member) => member !== 'declined');
      // Cohorts are offered a batch first; of the rest, the first turn of a hand-out goes to
      // the first listener alone (it makes what streams like it share): one outside the cohort.
      const renderer = recorder();
      fanOut.subscribe(renderer.listener);
      const members = { first: recorder(), second: recorder(), declined: recorder() };
      for (const [name, { listener }] of Object.entries(members)) {
        fanOut.subscribe(listener);
        fanOut.join(listener, 'alike', cohort, name);
      }
      commit('a');
      await until(() => members.declined.batches.length === 1);
      // Offered before its members were handed the change one by one: it took two of the three.
      expect(offers).toEqual([{ ids: ['a'], members: ['first', 'second', 'declined'], settled: [false, false, false] }]);
      expect(served).toEqual({ first: [['a']], second: [['a']] });
      expect(members.first.batches).toEqual([]);
      expect(members.declined.batches).toEqual([['a']]);
      expect(renderer.batches).toEqual([['a']]);
      commit('b');
      await until(() => members.declined.batches.length === 2);
      // Settled: served the previous batch by the cohort, handed nothing since.
      expect(offers.at(-1)).toEqual({ ids: ['b'], members: ['first', 'second', 'declined'], settled: [true, true, false] });
      expect(served).toEqual({ first: [['a'], ['b']], second: [['a'], ['b']] });
      fanOut.close();
    });

    it('offers a batch only to members subscribed before it arrived, and none to one that left', async () => {
      const { feed, commit } = handFedFeed();
      const fanOut = new ChangeFanOut(feed);
      const { cohort, offers } = recordingCohort(() => true);
      fanOut.subscribe(recorder().listener); // the first turn's one listener
      const stays = recorder();
      const leaves = recorder();
      fanOut.subscribe(stays.listener);
      fanOut.join(stays.listener, 'alike', cohort, 'stays');
      const leave = fanOut.subscribe(leaves.listener);
      fanOut.join(leaves.listener, 'alike', cohort, 'leaves');
      commit('a');
      await until(() => offers.length === 1);
      commit('b'); // waits for the next hand-out
      const late = recorder();
      fanOut.subscribe(late.listener);
      fanOut.join(late.listener, 'alike', cohort, 'late');
      leave();
      commit('c');
      await until(() => late.batches.length === 1);
      // The late member heard only the change after it subscribed, one by one.
      expect(late.batches).toEqual([['c']]);
      expect(offers.map((offer) => offer.members)).toEqual([['stays', 'leaves'], ['stays']]);
      fanOut.close();
    });

    it('holds its members back while it makes what it sends, then serves them; those it leaves get the batch one by one', async () => {
      const { feed, commit } = handFedFeed();
      const fanOut = new ChangeFanOut(feed);
      let made = (): void => undefined;
      const offers: string[][] = [];
      const cohort: Cohort<string> = {
        deliver(_batch, members) {
          offers.push([...members]);
          // The first offer of each batch: not made yet.
          if (offers.length % 2 === 1) return new Promise<void>((resolve) => (made = resolve));
          return members.map((member) => member !== 'declined');
        },
      };
      const outside = recorder();
      fanOut.subscribe(outside.listener);
      const members = { served: recorder(), declined: recorder(), leaves: recorder() };
      const leave: Record<string, () => void> = {};
      for (const [name, { listener }] of Object.entries(members)) {
        leave[name] = fanOut.subscribe(listener);
        fanOut.join(listener, 'alike', cohort, name);
      }
      commit('a');
      await until(() => outside.batches.length === 1);
      // Turns go by; while it makes, its members are handed nothing, and not offered the batch again.
      for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(offers).toEqual([['served', 'declined', 'leaves']]);
      expect([members.served.batches, members.declined.batches, members.leaves.batches]).toEqual([[], [], []]);
      leave.leaves!();
      made();
      await until(() => members.declined.batches.length === 1);
      // Offered again once made (without the one that left), it served one; the other was handed the batch after.
      expect(offers).toEqual([
        ['served', 'declined', 'leaves'],
        ['served', 'declined'],
      ]);
      expect(members.served.batches).toEqual([]);
      expect(members.declined.batches).toEqual([['a']]);
      expect(members.leaves.batches).toEqual([]);
      // The next batch waits for this hand-out's end, and goes the same way.
      commit('b');
      await until(() => offers.length === 3);
      made();
      await until(() => members.declined.batches.length === 2);
      expect(outside.batches).toEqual([['a'], ['b']]);
      fanOut.close();
    });

    it('hands its members the batch one by one when it is still not ready after making', async () => {
      const { feed, commit } = handFedFeed();
      const fanOut = new ChangeFanOut(feed);
      let offered = 0;
      const neverReady: Cohort<string> = {
        deliver() {
          offered += 1;
          return Promise.resolve();
        },
      };
      const members = joinedTo(fanOut, neverReady, 2);
      commit('a');
      await until(() => members.every(({ batches }) => batches.length === 1));
      expect(members.map(({ batches }) => batches)).toEqual([[['a']], [['a']]]);
      // Offered once, and once more after its making settled: never a third time.
      expect(offered).toBe(2);
      fanOut.close();
    });

    it('hands every member the batch one by one when its cohort fails', async () => {
      const { feed, commit } = handFedFeed();
      const fanOut = new ChangeFanOut(feed);
      const failing: Cohort<string> = {
        deliver() {
          throw new Error('the cohort failed');
        },
      };
      const warned: string[] = [];
      const onWarning = (warning: Error) => warned.push(warning.message);
      process.on('warning', onWarning);
      try {
        fanOut.subscribe(recorder().listener); // the first turn's one listener
        const members = joinedTo(fanOut, failing, 2);
        commit('a');
        await until(() => members.every(({ batches }) => batches.length === 1));
        expect(members.map(({ batches }) => batches)).toEqual([[['a']], [['a']]]);
        await until(() => warned.includes('the cohort failed'));
      } finally {
        process.off('warning', onWarning);
        fanOut.close();
      }
    });
  });
});
