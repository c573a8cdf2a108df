import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ApiError } from '../errors.js';
import { chunksOf, declaredLength, readLimitedBody } from '../http/limited-body.js';
import { decodeUtf8, hasUtf8Escapes, invalidUtf8 } from '../http/strict-utf8.js';

/**
 * The largest body /graphql reads: room for the largest input (a 1 MiB secret, escaped
 * in JSON) with margin. Read here, once, instead of by Yoga's own limit, which pipes every
 * body through a TransformStream (a stream pipeline and an aborted signal per request).
 */
const graphqlBodyLimit = 4 * 1024 * 1024;

/**
 * Yoga reads POST bodies with `Request#text()`/`json()`, which turn bytes that are not
 * UTF-8 into U+FFFD: a document or variables with such bytes would run, and their
 * strings be stored, as if U+FFFD had been sent. This reads the body strictly first
 * (src/http/strict-utf8.ts) and hands Yoga's own parser for the content type (JSON,
 * `application/graphql`, a form — whose escapes are checked too) the decoded text,
 * or refuses the request as bad input: INVALID_INPUT with reason `InvalidCharacters`,
 * like a NUL in a string. A body over `graphqlBodyLimit` is refused with 413
 * PAYLOAD_TOO_LARGE, from its Content-Length before reading when it declares one.
 */
export function useStrictUtf8Body(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || request.method !== 'POST') return;
      setRequestParser(async (original) => {
        let text: string;
        try {
          const bytes = await readLimitedBody(chunksOf(original.body), graphqlBodyLimit, declaredLength(original.headers.get('content-length')));
          text = decodeUtf8(bytes, 'the request body');
          // A form's values are percent-escaped: their bytes must be UTF-8 too.
          if (isForm(original) && !hasUtf8Escapes(text)) throw invalidUtf8('the request body');
        } catch (error) {
          throw requestBodyError(error);
        }
        return requestParser(new fetchAPI.Request(original.url, { method: 'POST', headers: original.headers, body: text }));
      });
    },
  };
}

/** Body refusals are request errors: no operation ran, so Yoga answers them with their own status. */
function requestBodyError(error: unknown): GraphQLError {
  if (error instanceof ApiError && error.code === 'PAYLOAD_TOO_LARGE')
    return new GraphQLError(error.message, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } } });
  return new GraphQLError((error as Error).message, {
    extensions: { code: 'INVALID_INPUT', reason: 'InvalidCharacters', http: { status: 400, spec: true } },
  });
}

const isForm = (request: Request) => (request.headers.get('content-type') ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
