import { GraphQLRequestError, type GraphQLErrorPayload } from './errors.js';
import { bodyByHash, bodyByText, send } from './fetcher.js';
import { ResourceChangesDocument, type ResourceChangesSubscription, type ResourceChangesSubscriptionVariables } from './generated/hooks.js';
import { retryAfterSeconds } from './retry-after.js';

/**
 * One change, as the `resourceChanges` subscription delivers it. Generated from the
 * schema (client/operations/resource-changes.graphql), so it cannot drift from what the
 * server sends: `verb` is the `ChangeVerb` enum, `'CREATE' | 'UPDATE' | 'REMOVE'`.
 */
export type ResourceChangeEvent = ResourceChangesSubscription['resourceChanges'];

export interface WatchOptions {
  /** Only these GraphQL types (e.g. ['Cluster']); all the caller may see when absent. */
  types?: string[];
  /** Only this object. */
  id?: string;
  /** Start after this revision (e.g. `changeRevision` read with the list being shown). */
  since?: string;
  onChange(event: ResourceChangeEvent): void;
  /** The feed no longer reaches back to where this watch stood: list everything again. */
  onRelist(): void;
  /**
   * What ends the watch: a refusal that asking again cannot change (UNAUTHORIZED for a bad
   * or revoked key, PERMISSION_DENIED, INVALID_INPUT, TRUSTED_DOCUMENTS_ONLY, …).
   */
  onError?(error: GraphQLRequestError): void;
  signal?: AbortSignal;
}

/** The first wait before connecting again, doubled after each failed attempt up to the last. */
const firstRetryMs = 500;
const longestRetryMs = 10_000;
/** The wait after a connection that delivered changes (it was working: try again soon). */
const retryAfterChangesMs = 250;

/**
 * Watches `resourceChanges` over GraphQL over SSE and keeps watching: after a dropped
 * connection it resumes from the last revision it saw, so nothing is missed; when the
 * server says GONE it calls `onRelist` and starts again from the present. It goes out as
 * the hooks' requests do (configureClient: endpoint, credentials, headers), by the hash
 * of a trusted document, so a server that runs only those accepts it too.
 *
 * It tries again only what can succeed later — a network failure, a 5xx, a 429 that says
 * when (Retry-After) — and stops, calling `onError`, at any other refusal: a bad key is
 * not retried forever.
 *
 * With TanStack Query, invalidate what an event touches and let the hooks refetch:
 *
 *   const { data } = useClustersQuery();          // its query also reads changeRevision
 *   useEffect(() => {
 *     const stop = new AbortController();
 *     void watchResourceChanges({
 *       types: ['Cluster'], since: data?.changeRevision, signal: stop.signal,
 *       onChange: (event) => queryClient.invalidateQueries({ queryKey: ['Clusters'] }),
 *       onRelist: () => queryClient.invalidateQueries(),
 *       onError: (error) => showSignIn(error.code),
 *     });
 *     return () => stop.abort();
 *   }, [data?.changeRevision === undefined]);
 */
export async function watchResourceChanges(options: WatchOptions): Promise<void> {
  let since = options.since;
  let retryMs = firstRetryMs;
  // Once a server says it does not know the document's hash, it gets the text.
  let asText = false;
  while (!options.signal?.aborted) {
    const ending = await connectOnce(options, { types: options.types, id: options.id, since }, asText, (event) => {
      since = event.revision;
      retryMs = retryAfterChangesMs;
      options.onChange(event);
    });
    if (ending.kind === 'refused') {
      if (ending.error.code === 'GONE') {
        since = undefined;
        options.onRelist();
        continue;
      }
      if (ending.error.code === 'PERSISTED_QUERY_NOT_IN_LIST' && !asText) {
        asText = true;
        continue;
      }
      if (!options.signal?.aborted) options.onError?.(ending.error);
      return;
    }
    await pause(ending.kind === 'retry' ? (ending.afterMs ?? retryMs) : retryMs, options.signal);
    retryMs = Math.min(retryMs * 2, longestRetryMs);
  }
}

/** How one connection ended. */
type Ending =
  /** The connection went away (network, server restart, the stream closed): resume after a pause. */
  | { kind: 'dropped' }
  /** Refused for now (a 5xx, a 429 saying when): ask again, after `afterMs` when the server said. */
  | { kind: 'retry'; afterMs: number | undefined }
  /** Refused, or ended by the server with an error: asking again the same way cannot succeed. */
  | { kind: 'refused'; error: GraphQLRequestError };

/** One SSE connection: delivers events until it ends, and says how it ended. */
async function connectOnce(
  options: WatchOptions,
  variables: ResourceChangesSubscriptionVariables,
  asText: boolean,
  deliver: (event: ResourceChangeEvent) => void,
): Promise<Ending> {
  const body = (!asText && (await bodyByHash(ResourceChangesDocument, variables))) || bodyByText(ResourceChangesDocument, variables);
  let response: Response;
  try {
    response = await send(body, 'text/event-stream', options.signal ? { signal: options.signal } : {});
  } catch {
    return { kind: 'dropped' };
  }
  if (!response.ok || !isEventStream(response)) return refusalOf(response);
  try {
    const error = await readEvents(response, deliver);
    if (!error || unavailableForNow.has(error.extensions?.code ?? '')) return { kind: 'dropped' };
    return { kind: 'refused', error: new GraphQLRequestError([error], response.status, { headers: response.headers }) };
  } catch {
    return { kind: 'dropped' };
  }
}

/**
 * Codes that end a stream for now only (the server shutting down, the consumer fallen
 * behind, the database away: the 503s): the watch resumes from where it stood.
 */
const unavailableForNow = new Set(['SERVICE_UNAVAILABLE', 'UNAVAILABLE']);

/** An answer that is not an event stream: a retry when the server may take it later, a refusal otherwise. */
async function refusalOf(response: Response): Promise<Ending> {
  const afterSeconds = retryAfterSeconds(response.headers.get('retry-after'));
  if (response.status >= 500 || (response.status === 429 && afterSeconds !== undefined)) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'retry', afterMs: afterSeconds === undefined ? undefined : afterSeconds * 1000 };
  }
  return { kind: 'refused', error: new GraphQLRequestError(await errorsIn(response), response.status, { headers: response.headers }) };
}

function isEventStream(response: Response): boolean {
  return response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
}

/**
 * The GraphQL errors of a refusal, as JSON (`{"errors":[…]}`, a 401) or as the first
 * event of a stream (a 400 for a document the server will not run); HTTP_ERROR when it
 * carries none.
 */
async function errorsIn(response: Response): Promise<GraphQLErrorPayload[]> {
  const text = await response.text().catch(() => '');
  const payload = /^data: (.*)$/m.exec(text)?.[1] ?? text;
  try {
    const errors = (JSON.parse(payload) as { errors?: GraphQLErrorPayload[] }).errors;
    if (errors?.length) return errors;
  } catch {
    // not GraphQL: told by its status below
  }
  return [{ message: `HTTP ${response.status}`, extensions: { code: 'HTTP_ERROR' } }];
}

/**
 * Reads the stream's events, delivering each change, until it ends: answers the error
 * that ended it (GONE, UNAUTHORIZED after a key is revoked, …), or undefined when it
 * closed or completed without one (the watch then resumes).
 */
async function readEvents(response: Response, deliver: (event: ResourceChangeEvent) => void): Promise<GraphQLErrorPayload | undefined> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return undefined;
    buffer += chunk.value;
    for (let boundary = buffer.indexOf('\n\n'); boundary >= 0; boundary = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      if (/^event: complete/m.test(block)) return undefined;
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      const payload = JSON.parse(data) as { data?: ResourceChangesSubscription; errors?: GraphQLErrorPayload[] };
      if (payload.errors?.[0]) return payload.errors[0];
      if (payload.data) deliver(payload.data.resourceChanges);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
