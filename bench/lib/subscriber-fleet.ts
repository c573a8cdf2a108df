// A fleet of GraphQL-over-SSE subscribers in a process of its own (bench/groups/subscribers.ts
// forks one or more): the receiving clients must not share an event loop with the client that
// sends the writes, or each write's measured latency includes the time the same loop spent
// reading a thousand sockets — as it would not for subscribers on other machines.
//
// It answers the messages of ./fleet-protocol.ts.
import { connect, type Socket } from 'node:net';
import { epochNow, type FleetReply, type FleetRequest } from './fleet-protocol.js';

const subscribers: Socket[] = [];
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

/**
 * One subscriber on its own connection; records each changed id with the time it arrived.
 * A raw socket speaking just enough HTTP/1.1 (the request, then the answer's status line):
 * a thousand subscribers share this process and the machine with the server, and Node's
 * HTTP client (its parser, the chunked decoding, a string decoder per response) cost
 * about as much again as reading the bytes. The chunked framing is left in the text: an
 * event's data line lies whole inside one chunk, and only complete lines are scanned.
 */
function subscribe(url: string, key: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const target = new URL(`${url}/graphql`);
    const body = JSON.stringify({ query: 'subscription { resourceChanges(types: ["Cluster"]) { id revision } }' });
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    socket.setEncoding('latin1');
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: ${target.host}\r\ncontent-type: application/json\r\naccept: text/event-stream\r\n` +
        `authorization: Bearer ${key}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    let answered = false;
    let pending = '';
    socket.on('data', (chunk: string) => {
      const at = epochNow();
      let text = pending + chunk;
      if (!answered) {
        const headersEnd = text.indexOf('\r\n\r\n');
        if (headersEnd === -1) {
          pending = text;
          return;
        }
        if (!text.startsWith('HTTP/1.1 200 ')) {
          socket.destroy();
          reject(new Error(`the subscription was answered ${text.slice(0, text.indexOf('\r\n'))}`));
          return;
        }
        answered = true;
        resolve(socket);
        text = text.slice(headersEnd + 4);
      }
      // Each chunk is scanned for ids once, without splitting it into lines.
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
    socket.on('error', (error) => (answered ? undefined : reject(error)));
  });
}

/** Where an event's id starts in its SSE line (`data: {"data":{"resourceChanges":{"id":"…`). */
const idMarker = '"id":"';
