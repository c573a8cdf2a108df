import { createSourceEventStream, execute, getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Change } from '../changes/change.js';
import { oncePerBatch, oncePerChangeSettling, settledAnswer } from '../changes/shared.js';
import { sharingOf } from '../schema/shared-events.js';
import { directDeliveryOf } from './direct-delivery.js';

/**
 * A subscription's selection, executed once per event for every subscriber alike
 * instead of once per subscriber. A thousand subscribers of one document, with the same
 * identity (src/schema/shared-events.ts says which events may be shared, under which
 * key), get the one result object; executing the selection per subscriber and event was
 * the largest part of a fan-out's cost after the socket writes. Events that are not
 * marked shareable are executed per subscriber, as graphql-js does.
 */
export function useSharedSubscriptionEvents(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn((args) => subscribeSharing(args as ExecutionArgs) as never);
    },
  };
}

/** graphql-js' `subscribe` (the source stream, then each event through `execute`), with each event's result shared. */
async function subscribeSharing(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const shape = `${documentId(args.document)}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
  const operation = getOperationAST(args.document, args.operationName);
  // The full key, made again only when the subscriber's own key changes (its rights did).
  let subscriberKey: string | undefined;
  let sharedKey = '';
  const keyFor = (key: string) => {
    if (key !== subscriberKey) {
      subscriberKey = key;
      sharedKey = `graphql|${shape}|${key}`;
    }
    return sharedKey;
  };
  // An event whose result is made already can be written without this generator (direct-delivery.ts).
  const delivery = directDeliveryOf(args.contextValue as object);
  delivery.resultFor = (change, key) => settledAnswer<ExecutionResult>(change, keyFor(key));
  delivery.alikeKey = keyFor;
  // The key names the document and its variables, which fix what `wants` keeps: every
  // subscriber under it asks the same of a batch, and the first one's answer serves all.
  delivery.resultsFor = (batch, key, wants) =>
    oncePerBatch(batch, keyFor(key), () => {
      const results: ExecutionResult[] = [];
      for (const change of batch) {
        if (!wants(change)) continue;
        const result = settledAnswer<ExecutionResult>(change, keyFor(key));
        if (!result || result.errors?.length) return undefined;
        results.push(result);
      }
      return results;
    });
  /** The event's result, executed by whichever subscriber under `key` asks first (its chain, or its cohort). */
  const sharedResult = (change: Change, key: string, event: unknown) => oncePerChangeSettling(change, keyFor(key), () => executeEvent(args, event));
  delivery.makeResults = (batch, key, wants, eventOf) => Promise.all(batch.filter(wants).map((change) => sharedResult(change, key, eventOf(change))));
  return (async function* results() {
    const iterator = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await iterator.next();
        } catch (error) {
          // As graphql-tools' executor reports a source stream's failure: located at the operation, the cause kept.
          const cause = error instanceof Error ? error : new Error(String(error));
          throw new GraphQLError(cause.message, { nodes: operation ? [operation] : undefined, originalError: cause });
        }
        if (next.done) return;
        const sharing = sharingOf(next.value);
        const payload = next.value;
        yield await (sharing ? sharedResult(sharing.change, sharing.key, payload) : executeEvent(args, payload));
      }
    } finally {
      await iterator.return?.();
    }
  })();
}

/** The subscription's selection for one event. */
async function executeEvent(args: ExecutionArgs, payload: unknown): Promise<ExecutionResult> {
  return serialisedOnce(await execute({ ...args, rootValue: payload }));
}

/**
 * Gives a shared result its JSON once: Yoga's result processors call a result's own
 * `stringify` when it has one (non-enumerable here, so it is not serialised itself).
 */
function serialisedOnce(result: ExecutionResult): ExecutionResult {
  let json: string | undefined;
  Object.defineProperty(result, 'stringify', {
    value: (value: unknown) => {
      if (value !== result) return JSON.stringify(value);
      json ??= JSON.stringify(result);
      return json;
    },
  });
  return result;
}

/** A number per parsed document: Yoga parses a document once and reuses it, so equal queries share one. */
const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;

function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) {
    lastDocumentId += 1;
    id = lastDocumentId;
    documentIds.set(document, id);
  }
  return id;
}
