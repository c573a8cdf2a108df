import type { StreamRegistry } from '../changes/registry.js';
import { batchDirectDeliveries, cohortDeliveries, directDeliveries } from '../graphql/direct-delivery.js';
import type { DeliveryProcess } from './delivery-process.js';

/**
 * An instance's live-change streams as `/healthz` shows them to an operator: how many
 * are open and how far behind their consumers are, how many ended and why (`slow`
 * consumers cut at the bound, `revoked` credentials…), whether the delivery process runs,
 * how many connections it writes and how many bytes it is behind, and how events went
 * out — directly, a batch at a time, to cohorts of alike subscribers — since the process
 * started. Counts only: no subscriber, key or process id.
 */
export function streamsStatus(streams: StreamRegistry, deliveryProcess: DeliveryProcess | undefined) {
  const delivery = deliveryProcess?.stats();
  return {
    ...streams.stats(),
    deliveryProcess: delivery
      ? { running: delivery.pid !== undefined, connections: delivery.connections, handedOver: delivery.handedOver, unwrittenBytes: delivery.unwrittenBytes }
      : 'off',
    delivered: { direct: directDeliveries(), inBatches: batchDirectDeliveries(), toCohorts: cohortDeliveries() },
  };
}
