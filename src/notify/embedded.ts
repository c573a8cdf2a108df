import type { PGlite } from '@electric-sql/pglite';
import type { ListenConnection } from './channel.js';

/** PGlite delivers NOTIFY to its own listeners in process; there is no connection to lose. */
export function embeddedConnection(pglite: PGlite): ListenConnection {
  const stops = new Map<string, () => Promise<void>>();
  return {
    async listen(channel, onPayload) {
      stops.set(channel, await pglite.listen(channel, onPayload));
    },
    async unlisten(channel) {
      await stops.get(channel)?.();
      stops.delete(channel);
    },
    onGap() {},
    async close() {
      // The database closes after this; its listeners go with it.
      stops.clear();
    },
  };
}
