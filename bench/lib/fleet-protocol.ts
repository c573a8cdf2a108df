// What bench/groups/subscribers.ts and its subscriber fleets (./subscriber-fleet.ts) say over IPC.

/**
 * `open` → `opened` (how many subscribers this fleet holds); `count` → `delivered` (events
 * received so far); `report` → `deliveries` (each event's id and arrival time), forgetting
 * them; `close` → `closed`, every subscriber's connection destroyed.
 */
export type FleetRequest = { open: { url: string; key: string; count: number } } | { count: true } | { report: true } | { close: true };

export type FleetReply = { opened: number } | { delivered: number } | { deliveries: Array<[string, number]> } | { closed: true } | { failed: string };

/** Now in ms since the epoch, with performance.now()'s resolution: one clock across processes. */
export const epochNow = () => performance.timeOrigin + performance.now();
