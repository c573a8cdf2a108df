import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Trusted documents: the client package's operations, published as a manifest
 * (client/persisted-documents.json: SHA-256 of the text → text, written by
 * `npm run codegen`), run by hash. Requests carry
 * `extensions.persistedQuery = { version: 1, sha256Hash }` instead of the text.
 *
 * Arbitrary documents stay allowed unless `onlyTrusted()` says otherwise (the
 * `graphql-trusted-documents-only` setting, read per request so it changes without a
 * restart); then any request carrying its own text is refused with the code
 * TRUSTED_DOCUMENTS_ONLY, and an unknown hash with PERSISTED_QUERY_NOT_IN_LIST.
 */
/** The refusals, in the same words over HTTP (Yoga's plugin) and over a WebSocket ({@link trustedText}). */
const refusals = {
  persistedQueryOnly: {
    message: 'this server runs only trusted documents: send a persisted operation by its hash (extensions.persistedQuery.sha256Hash)',
    extensions: { code: 'TRUSTED_DOCUMENTS_ONLY', http: { status: 400 } },
  },
  notFound: {
    message: 'no trusted document has this hash; send the operation text, or update the client',
    extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 400 } },
  },
  keyNotFound: {
    message: 'a GraphQL request needs a query, or a persisted operation hash in extensions.persistedQuery',
    extensions: { code: 'INVALID_INPUT', http: { status: 400 } },
  },
} as const;

export function useTrustedDocuments(onlyTrusted: () => Promise<boolean>, manifest: Record<string, string> = clientManifest()): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => (Object.hasOwn(manifest, hash) ? manifest[hash]! : null),
    allowArbitraryOperations: async () => !(await onlyTrusted()),
    customErrors: refusals,
  });
}

/**
 * The text a graphql-ws subscribe message runs, by the rule HTTP requests follow: the
 * trusted document its `extensions.persistedQuery.sha256Hash` names, else its own text
 * unless only trusted documents may run. The refusal, as a GraphQL error, otherwise.
 */
export async function trustedText(
  params: { query?: unknown; extensions?: Record<string, unknown> | null },
  onlyTrusted: () => Promise<boolean>,
  manifest: Record<string, string> = clientManifest(),
): Promise<string | GraphQLError> {
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof persisted?.sha256Hash === 'string') {
    return Object.hasOwn(manifest, persisted.sha256Hash) ? manifest[persisted.sha256Hash]! : refusal('notFound');
  }
  if (typeof params.query !== 'string' || params.query === '') return refusal('keyNotFound');
  return (await onlyTrusted()) ? refusal('persistedQueryOnly') : params.query;
}

function refusal(kind: keyof typeof refusals): GraphQLError {
  const { message, extensions } = refusals[kind];
  return new GraphQLError(message, { extensions: { code: extensions.code } });
}

let manifestRead: Record<string, string> | undefined;

/** The client package's manifest, read once: HTTP and WebSocket operations look hashes up in the same one. */
function clientManifest(): Record<string, string> {
  manifestRead ??= JSON.parse(readFileSync(new URL('../../client/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;
  return manifestRead;
}
