import type { CancelSignal } from './cancellation.js';
import { proxyRequest } from './core.js';
import type { HeaderMap } from './headers.js';
import type { AnswerFlow } from './transport.js';
import type { ProxyCaller, ProxyDependencies, ProxySink } from './types.js';

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
  const sink = new BufferingSink(maxResponseBytes);
  // The answer may fail after it started: wait for both, so neither rejection goes unheard.
  const [, answer] = await Promise.all([
    proxyRequest(
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
      sink,
    ),
    sink.collected,
  ]);
  const bytes = Buffer.concat(answer.chunks);
  const text = utf8(bytes);
  return {
    status: answer.status,
    headers: answer.headers,
    body: text ?? bytes.toString('base64'),
    bodyEncoding: text === undefined ? 'base64' : 'utf8',
    truncated: answer.truncated,
  };
}

interface CollectedAnswer {
  status: number;
  headers: HeaderMap;
  chunks: Buffer[];
  truncated: boolean;
}

/** Collects an answer up to `limit` bytes; past it, the rest is dropped and the upstream transfer stopped. */
class BufferingSink implements ProxySink {
  readonly collected: Promise<CollectedAnswer>;
  private readonly answer: CollectedAnswer = { status: 0, headers: {}, chunks: [], truncated: false };
  private size = 0;
  private flow: AnswerFlow | undefined;
  private settle!: { resolve(answer: CollectedAnswer): void; reject(error: unknown): void };

  constructor(private readonly limit: number) {
    this.collected = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  start(status: number, headers: HeaderMap, flow: AnswerFlow): void {
    Object.assign(this.answer, { status, headers });
    this.flow = flow;
  }

  data(chunk: Buffer): boolean {
    if (this.answer.truncated) return true;
    if (this.size + chunk.length <= this.limit) {
      this.answer.chunks.push(chunk);
      this.size += chunk.length;
      return true;
    }
    this.answer.chunks.push(chunk.subarray(0, this.limit - this.size));
    this.answer.truncated = true;
    this.settle.resolve(this.answer);
    // Stops the upstream transfer instead of reading what would be thrown away; the failure it reports is ours.
    this.flow?.abort();
    return true;
  }

  end(): void {
    this.settle.resolve(this.answer);
  }

  fail(error: unknown): void {
    if (!this.answer.truncated) this.settle.reject(error);
  }
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
