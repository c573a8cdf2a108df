// A fleet of GraphQL-over-SSE subscribers in a process of its own (bench/groups/subscribers.ts
// forks one or more): the receiving clients must not share an event loop with the client that
// sends the writes, or each write's measured latency includes the time the same loop spent
// reading a thousand sockets — as it would not for subscribers on other machines.
//
// It answers the messages of ./fleet-protocol.ts.
import { type ClientRequest, request } from 'node:http';
import { epochNow, type FleetReply, type FleetRequest } from './fleet-protocol.js';

const subscribers: ClientRequest[] = [];
let deliveries: Array<[string, number]> = [];

process.on('message', (message: FleetRequest) => {
  void answer(message).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ failed: String(error) } satisfies FleetReply),
  );
});
process.on('disconnect', () => process.exit(0));

async function answer(message: FleetRequest): Promise<FleetReply> {
  if ('open' in message) {
    const { url, key, count } = message.open;
    // In batches of 100, as a fleet of browsers reconnecting would.
    for (let start = 0; start < count; start += 100)
      subscribers.push(...(await Promise.all(Array.from({ length: Math.min(100, count - start) }, () => subscribe(url, key)))));
    return { opened: subscribers.length };
  }
  if ('count' in message) return { delivered: deliveries.length };
  if ('report' in message) {
    const reported = deliveries;
    deliveries = [];
    return { deliveries: reported };
  }
  for (const subscriber of subscribers.splice(0)) subscriber.destroy();
  return { closed: true };
}

/** One subscriber on its own connection; records each changed id with the time it arrived. */
function subscribe(url: string, key: string): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const target = new URL(`${url}/graphql`);
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      },
      (response) => {
        response.setEncoding('utf8');
        // Each chunk is scanned for ids once, without splitting it into lines: a thousand
        // subscribers share this process, and splitting lines cost more than the rest.
        let pending = '';
        response.on('data', (chunk: string) => {
          const at = epochNow();
          const text = pending + chunk;
          const complete = text.lastIndexOf('\n') + 1;
          let found = text.indexOf(idMarker);
          while (found !== -1 && found < complete) {
            const start = found + idMarker.length;
            const end = text.indexOf('"', start);
            deliveries.push([text.slice(start, end), at]);
            found = text.indexOf(idMarker, end);
          }
          pending = text.slice(complete);
        });
        response.on('error', () => undefined);
        resolve(outgoing);
      },
    );
    outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
    outgoing.end(JSON.stringify({ query: 'subscription { resourceChanges(types: ["Cluster"]) { id revision } }' }));
  });
}

/** Where an event's id starts in its SSE line (`data: {"data":{"resourceChanges":{"id":"…`). */
const idMarker = '"id":"';
