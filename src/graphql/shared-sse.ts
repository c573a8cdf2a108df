import { Readable } from 'node:stream';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
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
export function useSharedSseEncoding(): Plugin {
  const subscribed = new WeakMap<Request, DirectDelivery>();
  return {
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request) subscribed.set(request, directDeliveryOf(args.contextValue));
    },
    onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
      // A subscription's stream for which Yoga chose a processor: only SSE takes a subscription's stream.
      const delivery = subscribed.get(request);
      if (delivery && resultProcessor && isAsyncIterable(result))
        setResultProcessor(
          ((stream: AsyncIterable<unknown>, fetchAPI: { Response: typeof Response }) => sseResponse(stream, fetchAPI, delivery)) as never,
          'text/event-stream',
        );
    },
  };
}

function sseResponse(result: AsyncIterable<unknown>, fetchAPI: { Response: typeof Response }, delivery: DirectDelivery): Response {
  const iterator = result[Symbol.asyncIterator]();
  let pinger: NodeJS.Timeout | undefined;
  let pulling = false;
  let finished = false;
  const stop = () => {
    finished = true;
    clearInterval(pinger);
    delivery.write = undefined;
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
      Promise.resolve(iterator.return?.()).then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
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
          body.push(complete);
          body.push(null);
          return;
        }
        flushDirect();
        if (next.value != null && !body.push(eventBytes(next.value))) return;
      }
    } catch (error) {
      stop();
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
    if (!finished) body.push(bytes);
  };
  const queueDirect = (bytes: Uint8Array) => {
    if (finished || body.readableLength > 0 || !body.readableFlowing) return false;
    if (directBytes.length === 0) queueMicrotask(flushDirect);
    directBytes.push(bytes);
    return true;
  };
  delivery.write = (event) => queueDirect(eventBytes(event));
  delivery.writeAll = (events) => queueDirect(eventsBytes(events));
  // Some browsers hold a fetch back until the first bytes arrive.
  body.push(ping);
  pinger = setInterval(() => {
    if (body.readableLength === 0) body.push(ping);
  }, pingEveryMs);
  return new fetchAPI.Response(body as unknown as BodyInit, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
  });
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
