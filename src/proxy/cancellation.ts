import { EventEmitter } from 'node:events';

/**
 * A cancel signal as undici accepts one: an EventEmitter with `aborted` and `reason`.
 * The proxy makes two per call (the caller going away, the exchange's deadline), and an
 * AbortController costs an EventTarget, a DOMException on abort and listener
 * bookkeeping that showed as 5 % of a proxied call's CPU.
 */
export class Cancellation extends EventEmitter<{ abort: [] }> {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** What a caller may pass to cancel an exchange: ours, or a web AbortSignal. */
export type CancelSignal = Cancellation | AbortSignal;

/** Calls `listener` once when `signal` aborts; returns how to stop listening. */
export function onCancel(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof Cancellation) {
    signal.once('abort', listener);
    return () => signal.off('abort', listener);
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
