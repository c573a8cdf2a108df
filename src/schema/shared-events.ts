import type { Change } from '../changes/change.js';

/**
 * The key under which a subscription event is shared (a property, not a side table: one
 * is set per subscriber and event, and a WeakMap entry costs far more to make and collect).
 */
const sharedBy = Symbol('shared by');

/** An event every subscriber with the same key would see rendered alike. */
interface SharedEvent {
  change: Change;
  [sharedBy]?: string;
}

/**
 * Marks a subscription event as one whose result is the same for every subscriber of
 * `event.change` with the same `key` (who they are, and whatever else the fields read): the
 * subscription's selection is executed for it once per document, variables and key
 * (src/graphql/shared-subscription-events.ts).
 */
export function shareEvent<T extends { change: Change }>(event: T, key: string): T {
  (event as SharedEvent)[sharedBy] = key;
  return event;
}

/** How `event` may be shared, if it may: its change and key. */
export function sharingOf(event: unknown): { change: Change; key: string } | undefined {
  const key = typeof event === 'object' && event !== null ? (event as SharedEvent)[sharedBy] : undefined;
  return key === undefined ? undefined : { change: (event as SharedEvent).change, key };
}
