import { ApiError } from '../errors.js';

/** A request body as the core accepts it: bytes, a stream (IncomingMessage is one), or none. */
export type RequestBody = Uint8Array | AsyncIterable<Uint8Array> | null | undefined;

/** Counts what passed, for the audit record. */
export interface ByteCounter {
  bytes: number;
}

/**
 * The body, re-yielded chunk by chunk while counting, failing with 413 as soon as it
 * passes the limit: nothing is buffered, and a declared Content-Length over the limit
 * is refused before any connection is made.
 */
export function limitedBody(body: RequestBody, limit: number, declaredLength: number | undefined, counter: ByteCounter): Buffer | AsyncIterable<Uint8Array> | undefined {
  if (declaredLength !== undefined && declaredLength > limit) throw tooLarge(limit);
  if (body === null || body === undefined) return undefined;
  if (body instanceof Uint8Array) {
    if (body.length > limit) throw tooLarge(limit);
    counter.bytes = body.length;
    return Buffer.from(body.buffer, body.byteOffset, body.length);
  }
  return counted(body, limit, counter);
}

/** The whole body in memory (for signers that hash it), still within the limit. */
export async function readLimitedBody(body: RequestBody, limit: number, declaredLength: number | undefined, counter: ByteCounter): Promise<Buffer> {
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
