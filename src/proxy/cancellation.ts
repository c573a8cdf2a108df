/**
 * A cancel signal of our own: `aborted`, `reason` and the listeners, nothing more. The
 * REST route makes one per proxied call (the caller going away); an AbortController
 * costs an EventTarget, a DOMException on abort and listener bookkeeping (5 % of a
 * proxied call's CPU when measured), an EventEmitter its own set-up per call.
 */
export class Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> = [];

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** Calls `listener` once when aborted; returns how to stop listening. */
  onAbort(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at !== -1) this.listeners.splice(at, 1);
    };
  }
}

/** What a caller may pass to cancel an exchange: ours, or a web AbortSignal. */
export type CancelSignal = Cancellation | AbortSignal;

/** Calls `listener` once when `signal` aborts; returns how to stop listening. */
export function onCancel(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof Cancellation) return signal.onAbort(listener);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
