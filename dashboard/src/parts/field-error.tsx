import type { GraphQLRequestError } from '@cattle-graph/client';

/** The server's INVALID_INPUT for one field, shown next to it. */
export function FieldError({ error, field }: { error: GraphQLRequestError | null; field: string }) {
  const message = error?.errorFor(field)?.message;
  return message ? <p className="error" role="alert" id={`${field}-error`}>{message}</p> : null;
}
