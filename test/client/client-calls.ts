import { configureClient, type GraphQLRequestError } from '@cattle-graph/client';

/** The client package pointed at a test server, sending these request headers (none: not signed in). */
export function configureFor(server: { url: string }, headers: Record<string, string> = {}): void {
  configureClient({ endpoint: `${server.url}/graphql`, headers: () => headers });
}

/** The error a call of the client failed with, or undefined when it succeeded. */
export function failureOf(request: Promise<unknown>): Promise<GraphQLRequestError | undefined> {
  return request.then(
    () => undefined,
    (error: unknown) => error as GraphQLRequestError,
  );
}
