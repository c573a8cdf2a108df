import { GraphQLRequestError, type GraphQLErrorPayload } from './errors.js';
import { clientOptions } from './fetcher.js';

/** One change, as the `resourceChanges` subscription delivers it. */
export interface ResourceChangeEvent {
  revision: string;
  verb: 'create' | 'update' | 'remove';
  type: string;
  id: string;
}

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
  /** Anything else that ends the watch (UNAUTHORIZED after a key is revoked, …). */
  onError?(error: GraphQLRequestError): void;
  signal?: AbortSignal;
}

const subscription = `subscription($types: [String!], $id: ID, $since: String) {
  resourceChanges(types: $types, id: $id, since: $since) { revision verb type id }
}`;

/**
 * Watches `resourceChanges` over GraphQL over SSE and keeps watching: after a dropped
 * connection it resumes from the last revision it saw, so nothing is missed; when the
 * server says GONE it calls `onRelist` and starts again from the present.
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
 *     });
 *     return () => stop.abort();
 *   }, [data?.changeRevision === undefined]);
 */
export async function watchResourceChanges(options: WatchOptions): Promise<void> {
  let since = options.since;
  for (let retryMs = 500; !options.signal?.aborted; retryMs = Math.min(retryMs * 2, 10_000)) {
    try {
      const ended = await streamOnce({ ...options, since }, (event) => {
        since = event.revision;
        retryMs = 250;
        options.onChange(event);
      });
      if (ended?.extensions?.code === 'GONE') {
        since = undefined;
        options.onRelist();
      } else if (ended) {
        options.onError?.(new GraphQLRequestError([ended], 200));
        return;
      }
    } catch {
      if (options.signal?.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

/** One SSE connection: delivers events until it ends; returns the error that ended it, if any. */
async function streamOnce(options: WatchOptions, deliver: (event: ResourceChangeEvent) => void): Promise<GraphQLErrorPayload | undefined> {
  const transport = clientOptions();
  const response = await (transport.fetch ?? fetch)(transport.endpoint ?? '/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(await transport.headers?.()) },
    body: JSON.stringify({ query: subscription, variables: { types: options.types, id: options.id, since: options.since } }),
    signal: options.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error('the stream closed');
    buffer += chunk.value;
    for (let boundary = buffer.indexOf('\n\n'); boundary >= 0; boundary = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      if (/^event: complete/m.test(block)) throw new Error('the stream completed');
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      const payload = JSON.parse(data) as { data?: { resourceChanges: ResourceChangeEvent }; errors?: GraphQLErrorPayload[] };
      if (payload.errors?.[0]) return payload.errors[0];
      if (payload.data) deliver(payload.data.resourceChanges);
    }
  }
}
