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
  write?: (result: ExecutionResult) => boolean;
}

const deliveries = new WeakMap<object, DirectDelivery>();
let deliveredDirectly = 0;

/** How many events this process has delivered the direct way (an operator's and a test's gauge of the fast path). */
export function directDeliveries(): number {
  return deliveredDirectly;
}

/** Counts one event delivered the direct way. */
export function countDirectDelivery(): void {
  deliveredDirectly += 1;
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
