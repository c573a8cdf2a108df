import { getGraphQLRateLimiter } from 'graphql-rate-limit';
import type { Redis } from 'ioredis';
import type { Context } from '../context.js';
import { createFieldLimitStore } from './field-limit-store.js';

export type GraphQLFieldRateLimiter = ReturnType<typeof getGraphQLRateLimiter>;

/**
 * graphql-rate-limit's limiter over the atomic store (./field-limit-store.ts), counting
 * in Redis when there is one. src/graphql/field-limits.ts loads this module when a
 * request first reaches a limited field.
 */
export function graphqlFieldRateLimiter(redis: Redis | undefined): GraphQLFieldRateLimiter {
  return getGraphQLRateLimiter({
    store: createFieldLimitStore(redis),
    // Per user; callers without a credential per address (src/graphql/field-limits.ts counts logins by address always).
    identifyContext: (context: Pick<Context, 'principal' | 'clientAddress'>) =>
      context.principal ? `user:${context.principal.userId}` : `address:${context.clientAddress}`,
    formatError: ({ fieldName, max, window }) => `${fieldName} may be called ${max} times per ${Math.round(window / 1000)} s; try again later`,
    // Off on purpose: the atomic store counts every aliased call already.
    enableBatchRequestCache: false,
  });
}
