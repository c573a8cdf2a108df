import { ApiError } from '../errors.js';

/**
 * Request bodies within a byte limit, for every face that reads one (/graphql, /v3 and
 * /v3-public, the meta proxy): past the limit, 413 PAYLOAD_TOO_LARGE, decided from a
 * declared Content-Length before anything is read, and otherwise as soon as the bytes
 * pass it, never after buffering them all.
 */

/** A request body: bytes, a stream (IncomingMessage and a fetch body are), or none. */
export type RequestBody = Uint8Array | AsyncIterable<Uint8Array> | null | undefined;

/** Counts what passed (the proxy's audit record reports it). */
export interface ByteCounter {
  bytes: number;
}

/**
 * The body, re-yielded chunk by chunk while counting, failing with 413 as soon as it
 * passes the limit: nothing is buffered, and a declared Content-Length over the limit
 * is refused before any connection is made.
 */
export function limitedBody(
  body: RequestBody,
  limit: number,
  declaredLength: number | undefined,
  counter: ByteCounter,
): Buffer | AsyncIterable<Uint8Array> | undefined {
  if (declaredLength !== undefined && declaredLength > limit) throw tooLarge(limit);
  if (body === null || body === undefined) return undefined;
  if (body instanceof Uint8Array) {
    if (body.length > limit) throw tooLarge(limit);
    counter.bytes = body.length;
    return Buffer.from(body.buffer, body.byteOffset, body.length);
  }
  return counted(body, limit, counter);
}

/** The whole body in memory (for parsers, and for signers that hash it), still within the limit. */
export async function readLimitedBody(
  body: RequestBody,
  limit: number,
  declaredLength: number | undefined,
  counter: ByteCounter = { bytes: 0 },
): Promise<Buffer> {
  const limited = limitedBody(body, limit, declaredLength, counter);
  if (limited === undefined || Buffer.isBuffer(limited)) return limited ?? Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  for await (const chunk of limited) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* counted(source: AsyncIterable<Uint8Array>, limit: number, counter: ByteCounter): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    if (counter.bytes > limit) throw tooLarge(limit);
    yield chunk;
  }
}

const tooLarge = (limit: number) => new ApiError('PAYLOAD_TOO_LARGE', `the request body exceeds the limit of ${limit} bytes`);

/** A Content-Length header as a number; absent or not a single decimal number is undefined (the reading then decides). */
export function declaredLength(header: unknown): number | undefined {
  return typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
}

/**
 * A fetch body's chunks for `readLimitedBody`. Stopping early (over the limit) leaves the
 * rest unread instead of cancelling the stream: cancelling destroys the request, and with
 * it the connection, before the 413 can be sent. Node discards what is left once the
 * answer has gone.
 */
export async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
