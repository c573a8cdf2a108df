import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import type { Change } from '../../src/changes/change.js';
import type { ChangeSource } from '../../src/changes/fan-out.js';
import { ChangeStream } from '../../src/changes/stream.js';

/**
 * A stream's bound on what it holds for its client (src/changes/stream.ts), fed by hand:
 * a commit that brings it more changes than the bound ends it before any of them is sent,
 * saying so; one that brings no more than the bound goes out whole, however large the
 * commit was for everyone else.
 */
const maxBuffered = 5;
const principal: Principal = { userId: 'u-1', username: 'alice', isAdmin: false, tokenId: 't-1', clusterId: null, projectId: null, via: 'bearer' };

/** A stream of clusters' changes; `missed` clusters' changes committed before it, when it resumes. */
function handFedStream(resume?: { missed: number }) {
  let deliver: ((changes: readonly Change[]) => void) | undefined;
  const source: ChangeSource = {
    subscribe(listener) {
      deliver = listener;
      return () => (deliver = undefined);
    },
    onGap: () => () => undefined,
    // Replayed after a turn, as the feed reads them from the database.
    since: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return Array.from({ length: resume?.missed ?? 0 }, (_, index) => changeOf('Cluster', BigInt(index + 1)));
    },
  };
  // The subscriber asked for clusters only.
  const stream = new ChangeStream(source, principal, {
    wants: (change) => change.type === 'Cluster',
    maxBuffered,
    recheck: async (current) => current,
    ...(resume ? { since: 0n } : {}),
  });
  let revision = BigInt(resume?.missed ?? 0);
  const commit = (types: string[]) => {
    const changes = types.map((type) => {
      revision += 1n;
      return changeOf(type, revision);
    });
    deliver?.(changes);
  };
  return { stream, commit };
}

function changeOf(type: string, revision: bigint): Change {
  return { revision, type, id: `${type}-${revision}`, verb: 'update', clusterId: null, projectId: null, userId: null, name: null, transactionId: null };
}

/** What the consumer reads until the stream has nothing more for it now (or ends). */
async function readAvailable(stream: ChangeStream, expected: number): Promise<string[]> {
  const read: string[] = [];
  for (let index = 0; index < expected; index += 1) {
    const next = await stream.next();
    if (next.done) break;
    read.push(next.value.id);
  }
  return read;
}

describe("a change stream's bound", () => {
  it('ends a stream that one commit brings more changes than it holds, before sending any, and says why', async () => {
    const { stream, commit } = handFedStream();
    const ends: string[] = [];
    stream.onEnd((end) => ends.push(`${end.reason}: ${end.message}`));
    const waiting = stream.next();
    commit(Array.from({ length: maxBuffered + 1 }, () => 'Cluster'));
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ends).toEqual([`slow: ${maxBuffered + 1} changes came at once, more than the ${maxBuffered} a stream holds; resume from the last revision seen`]);
    // A WebSocket close reason holds no more than 123 bytes.
    expect(Buffer.byteLength(ends[0]!.slice('slow: '.length))).toBeLessThanOrEqual(123);
  });

  it('sends a large commit whole when no more of it than the bound is for this stream', async () => {
    const { stream, commit } = handFedStream();
    const waiting = stream.next();
    commit(['Project', ...Array.from({ length: maxBuffered }, () => 'Cluster'), 'Project', 'Project']);
    expect((await waiting).value?.id).toBe('Cluster-2');
    expect(await readAvailable(stream, maxBuffered - 1)).toEqual(['Cluster-3', 'Cluster-4', 'Cluster-5', 'Cluster-6']);
    expect(stream.endedBy).toBeUndefined();
    // And goes on with the next commit.
    commit(['Cluster']);
    expect(await readAvailable(stream, 1)).toEqual(['Cluster-9']);
  });

  it('still ends a consumer that falls behind commit by commit as slow', async () => {
    const { stream, commit } = handFedStream();
    for (let index = 0; index <= maxBuffered; index += 1) commit(['Cluster']);
    expect(stream.endedBy).toEqual({ reason: 'slow', message: `the client fell more than ${maxBuffered} changes behind` });
  });

  it('replays to a client that resumes all it missed, more than the bound, though live changes come meanwhile', async () => {
    const missed = 3 * maxBuffered;
    const { stream, commit } = handFedStream({ missed });
    // One change while the replay is read, one after it, before the consumer reads anything.
    commit(['Cluster']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    commit(['Cluster']);
    const read = await readAvailable(stream, missed + 2);
    expect(read).toEqual(Array.from({ length: missed + 2 }, (_, index) => `Cluster-${index + 1}`));
    expect(stream.endedBy).toBeUndefined();
  });

  it('holds the bound on live changes beside a replay that is not yet read', async () => {
    const { stream, commit } = handFedStream({ missed: 2 * maxBuffered });
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let index = 0; index < maxBuffered; index += 1) commit(['Cluster']);
    expect(stream.endedBy).toBeUndefined();
    commit(['Cluster']);
    expect(stream.endedBy?.message).toBe(`the client fell more than ${maxBuffered} changes behind`);
  });
});
