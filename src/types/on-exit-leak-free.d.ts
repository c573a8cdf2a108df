// The package ships no types; this is the part of its API the process log uses.
declare module 'on-exit-leak-free' {
  type ExitEvent = 'exit' | 'beforeExit';
  /** Calls `handler(target, event)` on `exit` and `beforeExit` while `target` lives (held weakly), in registration order. */
  export function register<Target extends object>(target: Target, handler: (target: Target, event: ExitEvent) => void): void;
  export function unregister(target: object): void;
  const onExit: { register: typeof register; unregister: typeof unregister };
  export default onExit;
}
