import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { DeliveryProcess, HandedOffConnection } from '../http/delivery-process.js';
import { type DirectDelivery, directDeliveryOf } from './direct-delivery.js';

/** A quiet stream still writes a comment this often, so proxies and browsers keep it (as Yoga's own processor does). */
const pingEveryMs = 12_000;
const encoder = new TextEncoder();
const ping = encoder.encode(':\n\n');
const complete = encoder.encode('event: complete\ndata:\n\n');

/**
 * GraphQL over SSE for subscriptions, with each event's bytes made once for all its
 * subscribers. Yoga's processor encodes two chunks per event and subscriber; a result
 * shared by a thousand subscribers (src/graphql/shared-subscription-events.ts) is here
 * serialised and encoded once, and every subscriber's stream pushes the same bytes.
 * The wire format is Yoga's ("distinct connections" mode): a `:` comment first and every
 * 12 s, `event: next` per result, `event: complete` at the end.
 */
export function useSharedSseEncoding(deliveryProcess?: DeliveryProcess): Plugin {
  const subscribed = new WeakMap<Request, Subscribed>();
  return {
    onSubscribe({ args }) {
      const { request, res } = args.contextValue as { request?: Request; res?: ServerResponse };
      if (request)
        subscribed.set(request, { delivery: directDeliveryOf(args.contextValue), handOff: res && deliveryProcess && handOffOf(res, deliveryProcess) });
    },
    onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
      // A subscription's stream for which Yoga chose a processor: only SSE takes a subscription's stream.
      const subscription = subscribed.get(request);
      if (subscription && resultProcessor && isAsyncIterable(result))
        setResultProcessor(
          ((stream: AsyncIterable<unknown>, fetchAPI: { Response: typeof Response }) => sseResponse(stream, fetchAPI, subscription)) as never,
          'text/event-stream',
        );
    },
  };
}

interface Subscribed {
  delivery: DirectDelivery;
  /** Hands the response's connection to the delivery process, when there is one and it can take it now. */
  handOff: (() => HandedOffConnection | undefined) | undefined;
}

/**
 * The hand-over of `response`'s connection, possible once the server has nothing of its
 * own left to write on it: the headers sent and nothing of the response waiting.
 */
function handOffOf(response: ServerResponse, deliveryProcess: DeliveryProcess): () => HandedOffConnection | undefined {
  return () => {
    if (!response.headersSent || response.writableEnded || response.writableLength > 0) return undefined;
    // Node frames the body in chunks unless the client spoke HTTP/1.0 (then it ends with the connection).
    return deliveryProcess.handOff(response.socket, response.chunkedEncoding);
  };
}

function sseResponse(result: AsyncIterable<unknown>, fetchAPI: { Response: typeof Response }, { delivery, handOff }: Subscribed): Response {
  const iterator = result[Symbol.asyncIterator]();
  let pinger: NodeJS.Timeout | undefined;
  let pulling = false;
  let finished = false;
  const stop = () => {
    finished = true;
    clearInterval(pinger);
    delivery.write = undefined;
    delivery.sink = undefined;
  };
  // A plain Node stream, not a web ReadableStream: the server adapter pipes it straight
  // into the response, where a web stream cost a controller and promises per event and
  // subscriber (most of a fan-out's CPU after the socket writes; BENCHMARKS.md, subscribers).
  const body = new Readable({
    // Pulls events while the client keeps up; a full buffer (a slow client) stops pulling,
    // and the change stream's own bound then ends the subscription as `slow`.
    read: () => void pull(),
    destroy: (error, callback) => {
      stop();
      connection?.drop();
      Promise.resolve(iterator.return?.()).then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
  // Once the headers are out and nothing of the body waits, the delivery process takes
  // the connection (src/http/delivery-process.ts): every later byte goes through it, in
  // order, and a full connection stops the pulling as a full body does.
  let connection: HandedOffConnection | undefined;
  /** Hands the connection over if nothing of ours waits for it (neither in the body nor gathered for it); true once it is the child's. */
  const handOver = (): boolean => {
    if (!connection && handOff && !finished && body.readableLength === 0 && directBytes.length === 0) {
      connection = handOff();
      if (connection) {
        connection.onDrain = () => void pull();
        delivery.sink = connection;
      }
    }
    return connection !== undefined;
  };
  /** Writes `bytes` behind everything before them; false when the client stopped reading. */
  const send = (bytes: Uint8Array): boolean => (connection ? connection.write(bytes) : body.push(bytes));
  /** Whether nothing waits for the client: what is sent now goes out at once. */
  const flowing = (): boolean => (connection ? !connection.full : body.readableLength === 0 && body.readableFlowing === true);
  const finish = () => {
    if (connection) return connection.end(complete);
    body.push(complete);
    body.push(null);
  };
  const pull = async () => {
    if (pulling || finished) return;
    pulling = true;
    try {
      for (;;) {
        const next = await iterator.next();
        if (finished) return;
        if (next.done) {
          flushDirect();
          stop();
          finish();
          return;
        }
        flushDirect();
        if (next.value != null && !send(eventBytes(next.value))) return;
      }
    } catch (error) {
      stop();
      connection?.drop();
      body.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      pulling = false;
    }
  };
  // An event handed over directly (direct-delivery.ts) goes out only behind everything
  // written before it: with nothing buffered, into a stream that flows. The events handed
  // over in one go (the fan-out hands a stream a whole batch of changes synchronously) are
  // pushed together when it is done, as one chunk: one write into the response and one
  // buffer for the socket instead of three per event (chunked encoding frames each write),
  // which was most of a delivery's cost once changes queued up (BENCHMARKS.md, subscribers).
  // Anything the chain pushes goes behind them (`flushDirect` first), so order holds.
  let directBytes: Uint8Array[] = [];
  const flushDirect = () => {
    if (directBytes.length === 0) return;
    const bytes = directBytes.length === 1 ? directBytes[0]! : Buffer.concat(directBytes);
    directBytes = [];
    if (!finished) send(bytes);
  };
  const queueDirect = (bytes: Uint8Array) => {
    if (finished || !flowing()) return false;
    // The delivery process's channel gathers a turn's writes itself, and the process
    // writes a connection's share of one message at once: nothing to gather here.
    if (connection) {
      connection.write(bytes);
      return true;
    }
    if (directBytes.length === 0) queueMicrotask(flushDirect);
    directBytes.push(bytes);
    return true;
  };
  delivery.write = (event) => queueDirect(eventBytes(event));
  delivery.writeAll = (events) => queueDirect(eventsBytes(events));
  delivery.encode = eventsBytes;
  // Some browsers hold a fetch back until the first bytes arrive.
  body.push(ping);
  // The connection is handed over as soon as the headers and that first comment are out
  // (one place decides, off the path of every event), so that the first events do not
  // wait behind it (Node hands sockets over one at a time, each acknowledged by the
  // child: a thousand subscribers take a while). A connection not handed over within a
  // second stays the server's.
  if (handOff) handOverSoon(() => finished || handOver());
  pinger = setInterval(() => {
    if (flowing()) send(ping);
  }, pingEveryMs);
  return new fetchAPI.Response(body as unknown as BodyInit, {
    status: 200,
    // A connection the delivery process takes is closed when the stream ends: said up front,
    // so that no client sends a next request on it.
    headers: { 'content-type': 'text/event-stream', connection: handOff ? 'close' : 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
  });
}

/** Tries `handOver` after the loop turns, again every 10 ms until it is done or has had a second. */
function handOverSoon(handOver: () => boolean): void {
  let tries = 0;
  const attempt = () => {
    tries += 1;
    if (!handOver() && tries < 100) setTimeout(attempt, 10).unref();
  };
  setImmediate(attempt).unref();
}

/** One `next` event's bytes, made once per result object (a shared result is one object for every subscriber). */
const bytesByResult = new WeakMap<object, Uint8Array>();

function eventBytes(result: unknown): Uint8Array {
  const shared = typeof result === 'object' && result !== null ? bytesByResult.get(result) : undefined;
  if (shared) return shared;
  const bytes = encoder.encode(`event: next\ndata: ${serialised(result)}\n\n`);
  if (typeof result === 'object' && result !== null) bytesByResult.set(result, bytes);
  return bytes;
}

/** Several `next` events' bytes, made once per array of results (an array shared by alike subscribers is one object). */
const bytesByResults = new WeakMap<readonly object[], Uint8Array>();

function eventsBytes(results: readonly object[]): Uint8Array {
  let bytes = bytesByResults.get(results);
  if (!bytes) {
    bytes = results.length === 1 ? eventBytes(results[0]) : Buffer.concat(results.map(eventBytes));
    bytesByResults.set(results, bytes);
  }
  return bytes;
}

interface WireResult {
  errors?: ReadonlyArray<{ toJSON?: () => object; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
  stringify?: (value: unknown) => string;
}

/**
 * A result's JSON as Yoga writes it: without the extensions that are Yoga's own business
 * (`http`: the status it would answer with; `unexpected`: its masking mark), through the
 * result's own `stringify` when it has one.
 */
function serialised(result: unknown): string {
  const wire = result as WireResult;
  const stringify = wire.stringify ?? JSON.stringify;
  if (!wire.errors?.length && !wire.extensions?.http) return stringify(result);
  const { http: _status, ...extensions } = wire.extensions ?? {};
  return JSON.stringify({
    ...wire,
    ...(wire.errors ? { errors: wire.errors.map(withoutInternals) } : {}),
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  });
}

function withoutInternals(error: NonNullable<WireResult['errors']>[number]): object {
  const json = (typeof error.toJSON === 'function' ? error.toJSON() : error) as { extensions?: Record<string, unknown> };
  const { http: _status, unexpected: _masked, ...extensions } = json.extensions ?? {};
  return { ...json, extensions: Object.keys(extensions).length > 0 ? extensions : undefined };
}
