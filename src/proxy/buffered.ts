import type { Readable } from 'node:stream';
import type { CancelSignal } from './cancellation.js';
import { proxyRequest } from './core.js';
import type { HeaderMap } from './headers.js';
import type { ProxyCaller, ProxyDependencies } from './types.js';

type BodyEncoding = 'utf8' | 'base64';

/** The GraphQL `metaProxy` mutation's input. */
export interface BufferedProxyInput {
  readonly caller: ProxyCaller;
  /** `https://host/path?q`, `http:/host:8080/x`, or `host/path` (https), as after /meta/proxy/. */
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | null;
  readonly bodyEncoding?: BodyEncoding;
  /** Same as an `X-API-CattleAuth-Header`; wins over one in `headers`. */
  readonly cattleAuth?: string | null;
  readonly secure?: boolean;
  readonly signal?: CancelSignal;
}

export interface BufferedProxyResult {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly body: string;
  /** utf8 when the (possibly truncated) body is valid UTF-8, base64 otherwise. */
  readonly bodyEncoding: BodyEncoding;
  readonly truncated: boolean;
}

const defaultBufferedResponseLimit = 1024 * 1024;

/**
 * The same request through the same core, answered as one value: the response body is
 * read up to `maxResponseBytes`, and the rest is dropped (`truncated: true`).
 */
export async function proxyBuffered(
  input: BufferedProxyInput,
  deps: ProxyDependencies,
  maxResponseBytes = defaultBufferedResponseLimit,
): Promise<BufferedProxyResult> {
  const question = input.url.indexOf('?');
  const headers: Record<string, string> = Object.fromEntries(Object.entries(input.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  if (input.cattleAuth) headers['x-api-cattleauth-header'] = input.cattleAuth;
  const answer = await proxyRequest(
    {
      caller: input.caller,
      method: (input.method ?? 'GET').toUpperCase(),
      target: question === -1 ? input.url : input.url.slice(0, question),
      query: question === -1 ? '' : input.url.slice(question + 1),
      headers,
      body: input.body ? Buffer.from(input.body, input.bodyEncoding ?? 'utf8') : null,
      secure: input.secure ?? false,
      ...(input.signal ? { signal: input.signal } : {}),
    },
    deps,
  );
  const { bytes, truncated } = await readUpTo(answer.body, maxResponseBytes);
  const text = utf8(bytes);
  return {
    status: answer.status,
    headers: answer.headers,
    body: text ?? bytes.toString('base64'),
    bodyEncoding: text === undefined ? 'base64' : 'utf8',
    truncated,
  };
}

async function readUpTo(body: Readable, limit: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      // Stops the upstream transfer instead of reading what will be thrown away.
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
