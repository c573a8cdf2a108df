import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { identityKey } from '../src/auth/principal.js';
import type { Change } from '../src/changes/change.js';
import { changeTypes } from '../src/changes/change-types.js';
import type { StreamStart } from '../src/changes/registry.js';
import { oncePerChange } from '../src/changes/shared.js';
import type { ChangeStream } from '../src/changes/stream.js';
import type { Context } from '../src/context.js';
import type { GraphQLServer } from '../src/graphql/yoga.js';
import { refuseWith, type SocketRoute } from '../src/http/upgrade.js';
import { ApiError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { documents } from './execute/documents.js';
import { isNormanSubscribePath } from './paths.js';
import type { RunOperation } from './execute/run.js';
import type { ApiModel, ResourceBinding } from './schemas/types.js';
import { normanResource } from './write/resource.js';
import { requestUrls } from './write/urls.js';

/** Norman pings every five seconds; clients treat silence as a dead socket. */
const pingEveryMs = 5_000;
/** Bytes queued for a client that does not read; beyond this it is cut off. */
const maxBufferedBytes = 4 * 1024 * 1024;
const eventNames = ['resource.create', 'resource.change', 'resource.remove'] as const;
type EventName = (typeof eventNames)[number];

/**
 * Rancher's `/v3/subscribe` (and `/v3/project/<id>/subscribe`): a WebSocket of
 * `{"name":"resource.change","data":<the resource as GET shows it>}` messages, with
 * `resource.create` / `resource.remove`, filtered by `resourceTypes` and `eventNames`
 * query parameters, and `{"name":"ping","data":{}}` every five seconds — Norman's
 * message shapes. Generic: the types are the API model's, resources are read with
 * the subscriber's own rights through the same GET operation /v3 runs.
 *
 * `resourceTypes` may name views (`deployment`: the workloads of one kind, see
 * {@link changeSources}). A view's messages carry the resource as GET on the view's
 * collection shows it (`type: "deployment"`), and only for the rows the view selects.
 * Without `resourceTypes` every change is sent once, as the type it is stored as
 * (`workload`): Rancher sends a workload's change twice then, from the `workload` store
 * and from its kind's, which clients could only tell apart by id.
 */
export function normanSubscribeRoute(options: { model: ApiModel; graphql: GraphQLServer; run: RunOperation; logger: Logger }): SocketRoute & { close(): void } {
  const { model } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // Worked out at the first socket, from the schema the GraphQL face (built by then) runs.
  let sources: ChangeSources | undefined;
  const sourcesFor = (request: IncomingMessage) => (sources ??= changeSources(model, options.graphql.getEnveloped({ req: request } as never).schema));

  return {
    matches: isNormanSubscribePath,
    accept(request, socket, head) {
      const url = requestUrls(request);
      const projectId = decodedSegment(/^\/v3\/project\/([^/]+)\/subscribe$/.exec(url.request.pathname)?.[1]);
      const wantedTypes = url.request.searchParams.getAll('resourceTypes').flatMap((value) => value.split(','));
      const wantedEvents = new Set(url.request.searchParams.getAll('eventNames').flatMap((value) => value.split(',')));
      const { sourceOf, stored, viewHolds } = sourcesFor(request);
      const named = wantedTypes.flatMap((type) => model.bindings.get(model.aliases.get(type.toLowerCase()) ?? '') ?? []);
      const selected = wantedTypes.length === 0 ? stored : new Set(named.filter((binding) => sourceOf.has(binding)));
      // Norman's answer, before any socket: a subscription to nothing would stay silent forever.
      if (selected.size === 0) return refuseWith(socket, new ApiError('NOT_FOUND', 'no resources types matched'));
      sockets.handleUpgrade(request, socket, head, (client) => {
        // Change type → how this socket tells its changes: as each binding selected that hears of it.
        const audience = new Map<string, Telling[]>();
        for (const binding of selected) {
          const type = sourceOf.get(binding)!;
          audience.set(type, [...(audience.get(type) ?? []), { binding, holds: viewHolds.get(binding) }]);
        }
        const sends = (change: Change) => wantedEvents.size === 0 || wantedEvents.has(eventName(change));
        void serve(client, request, audience, {
          resourceType: wantedTypes.length > 0 ? wantedTypes.join(',') : null,
          resourceId: projectId ?? null,
          wants: (change) =>
            audience.has(change.type) &&
            sends(change) &&
            (projectId === undefined || change.projectId === projectId || (change.type === 'Project' && change.id === projectId)),
        });
      });
    },
    close() {
      for (const client of sockets.clients) client.close(1001, 'server shutting down');
      sockets.close();
    },
  };

  async function serve(client: WebSocket, request: IncomingMessage, audience: ReadonlyMap<string, readonly Telling[]>, filter: StreamStart): Promise<void> {
    const context = (await options.graphql.getEnveloped({ req: request } as never).contextFactory()) as Context;
    let stream: ChangeStream;
    try {
      stream = await context.streams.start(context.principal!, filter);
    } catch (error) {
      client.close(1013, error instanceof Error ? error.message.slice(0, 120) : 'refused');
      return;
    }
    const ping = setInterval(() => send(client, 'ping', {}), pingEveryMs);
    client.on('close', () => void stream.return());
    stream.onEnd((end) => {
      clearInterval(ping);
      if (client.readyState === client.OPEN) client.close(end.reason === 'shutdown' ? 1001 : 1008, end.message);
    });
    const subscriber: Subscriber = { context, request, stream };
    for await (const change of stream) {
      if (client.bufferedAmount > maxBufferedBytes) {
        stream.end({ reason: 'slow', message: 'the client does not read its messages' });
        break;
      }
      for (const telling of audience.get(change.type) ?? []) {
        const message = await messageOf(change, telling, subscriber).catch(() => undefined);
        if (message && client.readyState === client.OPEN) client.send(message);
      }
    }
  }

  /**
   * The event's message as `binding` tells it, with the resource as the subscriber's GET on
   * its collection would show it; undefined when they may not see it, or when `binding` is
   * a view that does not select the row. Read and rendered once for every subscriber who is
   * the same principal at the same address (what the GET shows depends on nothing else).
   */
  async function messageOf(change: Change, { binding, holds }: Telling, subscriber: Subscriber): Promise<string | undefined> {
    const { context, request, stream } = subscriber;
    // A view's rows by their ids (the row of a removal is gone): another kind's workload is nothing to tell.
    if (holds && !holds(change.id)) return undefined;
    if (change.verb === 'remove') {
      // Of whatever the subscriber could see (src/auth/change-visibility.ts).
      if (!(await context.streams.mayLearnOfRemoval(change, stream, context.access.as(stream.principal)))) return undefined;
      return message(eventName(change), { id: change.id, type: binding.schemaId, baseType: binding.schemaId, state: 'removed', links: {} });
    }
    const { base } = requestUrls(request);
    // A view's GET answers NOT_FOUND for a row of the model it does not select: nothing to tell.
    const rendered = await oncePerChange(change, `v3-subscribe|${binding.schemaId}|${base}|${identityKey(stream.principal)}`, async () => {
      const found = (await options.run(request, documents.get(binding), { id: change.id })) as Record<string, unknown>;
      return message(eventName(change), normanResource(model, binding, found, { base, actionLinks: false }));
    });
    stream.remember(change.id);
    return rendered;
  }
}

/** A binding a socket tells changes as; for a view of the type the changes name, `holds` says which ids are the view's rows. */
interface Telling {
  binding: ResourceBinding;
  holds: ((id: string) => boolean) | undefined;
}

/** One socket's subscriber: its context and stream. */
interface Subscriber {
  context: Context;
  request: IncomingMessage;
  stream: ChangeStream;
}

interface ChangeSources {
  /** The type of change each binding hears of: its own type, or the model a view is of. */
  sourceOf: ReadonlyMap<ResourceBinding, string>;
  /** The bindings of the types changes are stored as (no views): what a socket without `resourceTypes` is sent. */
  stored: ReadonlySet<ResourceBinding>;
  /** For each view: which of its model's ids are its rows (src/schema/resources/define-resource.ts, `holdsId`). */
  viewHolds: ReadonlyMap<ResourceBinding, (id: string) => boolean>;
}

/**
 * Where each binding's changes come from. Most types are types of change
 * (src/changes/change-types.ts). A view of a model that has a type of its own
 * (`deployment`, Pothos' variant of the `Workload` model over the rows of one kind,
 * src/schema/resources/define-resource.ts) names no change: a workload's changes are
 * `Workload`'s whatever its kind. So a view hears its model's changes, and the rows it
 * does not select are left out by their ids (the view's `holdsId`: a workload's id names
 * its kind), which also tells whose removal it is once the row is gone, and by reading
 * each one through the view (its `where`, as its GET applies it). Types that are neither
 * (no changes are captured for them) hear nothing.
 */
function changeSources(model: ApiModel, schema: GraphQLSchema): ChangeSources {
  const sourceOf = new Map<ResourceBinding, string>();
  const stored = new Set<ResourceBinding>();
  const viewHolds = new Map<ResourceBinding, (id: string) => boolean>();
  for (const binding of model.bindings.values()) {
    if (changeTypes.has(binding.typeName)) {
      sourceOf.set(binding, binding.typeName);
      stored.add(binding);
      continue;
    }
    const extensions = schema.getType(binding.typeName)?.extensions as { pothosPrismaModel?: string; variantHoldsId?: (id: string) => boolean } | undefined;
    const prismaModel = extensions?.pothosPrismaModel;
    // define-resource.ts makes every such view say which ids are its own.
    if (prismaModel !== undefined && changeTypes.has(prismaModel) && extensions?.variantHoldsId) {
      sourceOf.set(binding, prismaModel);
      viewHolds.set(binding, extensions.variantHoldsId);
    }
  }
  return { sourceOf, stored, viewHolds };
}

function eventName(change: Change): EventName {
  return change.verb === 'create' ? 'resource.create' : change.verb === 'remove' ? 'resource.remove' : 'resource.change';
}

function send(client: WebSocket, name: string, data: unknown): void {
  if (client.readyState === client.OPEN) client.send(message(name, data));
}

/** One of Norman's messages, as sent. */
function message(name: string, data: unknown): string {
  return JSON.stringify({ name, data });
}

/** A path segment percent-decoded once; one that is not valid percent-encoding stays as sent (it then matches no project). */
function decodedSegment(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
