import type { Plugin } from 'graphql-yoga';

/**
 * Yoga refuses a few requests with a bare status and no body: 415 for a POST no
 * parser reads (`text/plain`, a multipart form — uploads are off) and 406 for an
 * answer the client does not accept (a subscription without `text/event-stream`).
 * Every refusal of this face is a GraphQL error with a code, so these are too: the
 * same status and headers, with a body that says what to send instead.
 */
export function useBodilessRefusals(): Plugin {
  return {
    onResponse({ response, setResponse, fetchAPI }) {
      if (response.status < 400 || response.body !== null) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      const body = { errors: [{ message: explanations[response.status] ?? response.statusText, extensions: { code: 'BAD_REQUEST' } }] };
      setResponse(new fetchAPI.Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers }));
    },
  };
}

const explanations: Record<number, string> = {
  406: 'the answer is application/json or application/graphql-response+json, and text/event-stream for a subscription: accept one of them',
  415: 'a GraphQL request is sent as application/json, application/graphql or a form, or by GET',
};
