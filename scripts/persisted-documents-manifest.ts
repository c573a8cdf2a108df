import { createHash } from 'node:crypto';
import * as hooks from '../client/src/generated/hooks.js';

/** Where the manifest lives: in the client package, which publishes it, and the server reads it. */
export const persistedDocumentsFile = 'client/persisted-documents.json';

/**
 * The trusted-documents manifest: every operation document the client package exports
 * (`XxxDocument`, fragments included in its text), keyed by the SHA-256 of exactly the
 * text the client's fetcher hashes, sorted so that codegen stays deterministic.
 */
export function persistedDocuments(): Record<string, string> {
  const texts = Object.entries(hooks)
    .filter(([name, value]) => name.endsWith('Document') && value instanceof String)
    .map(([, value]) => String(value));
  const entries = texts.map((text) => [createHash('sha256').update(text).digest('hex'), text] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
