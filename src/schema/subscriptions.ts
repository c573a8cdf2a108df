import { parse, execute, type DocumentNode, type GraphQLSchema } from 'graphql';
import { resolveNodes } from '@pothos/plugin-relay';
import { actsAsAdmin, identityKey, type Principal, rightsKey } from '../auth/principal.js';
import type { Change } from '../changes/change.js';
import { changeTypes } from '../changes/change-types.js';
import { oncePerChangeSettling, settledAnswer } from '../changes/shared.js';
import type { Cohort } from '../changes/fan-out.js';
import { type ChangeStream, touchesCredentials } from '../changes/stream.js';
import type { Context } from '../context.js';
import { ApiError, invalidInput } from '../errors.js';
import { countDirectDelivery, type DirectDelivery, directDeliveryOf } from '../graphql/direct-delivery.js';
import { builder } from './builder.js';
import { shareEvent } from './shared-events.js';

/**
 * Live changes over GraphQL: `resourceChanges` streams every committed create,
 * update and remove of the resources the caller may see, on any instance, over
 * GraphQL over SSE (Accept: text/event-stream on /graphql) or graphql-ws (WebSocket
 * on /graphql). Each event is judged against the subscriber's rights of that moment:
 * an object it cannot read is never mentioned, and a revoked key ends the stream.
 */
interface ChangeEvent {
  change: Change;
  /** The subscriber as of this event (fresh rights), for reading the node. */
  context: Context;
}

const ChangeVerb = builder.enumType('ChangeVerb', {
  description: 'What happened to the object.',
  values: { create: { description: 'It was created.' }, update: { description: 'It changed.' }, remove: { description: 'It was deleted.' } } as const,
});

const ResourceChange = builder.objectRef<ChangeEvent>('ResourceChange').implement({
  description: 'One committed change of one object.',
  fields: (t) => ({
    revision: t.string({
      description: 'Position in the change feed (grows with every change). Pass the last one seen as `since` to resume after a reconnect.',
      resolve: (event) => event.change.revision.toString(),
    }),
    verb: t.field({ type: ChangeVerb, description: 'What happened to it: created, updated or removed.', resolve: (event) => event.change.verb }),
    type: t.string({ description: 'The GraphQL type of the object, e.g. `Cluster`.', resolve: (event) => event.change.type }),
    id: t.id({ description: 'The id of the resource that changed (its `id`, as `<type>(id:)` takes it).', resolve: (event) => event.change.id }),
    node: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      description: 'The object as it is now, as the subscriber may see it; null once removed.',
      resolve: async (event, _args, _context, info) =>
        event.change.verb === 'remove'
          ? null
          : ((await resolveNodes(builder, event.context, info, [{ id: event.change.id, typename: event.change.type }]))[0] as never),
    }),
  }),
});

builder.queryField('changeRevision', (t) =>
  t.string({
    description:
      'The newest revision of the change feed. Read it in the same request as a list, then subscribe to `resourceChanges` with `since` set to it: nothing committed in between is missed.',
    resolve: async (_root, _args, context) => (await context.streams.head()).toString(),
  }),
);

builder.subscriptionType({
  description: 'Live changes, over GraphQL over WebSocket or SSE: what the caller may see, as it is created, changed or removed. Each needs a credential.',
  authScopes: { authenticated: true },
});

builder.subscriptionField('resourceChanges', (t) =>
  t.field({
    type: ResourceChange,
    description:
      'Changes to the resources the caller may see, as they commit on any instance. Narrow with `types` (e.g. ["Cluster"]) or `id` (one object); resume with `since` (a revision seen before). A `since` older than the change window ends the stream with GONE: list again.',
    args: {
      types: t.arg.stringList({ description: 'Only these types (GraphQL type names of resources).' }),
      id: t.arg.id({ description: 'Only this object.' }),
      since: t.arg.string({ description: 'Replay the changes after this revision first.' }),
    },
    subscribe: (_root, args, context, info) => watch(context, info.schema, args),
    resolve: (event) => event,
  }),
);

async function* watch(
  context: Context,
  schema: GraphQLSchema,
  args: { types?: string[] | null; id?: string | null; since?: string | null },
): AsyncGenerator<ChangeEvent> {
  const announced = changeTypesOf(schema);
  for (const type of args.types ?? []) if (!announced.has(type)) throw notAChangeType(schema, type, announced);
  if (args.since != null && !/^\d{1,19}$/.test(args.since)) throw invalidInput('since', 'since is a revision: digits only');
  const types = args.types?.length ? new Set(args.types) : undefined;
  const wants = (change: Change) => (!types || types.has(change.type)) && (args.id == null || change.id === args.id) && announced.has(change.type);
  const stream = await context.streams.start(context.principal!, {
    resourceType: args.types?.length ? args.types.join(',') : null,
    resourceId: args.id ?? null,
    since: args.since != null ? BigInt(args.since) : undefined,
    wants,
  });
  try {
    // One object asked for by id: if the caller may see it now, they may hear of its removal.
    if (args.id != null && (await visible(schema, context, args.id))) stream.remember(args.id);
    const asNow = subscriberAsNow(context, stream);
    const delivery = directDeliveryOf(context);
    stream.deliverDirectly((change) => {
      // Only an SSE writer takes events directly (graphql-ws subscribers never set one).
      if (!delivery.write) return false;
      const current = asNow();
      if (!mayKnowAlready(current.context.principal!, stream, change)) return false;
      const result = delivery.resultFor?.(change, current.sharingKey);
      if (!result || result.errors?.length || !delivery.write(result)) return false;
      countDirectDelivery();
      return true;
    });
    // A whole batch at once, for a subscriber who may see everything (an admin): the
    // results and their bytes are then the same for every subscriber of this document
    // and identity, made once, and each subscriber's socket takes one write.
    stream.deliverBatchDirectly((changes) => {
      if (!delivery.writeAll || !delivery.resultsFor) return false;
      const current = asNow();
      if (!current.admin) return false;
      const results = delivery.resultsFor(changes, current.sharingKey, wants);
      if (!results || (results.length > 0 && !delivery.writeAll(results))) return false;
      countDirectDelivery(results.length, 'batch');
      return true;
    });
    // Admins with the same identity, document and address get the same bytes for a batch:
    // together, they are served in one pass (adminsAlike, below).
    const joined = asNow();
    if (joined.admin && delivery.writeAll && delivery.resultsFor && delivery.alikeKey)
      stream.joinCohort(delivery.alikeKey(joined.sharingKey), adminsAlike, {
        stream,
        principal: joined.context.principal!,
        sharingKey: joined.sharingKey,
        wants,
        event: (change) => eventFor(joined, change),
        delivery,
        sink: undefined,
      });
    for await (const change of stream) {
      const current = asNow();
      if (!(await mayKnow(schema, current.context, stream, change))) continue;
      yield eventFor(current, change);
    }
    const end = stream.endedBy;
    if (end && end.reason !== 'closed') throw streamEnded(end.reason, end.message);
  } finally {
    await stream.return();
  }
}

/** A subscriber of a cohort of alike admins: what deciding for it needs, as it joined. */
interface AlikeAdmin {
  stream: ChangeStream;
  /** The principal it joined with: once its rights change, it takes batches its own way. */
  principal: Principal;
  sharingKey: string;
  wants: (change: Change) => boolean;
  /** Its event for a change, as its own chain would yield it (what the batch's results are made of). */
  event: (change: Change) => ChangeEvent;
  delivery: DirectDelivery;
  /** Its delivery's sink as of the last batch the cohort gave it. */
  sink: DirectDelivery['sink'];
}

/**
 * A batch for admins alike, decided once: its results (made for the first of them, while
 * the fan-out holds them all back) and their bytes are the same for every member. A member is
 * served what `deliverBatchDirectly` would write, when its stream and writer would take
 * it; a settled member (src/changes/fan-out.ts) is as idle as at its last batch, so only
 * its sink's state is looked at — a thousand members cost a pass over a thousand sinks.
 */
const adminsAlike: Cohort<AlikeAdmin> = {
  deliver(batch, members, settled) {
    const first = members[0]!;
    if (!first.stream.holdsAtOnce(batch)) return members.map(() => false);
    const results = first.delivery.resultsFor?.(batch, first.sharingKey, first.wants);
    // Not made yet: made now, for all of them at once, while the fan-out holds them back.
    if (!results) return first.delivery.makeResults?.(batch, first.sharingKey, first.wants, first.event) ?? members.map(() => false);
    const bytes = results.length > 0 && first.delivery.encode ? first.delivery.encode(results) : undefined;
    const credentials = touchesCredentials(batch);
    let served = 0;
    const took = members.map((member, index) => {
      const { sink } = member;
      let takes: boolean;
      if (settled[index] && sink && bytes && !credentials) {
        takes = !sink.full;
        if (takes) sink.write(bytes);
      } else {
        takes =
          member.stream.principal === member.principal &&
          member.stream.takesBatchDirectly(batch) &&
          (results.length === 0 || member.delivery.writeAll!(results));
        member.sink = takes ? member.delivery.sink : undefined;
      }
      if (takes) served += 1;
      return takes;
    });
    countDirectDelivery(results.length * served, 'cohort');
    return took;
  },
};

/**
 * The subscriber with the rights it has now (a binding removed a moment ago no longer
 * counts), and the key its events are shared under. Made again only when the stream's
 * principal changes: per event and subscriber, a new context and key were most of a
 * fan-out's garbage.
 */
function subscriberAsNow(context: Context, stream: ChangeStream): () => SubscriberAsNow {
  let principal: Principal | undefined;
  let current: SubscriberAsNow | undefined;
  return () => {
    if (!current || principal !== stream.principal) {
      principal = stream.principal;
      current = {
        context: Object.assign(Object.create(context) as Context, { principal, access: context.access.as(principal) }),
        sharingKey: `${identityKey(principal)}|${context.baseUrl}`,
        admin: actsAsAdmin(principal),
      };
    }
    return current;
  };
}

/** The subscriber's event for `change`: subscribers who are the same principal at the same address see it alike. */
function eventFor(subscriber: SubscriberAsNow, change: Change): ChangeEvent {
  return shareEvent({ change, context: subscriber.context }, subscriber.sharingKey);
}

interface SubscriberAsNow {
  context: Context;
  /** Who else sees this subscriber's events alike. */
  sharingKey: string;
  /** Whether the subscriber acts as an admin (and may see every change). */
  admin: boolean;
}

/** Whether the subscriber may hear of the change: judged per event, once for all subscribers with the same rights. */
async function mayKnow(schema: GraphQLSchema, context: Context, stream: ChangeStream, change: Change): Promise<boolean> {
  const principal = context.principal!;
  if (change.verb === 'remove') return context.streams.mayLearnOfRemoval(change, stream, context.access);
  // An admin may hear of every removal: nothing to remember (a demoted admin's stream ends).
  if (actsAsAdmin(principal)) return true;
  if (!(await oncePerChangeSettling(change, visibilityKey(principal, change), () => visible(schema, context, change.id, change.type)))) return false;
  stream.remember(change.id);
  return true;
}

/**
 * {@link mayKnow}, answered without waiting: yes for an admin; for others, when their
 * rights class was judged already (remembering the id, as the chain does). A removal, or a
 * change not judged yet, is left to the chain (false).
 */
function mayKnowAlready(principal: Principal, stream: ChangeStream, change: Change): boolean {
  if (actsAsAdmin(principal)) return true;
  if (change.verb === 'remove' || settledAnswer<boolean>(change, visibilityKey(principal, change)) !== true) return false;
  stream.remember(change.id);
  return true;
}

/** Where one rights class's verdict on a change is kept: the chain writes it, the direct way reads it. */
function visibilityKey(principal: Principal, change: Change): string {
  return `graphql-visible|${rightsKey(principal, change.type)}`;
}

const nodeQuery = parse('query ($id: ID!) { node(id: $id) { id } }');
const lookups = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();

/**
 * Whether the caller can read the object now: through its type's own lookup
 * (`service(id:)`) when the schema has one, else through `node(id)`. An id's shape does
 * not always tell its type (a service's `c-x:apps:web` looks like a namespaced secret's),
 * so the change's type, where it names a lookup, is the surer way.
 */
async function visible(schema: GraphQLSchema, context: Context, id: string, type?: string): Promise<boolean> {
  const document = (type && lookupOf(schema, type)) || nodeQuery;
  const result = await execute({ schema, document, contextValue: context, variableValues: { id } });
  return Object.values((result.data as Record<string, unknown> | null | undefined) ?? {}).some(Boolean);
}

/** `query ($id: ID!) { service(id: $id) { id } }` for type `Service`, when the schema has that lookup. */
function lookupOf(schema: GraphQLSchema, type: string): DocumentNode | undefined {
  if (!lookups.has(schema)) lookups.set(schema, new Map());
  const known = lookups.get(schema)!;
  if (!known.has(type)) {
    const field = type.charAt(0).toLowerCase() + type.slice(1);
    const lookup = schema.getQueryType()?.getFields()[field];
    const byId = lookup?.args.length === 1 && lookup.args[0]!.name === 'id' && String(lookup.type) === type;
    if (byId) known.set(type, parse(`query ($id: ID!) { ${field}(id: $id) { id } }`));
  }
  return known.get(type);
}

const changeTypesBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** The resource types a change can name (src/changes/change-types.ts) that this schema has: what `types` may list. */
function changeTypesOf(schema: GraphQLSchema): ReadonlySet<string> {
  let known = changeTypesBySchema.get(schema);
  if (!known) {
    const resources = schema.getImplementations(schema.getType('Node') as never).objects.map((type) => type.name);
    known = new Set(resources.filter((type) => changeTypes.has(type)));
    changeTypesBySchema.set(schema, known);
  }
  return known;
}

/**
 * INVALID_INPUT for a `types` entry no change names, listing those that do. A view of a
 * resource (`Deployment`, Pothos' variant of the `Workload` model) is told where its
 * changes come: a filter that would never fire must not be taken silently.
 */
function notAChangeType(schema: GraphQLSchema, type: string, known: ReadonlySet<string>): ApiError {
  const model = (schema.getType(type)?.extensions as { pothosPrismaModel?: string } | undefined)?.pothosPrismaModel;
  const view =
    model && model !== type && known.has(model) ? ` (it is a view of ${model}: its changes come as ${model} changes, with the kind on the node)` : '';
  return invalidInput('types', `${JSON.stringify(type)} is not a type of change${view}; the types are ${[...known].sort().join(', ')}`);
}

function streamEnded(reason: string, message: string): ApiError {
  if (reason === 'revoked') return new ApiError('UNAUTHORIZED', message, { reason });
  if (reason === 'expired') return new ApiError('GONE', message, { reason });
  return new ApiError('SERVICE_UNAVAILABLE', message, { reason });
}
