import type { IncomingMessage, ServerResponse } from 'node:http';
import { identityKey } from '../../src/auth/principal.js';
import type { Change } from '../../src/changes/change.js';
import { oncePerChange } from '../../src/changes/shared.js';
import type { StreamEnd } from '../../src/changes/stream.js';
import type { Context } from '../../src/context.js';
import { ApiError } from '../../src/errors.js';
import type { GraphQLServer } from '../../src/graphql/yoga.js';
import type { Logger } from '../../src/logger.js';
import { documents } from '../execute/documents.js';
import type { ListFilter } from './list-filter.js';
import { readChunk, type ListArguments } from './list-read.js';
import type { KubernetesObject, Resource } from './mapping.js';
import { removedObject, steveObject, type ServedKind } from './served.js';
import { statusBadRequest, StatusError, type KubernetesStatus } from './status.js';
import { WatchSelection } from './watch-selection.js';

/** A quiet watch still writes this often, so proxies and clients can tell it is alive. */
const heartbeatEveryMs = 10_000;
/** Kubernetes closes watches after a while (clients re-watch from their last version); so does this. */
const maxTimeoutSeconds = 30 * 60;
const listPage = 1000;

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** `?watch=true` (or `1`), as Kubernetes spells it. */
export const isWatch = (params: URLSearchParams) => ['true', '1'].includes(params.get('watch') ?? '');

/**
 * Kubernetes' watch on a /v1 collection (`?watch=true`), as the API server and Steve
 * answer it: one chunked response of JSON lines, `{"type":"ADDED"|"MODIFIED"|"DELETED",
 * "object":{…}}`, each object as GET shows it with `metadata.resourceVersion` set to the
 * change feed's revision of that event, so a client resumes from the last one it read.
 *
 * - `resourceVersion` unset or `0`: the current objects first (ADDED), then changes;
 *   a revision: the changes after it, or, beyond the feed's window, one ERROR event
 *   with a Status `410 Expired` (the client lists again).
 * - `allowWatchBookmarks=true`: BOOKMARK events (the current revision) as heartbeats;
 *   otherwise a bare newline, which JSON-lines readers skip.
 * - `timeoutSeconds`: the watch ends cleanly after it (at most 30 minutes).
 * - `labelSelector`, `fieldSelector`: only the objects they select, read and checked as a
 *   list's (the initial list is that list; each event's object is judged in memory by the
 *   same conditions), with Kubernetes' transitions: an object that stops matching is
 *   DELETED, one that starts ADDED (watch-selection.ts).
 *
 * It is one of the instance's change streams (src/changes/registry.ts): the same caps,
 * per-event visibility (an object the caller cannot read is never mentioned; a removal
 * only to those who could see the object), revocation, slow-consumer cut-off and
 * shutdown as GraphQL subscriptions and /v3/subscribe.
 */
export async function watchCollection(options: {
  request: IncomingMessage;
  response: ServerResponse;
  served: ServedKind;
  namespace: string | undefined;
  base: string;
  params: URLSearchParams;
  run: (document: string, variables: Record<string, unknown>) => Promise<unknown>;
  graphql: GraphQLServer;
  logger: Logger;
  /** The watch's selectors as a list's filter (list-filter.ts); undefined when it has none. */
  selected: ListFilter | undefined;
}): Promise<void> {
  const { request, response, served, params, run, selected } = options;
  const version = params.get('resourceVersion') ?? '';
  if (version !== '' && !/^\d{1,19}$/.test(version))
    throw statusBadRequest(`resourceVersion ${JSON.stringify(version)} is not a resourceVersion this server returned`);
  const timeoutSeconds = Math.min(Number(params.get('timeoutSeconds') ?? maxTimeoutSeconds) || maxTimeoutSeconds, maxTimeoutSeconds);
  const bookmarks = params.get('allowWatchBookmarks') === 'true';
  // Every object lives in the kind's one namespace: another namespace never changes, and
  // selectors that no object can meet (`metadata.namespace=other`) select nothing, ever.
  const inScope = (options.namespace === undefined || options.namespace === served.kind.namespace) && selected?.matchesNone !== true;

  const context = (await options.graphql.getEnveloped({ req: request } as never).contextFactory()) as Context;
  if (!context.principal) throw new ApiError('UNAUTHORIZED', 'a watch needs a credential');
  const initial = version === '' || version === '0';
  const selection = selected && !selected.matchesNone && selected.selectors.length > 0 ? new WatchSelection(selected.selectors, initial) : undefined;
  const listArguments: ListArguments = selected && !selected.matchesNone && served.binding.filterInput ? { filter: selected.filter } : {};
  const start = initial ? await context.streams.head() : BigInt(version);
  const stream = await context.streams.start(context.principal, {
    resourceType: served.binding.schemaId,
    since: start,
    wants: (change) => inScope && change.type === served.binding.typeName,
  });

  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.flushHeaders();
  let newest = start;
  const write = (type: WatchEventType, object: KubernetesObject | KubernetesStatus) => response.write(watchLine(type, object));
  const heartbeat = setInterval(() => {
    if (response.writableNeedDrain) return;
    if (bookmarks)
      write('BOOKMARK', {
        apiVersion: `${served.kind.group}/${served.kind.version}`,
        kind: served.kind.kind,
        metadata: { resourceVersion: newest.toString() },
      });
    else response.write('\n');
  }, heartbeatEveryMs);
  heartbeat.unref();
  const timeout = setTimeout(() => stream.end({ reason: 'closed', message: 'closed' }), timeoutSeconds * 1000);
  timeout.unref();
  response.on('close', () => void stream.return());
  stream.onEnd((end) => {
    clearInterval(heartbeat);
    clearTimeout(timeout);
    finish(end);
  });

  /** Ends the response, with an ERROR event saying why unless the client or the timeout closed it. */
  const finish = (end: StreamEnd) => {
    if (response.writableEnded || response.destroyed) return;
    const status = endStatus(end, version, newest);
    if (status) write('ERROR', status);
    // A consumer that stopped reading would keep what is queued for it: drop the socket.
    if (end.reason === 'slow') response.destroy();
    else response.end();
  };

  try {
    if (initial && inScope) {
      for await (const resource of listAll(run, served, listArguments)) {
        if (stream.endedBy) break;
        stream.remember(String(resource.id));
        selection?.listed(String(resource.id));
        if (!write('ADDED', steveObject(served, resource, options.base))) await drained(response);
      }
    }
    for await (const change of stream) {
      const line = await lineOf(change).catch((error: unknown) => {
        // An object this caller may not read (or no longer exists): not mentioned.
        if (!(error instanceof StatusError)) options.logger.warn({ err: error }, '/v1 watch could not render a change');
        return undefined;
      });
      newest = change.revision;
      // Backpressure: wait for the client; meanwhile the stream's bounded queue fills, and
      // a client that never catches up is cut off by it ("slow").
      if (line && !response.write(line)) await drained(response);
    }
  } finally {
    await stream.return();
  }

  /**
   * The event's line; undefined when the subscriber may not hear of it, or its selectors
   * say nothing of it. The object is read and rendered once for every subscriber of this
   * kind who is the same principal at the same address; what it is to each (ADDED,
   * MODIFIED, DELETED or nothing) is the stream's own.
   */
  async function lineOf(change: Change): Promise<string | undefined> {
    const revision = change.revision.toString();
    if (change.verb === 'remove') {
      if (!change.name || (selection && !selection.removed(change.id))) return undefined;
      if (!(await context.streams.mayLearnOfRemoval(change, stream, context.access.as(stream.principal)))) return undefined;
      return watchLine('DELETED', removedObject(served, change.name, revision, options.base));
    }
    const key = `v1-watch|${served.binding.typeName}|${options.base}|${identityKey(stream.principal)}`;
    const rendered = await oncePerChange(change, key, async () => {
      const object = steveObject(served, (await run(documents.get(served.binding), { id: change.id })) as Resource, options.base);
      // The event's own revision, not the row's newest: a client resuming from it must still
      // hear of whatever came between (the row may already show a later write).
      (object.metadata as Record<string, unknown>).resourceVersion = revision;
      return { object, json: JSON.stringify(object) };
    });
    const type = selection ? selection.changed(change.id, change.verb, rendered.object) : change.verb === 'create' ? 'ADDED' : 'MODIFIED';
    if (!type) return undefined;
    stream.remember(change.id);
    return lineOfJson(type, rendered.json);
  }
}

/** One watch event as sent: a JSON line. */
function watchLine(type: WatchEventType, object: KubernetesObject | KubernetesStatus): string {
  return lineOfJson(type, JSON.stringify(object));
}

/** The same line from the object's JSON, made once for every subscriber it goes to. */
function lineOfJson(type: WatchEventType, object: string): string {
  return `{"type":"${type}","object":${object}}\n`;
}

/** Every object the caller may see (of those the arguments' filter selects), a page at a time. */
async function* listAll(
  run: (document: string, variables: Record<string, unknown>) => Promise<unknown>,
  served: ServedKind,
  args: ListArguments,
): AsyncGenerator<Resource> {
  let after: string | undefined;
  do {
    const chunk = await readChunk(run, served.binding, args, listPage, after);
    yield* chunk.nodes;
    after = chunk.next;
  } while (after);
}

/** The Status of an ERROR event, as Kubernetes words them; none when the watch simply ends. */
function endStatus(end: StreamEnd, version: string, newest: bigint): KubernetesStatus | undefined {
  const status = (code: number, reason: string, message: string): KubernetesStatus => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  switch (end.reason) {
    case 'expired':
      return status(410, 'Expired', `too old resource version: ${version} (${newest})`);
    case 'revoked':
      return status(401, 'Unauthorized', end.message);
    case 'slow':
      return status(429, 'TooManyRequests', end.message);
    case 'shutdown':
      return status(503, 'ServiceUnavailable', end.message);
    default:
      return undefined;
  }
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done).once('close', done);
  });
}
