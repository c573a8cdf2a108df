import type { ExecutionResult } from 'graphql';
import type { Change } from '../changes/change.js';

/**
 * How a GraphQL-over-SSE subscriber's event can skip its asynchronous chain (the change
 * stream's promise, the subscription's generators, Envelop's result mapping, the SSE
 * writer's pull) and go out as the fan-out hands it over. Three layers that never see
 * each other each fill in their part, on the subscription's context:
 * - the shared executor (shared-subscription-events.ts): the event's result, if it was
 *   made already for another subscriber with the same identity;
 * - the SSE writer (shared-sse.ts): writes it, if the client's buffer is empty;
 * - the subscription (src/schema/subscriptions.ts): asks both, after deciding, as its
 *   chain would, that the subscriber may know of the change.
 * Whatever one of them cannot do at once goes the usual way.
 */
export interface DirectDelivery {
  resultFor?: (change: Change, sharingKey: string) => ExecutionResult | undefined;
  /**
   * The results of every change of `batch` that `wants` keeps, if each is made already
   * and without errors; undefined otherwise. One array per batch, document and sharing
   * key, shared by every subscriber alike (so its bytes are made once, too).
   */
  resultsFor?: (batch: readonly Change[], sharingKey: string, wants: (change: Change) => boolean) => readonly ExecutionResult[] | undefined;
  write?: (result: ExecutionResult) => boolean;
  /** Writes several results at once, in order; false (and nothing written) when it cannot now. */
  writeAll?: (results: readonly ExecutionResult[]) => boolean;
}

const deliveries = new WeakMap<object, DirectDelivery>();
let deliveredDirectly = 0;
let deliveredInBatches = 0;

/** How many events this process has delivered the direct way (an operator's and a test's gauge of the fast path). */
export function directDeliveries(): number {
  return deliveredDirectly;
}

/** How many of those went a whole batch at a time (`resultsFor` and `writeAll`). */
export function batchDirectDeliveries(): number {
  return deliveredInBatches;
}

/** Counts events delivered the direct way, one by one or a batch at a time. */
export function countDirectDelivery(events = 1, asBatch = false): void {
  deliveredDirectly += events;
  if (asBatch) deliveredInBatches += events;
}

/** The direct delivery of the subscription whose GraphQL context this is. */
export function directDeliveryOf(context: object): DirectDelivery {
  let delivery = deliveries.get(context);
  if (!delivery) {
    delivery = {};
    deliveries.set(context, delivery);
  }
  return delivery;
}
