import { useOnResolve } from '@envelop/on-resolve';
import { getGraphQLRateLimiter, type GraphQLRateLimitDirectiveArgs, type Store } from 'graphql-rate-limit';
import type { YogaInitialContext } from 'graphql-yoga';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';

/**
 * Field-level limits in graphql-rate-limit's terms (`max`, `window`, `identityArgs`),
 * declared on the field itself: `extensions: { rateLimit: { max: 10, window: '1m' } }`.
 * They apply on top of the per-user request limit, to fields that are costly or
 * worth guessing at (logins, key creation, the proxy), for GraphQL and /v3 alike
 * since both run through this pipeline.
 */
export type FieldRateLimit = Pick<GraphQLRateLimitDirectiveArgs, 'max' | 'window' | 'identityArgs' | 'message'>;

export function fieldRateLimit(limit: FieldRateLimit): { rateLimit: FieldRateLimit } {
  return { rateLimit: limit };
}

export function useFieldLimits(store: Store) {
  const limiter = getGraphQLRateLimiter({
    store,
    // Per user; callers without a credential (logins) per address.
    identifyContext: (context: Context) => (context.principal ? `user:${context.principal.userId}` : `address:${context.clientAddress}`),
    formatError: ({ fieldName, max, window }) => `${fieldName} may be called ${max} times per ${Math.round(window / 1000)} s; try again later`,
    // Off on purpose: the atomic store counts every aliased call already.
    enableBatchRequestCache: false,
  });
  return useOnResolve<Context & YogaInitialContext>(async ({ context, root, args, info }) => {
    const limit = info.parentType.getFields()[info.fieldName]?.extensions?.rateLimit as FieldRateLimit | undefined;
    if (!limit) return;
    const refusal = await limiter({ parent: root, args, context, info }, limit);
    if (refusal) throw new ApiError('RATE_LIMITED', refusal);
  });
}
