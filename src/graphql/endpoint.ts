/**
 * Where the GraphQL face answers, apart from the face itself (yoga.ts, websocket.ts)
 * so that the router and the upgrade handler can route without loading Yoga: the
 * faces are built on first use (src/faces.ts).
 */
export const graphqlEndpoint = '/graphql';

/** graphql-ws sockets open on the GraphQL endpoint itself. */
export const isGraphQLSocketPath = (pathname: string): boolean => pathname === graphqlEndpoint;
