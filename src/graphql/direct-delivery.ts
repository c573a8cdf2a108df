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
  /**
   * Makes what `resultsFor` looks for: executes the subscription's selection for each
   * change of `batch` that `wants` keeps, with `eventOf(change)` as its event, unless that
   * change's result is made or being made already (the subscriber's own chain shares it
   * too). Settles once every one is made, with or without errors.
   */
  makeResults?: (batch: readonly Change[], sharingKey: string, wants: (change: Change) => boolean, eventOf: (change: Change) => unknown) => Promise<unknown>;
  /**
   * The key under which `resultsFor` shares a batch's results for subscribers with
   * `sharingKey` (the document and its variables, and the identity): those under one key
   * are served a batch together (src/changes/fan-out.ts, cohorts).
   */
  alikeKey?: (sharingKey: string) => string;
  write?: (result: ExecutionResult) => boolean;
  /**
   * Where the subscriber's bytes go once its connection is the delivery process's
   * (src/http/delivery-process.ts), while the stream lasts: what `writeAll` would write to,
   * for a cohort that writes the same bytes to a thousand of them.
   */
  sink?: { readonly full: boolean; write(bytes: Uint8Array): boolean };
  /** The bytes `writeAll` would write for `results` (made once per array of results). */
  encode?: (results: readonly ExecutionResult[]) => Uint8Array;
  /** Writes several results at once, in order; false (and nothing written) when it cannot now. */
  writeAll?: (results: readonly ExecutionResult[]) => boolean;
}

const deliveries = new WeakMap<object, DirectDelivery>();
let deliveredDirectly = 0;
let deliveredInBatches = 0;
let deliveredToCohorts = 0;

/** How many events this process has delivered the direct way (an operator's and a test's gauge of the fast path). */
export function directDeliveries(): number {
  return deliveredDirectly;
}

/** How many of those went a whole batch at a time (`resultsFor` and `writeAll`). */
export function batchDirectDeliveries(): number {
  return deliveredInBatches;
}

/** How many of those went to a cohort of alike subscribers in one pass (src/changes/fan-out.ts). */
export function cohortDeliveries(): number {
  return deliveredToCohorts;
}

/** Counts events delivered the direct way: one by one, a batch at a time, or a batch to a cohort at once. */
export function countDirectDelivery(events = 1, way: 'one' | 'batch' | 'cohort' = 'one'): void {
  deliveredDirectly += events;
  if (way !== 'one') deliveredInBatches += events;
  if (way === 'cohort') deliveredToCohorts += events;
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
