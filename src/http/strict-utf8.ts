import { ApiError } from '../errors.js';

/**
 * Text from the wire is UTF-8, or it is refused. Node's `Buffer#toString` and
 * `URLSearchParams` quietly turn bytes that are not UTF-8 into U+FFFD, so a client's
 * garbage used to be stored (and searched for) as if it had been sent on purpose.
 * Every face reads bodies, paths and query strings through here, and answers what
 * is not UTF-8 as bad input (INVALID_INPUT, reason `InvalidCharacters`, the same as
 * a NUL byte: src/graphql/well-formed-strings.ts).
 */
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or INVALID_INPUT/InvalidCharacters naming `what` when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw invalidUtf8(what);
  }
}

export const invalidUtf8 = (what: string) => new ApiError('INVALID_INPUT', `${what} is not valid UTF-8`, { reason: 'InvalidCharacters' });

/**
 * Whether the percent-escapes in a request target (path and query) or a form body
 * decode to UTF-8: each run of consecutive escapes must be whole UTF-8 characters, as
 * `decodeURIComponent` demands (URLSearchParams would read the rest as U+FFFD). A `%`
 * that starts no escape is left alone: URLSearchParams reads it as a literal `%`.
 */
export function hasUtf8Escapes(text: string): boolean {
  // Escapes of ASCII only: nothing to decode (the common case).
  if (!/%[89a-fA-F][0-9a-fA-F]/.test(text)) return true;
  for (const [run] of text.matchAll(/(?:%[0-9a-fA-F]{2})+/g)) {
    try {
      strictDecoder.decode(Buffer.from(run.replaceAll('%', ''), 'hex'));
    } catch {
      return false;
    }
  }
  return true;
}
