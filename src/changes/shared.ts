import type { Access } from '../auth/access.js';
import { mayLearnOfRemoval } from '../auth/change-visibility.js';
import { rightsKey } from '../auth/principal.js';
import type { PrismaClient } from '../db/database.js';
import type { Change } from './change.js';
import { modelOf } from './change-types.js';
import type { ChangeStream } from './stream.js';

/**
 * Work that every subscriber of a change would do alike, done once: each stream still asks
 * for each change (nothing is decided for a stream without its own rights in the key), but
 * the first stream of a visibility class decides and reads, and the others share the
 * answer. One change object reaches every stream of the instance (the fan-out hands the
 * same batch to all), so the answers live with it and go when it does.
 */
const answersByChange = new WeakMap<Change, Map<string, unknown>>();

/** `compute()` for the first caller with this `key` about this `change`; its answer for the rest. */
export function oncePerChange<T>(change: Change, key: string, compute: () => T): T {
  let answers = answersByChange.get(change);
  if (!answers) {
    answers = new Map();
    answersByChange.set(change, answers);
  }
  if (answers.has(key)) return answers.get(key) as T;
  const answer = compute();
  answers.set(key, answer);
  return answer;
}

/**
 * Work that every subscriber of a whole batch would do alike (its events rendered for one
 * class of subscribers), done once: the fan-out hands one batch array to every stream
 * that was subscribed when it arrived, so the answers live with it and go when it does.
 */
const answersByBatch = new WeakMap<readonly Change[], Map<string, unknown>>();

/**
 * `compute()` for the first caller with this `key` about this `batch` that gets an answer;
 * that answer for the rest. Undefined means "not yet" (what it needs is still being made)
 * and is not kept: the next caller computes again.
 */
export function oncePerBatch<T>(batch: readonly Change[], key: string, compute: () => T | undefined): T | undefined {
  const answers = answersByBatch.get(batch);
  const kept = answers?.get(key) as T | undefined;
  if (kept !== undefined) return kept;
  const answer = compute();
  if (answer !== undefined) (answers ?? answersByBatch.set(batch, new Map()).get(batch)!).set(key, answer);
  return answer;
}

/** Values of answers that were promises and have resolved: what {@link settledAnswer} reads. */
const settledValues = new WeakMap<Promise<unknown>, unknown>();

/** `oncePerChange`, remembering the value once the answer (a promise) resolves, for {@link settledAnswer}. */
export function oncePerChangeSettling<T>(change: Change, key: string, compute: () => Promise<T>): Promise<T> {
  return oncePerChange(change, key, () => {
    const answer = compute();
    answer.then(
      (value) => settledValues.set(answer, value),
      () => undefined,
    );
    return answer;
  });
}

/** The value of an answer made by {@link oncePerChangeSettling} that has already resolved; undefined otherwise. */
export function settledAnswer<T>(change: Change, key: string): T | undefined {
  const answer = answersByChange.get(change)?.get(key);
  return answer instanceof Promise ? (settledValues.get(answer) as T | undefined) : undefined;
}

/**
 * Whether `stream`'s subscriber may learn that `change`'s object was removed
 * (src/auth/change-visibility.ts): what this stream was shown is its own; the rest of the
 * rule depends on the subscriber's rights only, so it is judged once per rights class.
 * The rule is written per model (`ProjectSecret`), so it is asked about the row's model.
 */
export function mayLearnOfRemovalOnce(change: Change, stream: ChangeStream, access: Access, prisma: PrismaClient): Promise<boolean> {
  if (stream.wasShown(change.id)) return Promise.resolve(true);
  const principal = stream.principal;
  return oncePerChange(change, `removal|${rightsKey(principal, change.type)}`, () =>
    mayLearnOfRemoval(asModelChange(change), principal, access, prisma, () => false),
  );
}

/** The change as the per-model rules see it: named by its model rather than its type. */
function asModelChange(change: Change): Change {
  const model = modelOf(change.type);
  return model === change.type ? change : { ...change, type: model };
}
