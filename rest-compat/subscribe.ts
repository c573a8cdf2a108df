import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { identityKey } from '../src/auth/principal.js';
import type { Change } from '../src/changes/change.js';
import type { StreamStart } from '../src/changes/registry.js';
import { oncePerChange } from '../src/changes/shared.js';
import type { ChangeStream } from '../src/changes/stream.js';
import type { Context } from '../src/context.js';
import type { GraphQLServer } from '../src/graphql/yoga.js';
import type { SocketRoute } from '../src/http/upgrade.js';
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
 */
export function normanSubscribeRoute(options: { model: ApiModel; graphql: GraphQLServer; run: RunOperation; logger: Logger }): SocketRoute & { close(): void } {
  const { model } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const byTypeName = new Map([...model.bindings.values()].map((binding) => [binding.typeName, binding]));

  return {
    matches: isNormanSubscribePath,
    accept(request, socket, head) {
      const url = requestUrls(request);
      const projectId = decodedSegment(/^\/v3\/project\/([^/]+)\/subscribe$/.exec(url.request.pathname)?.[1]);
      const wantedTypes = url.request.searchParams.getAll('resourceTypes').flatMap((value) => value.split(','));
      const wantedEvents = new Set(url.request.searchParams.getAll('eventNames').flatMap((value) => value.split(',')));
      const types = new Set(
        wantedTypes
          .map((type) => model.aliases.get(type.toLowerCase()))
          .filter((id): id is string => id !== undefined)
          .map((id) => model.bindings.get(id)!.typeName),
      );
      sockets.handleUpgrade(request, socket, head, (client) => {
        void serve(client, request, {
          resourceType: wantedTypes.length > 0 ? wantedTypes.join(',') : null,
          resourceId: projectId ?? null,
          wants: (change) =>
            byTypeName.has(change.type) &&
            (wantedTypes.length === 0 || types.has(change.type)) &&
            (wantedEvents.size === 0 || wantedEvents.has(eventName(change))) &&
            (projectId === undefined || change.projectId === projectId || (change.type === 'Project' && change.id === projectId)),
        });
      });
    },
    close() {
      for (const client of sockets.clients) client.close(1001, 'server shutting down');
      sockets.close();
    },
  };

  async function serve(client: WebSocket, request: IncomingMessage, filter: StreamStart): Promise<void> {
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
    for await (const change of stream) {
      if (client.bufferedAmount > maxBufferedBytes) {
        stream.end({ reason: 'slow', message: 'the client does not read its messages' });
        break;
      }
      const message = await messageOf(change, context, request, stream).catch(() => undefined);
      if (message && client.readyState === client.OPEN) client.send(message);
    }
  }

  /**
   * The event's message, with the resource as the subscriber's GET would show it; undefined
   * when they may not see it. Read and rendered once for every subscriber who is the same
   * principal at the same address (what the GET shows depends on nothing else).
   */
  async function messageOf(change: Change, context: Context, request: IncomingMessage, stream: ChangeStream): Promise<string | undefined> {
    const binding = byTypeName.get(change.type)!;
    if (change.verb === 'remove') {
      if (!(await context.streams.mayLearnOfRemoval(change, stream, context.access.as(stream.principal)))) return undefined;
      return message(eventName(change), { id: change.id, type: binding.schemaId, baseType: binding.schemaId, state: 'removed', links: {} });
    }
    const { base } = requestUrls(request);
    const rendered = await oncePerChange(change, `v3-subscribe|${base}|${identityKey(stream.principal)}`, async () => {
      const found = (await options.run(request, documents.get(binding as ResourceBinding), { id: change.id })) as Record<string, unknown>;
      return message(eventName(change), normanResource(model, binding, found, { base, actionLinks: false }));
    });
    stream.remember(change.id);
    return rendered;
  }
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
