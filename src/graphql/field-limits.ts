import type { GraphQLRateLimitDirectiveArgs } from 'graphql-rate-limit';
import type { Redis } from 'ioredis';
import type { GraphQLFieldRateLimiter } from '../rate-limit/field-rate-limiter.js';
import { isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { canonicalMutationName } from '../schema/resources/action-names.js';
import type { Context } from '../context.js';
import { ApiError } from '../errors.js';

/**
 * Field-level limits in graphql-rate-limit's terms (`max`, `window`, `identityArgs`),
 * declared on the field itself: `extensions: fieldRateLimit({ max: 10, window: '1m' })`.
 * They apply on top of the per-user request limit, to fields that are costly or
 * worth guessing at (logins, key creation, the proxy), for GraphQL and /v3 alike
 * since both execute this schema.
 */
export type FieldRateLimit = Pick<GraphQLRateLimitDirectiveArgs, 'max' | 'identityArgs' | 'message'> & { window: LimitWindow };

/** A window in the `ms` notation graphql-rate-limit reads, narrowed to what {@link windowSeconds} reads back. */
type LimitWindow = `${number}${keyof typeof unitSeconds}`;
const unitSeconds = { s: 1, m: 60, h: 3600 } as const;

/**
 * How long a refused caller waits at most: once a whole window has passed, none of the
 * calls it counted are counted any more (the store keeps each call's time for one window).
 */
function windowSeconds(window: LimitWindow): number {
  return Number(window.slice(0, -1)) * unitSeconds[window.at(-1) as keyof typeof unitSeconds];
}

export function fieldRateLimit(limit: FieldRateLimit): { rateLimit: FieldRateLimit } {
  return { rateLimit: limit };
}

/** Counts one call of a limited field; throws RATE_LIMITED past the limit. Each server has its own (its store). */
export type FieldLimiter = (
  call: { root: unknown; args: Record<string, unknown>; context: Context; info: GraphQLResolveInfo },
  limit: FieldRateLimit,
) => Promise<void>;

/**
 * The limiter of one server, counting in Redis when it has one (else in its memory).
 * graphql-rate-limit and the store are loaded when a request first reaches a limited
 * field (≈ 20 ms to load, which a start need not pay before it listens).
 */
export function createFieldLimiter(redis?: Redis): FieldLimiter {
  let loading: Promise<GraphQLFieldRateLimiter> | undefined;
  return async ({ root, args, context, info }, limit) => {
    loading ??= import('../rate-limit/field-rate-limiter.js').then(({ graphqlFieldRateLimiter }) => graphqlFieldRateLimiter(redis));
    // A field that names its caller's identity among its arguments (a login's username) is
    // counted by address and that identity, signed in or not: otherwise every account an
    // attacker holds would be one more bucket of guesses at someone else's password.
    const countedAs = limit.identityArgs?.length ? { principal: null, clientAddress: context.clientAddress } : context;
    const refusal = await (await loading)({ parent: root, args, context: countedAs, info }, limit);
    if (refusal) throw new ApiError('RATE_LIMITED', refusal, { headers: { 'retry-after': String(windowSeconds(limit.window)) } });
  };
}

/**
 * Wraps, once, the resolvers of the fields that declare a limit, so that they ask the
 * request's own limiter (`context.limitField`) first. Fields without a limit keep
 * their resolvers untouched: nothing is added to the path of every other field.
 */
export function applyFieldLimits(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const limit = field.extensions.rateLimit as FieldRateLimit | undefined;
      if (!limit) continue;
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve!;
      // A deprecated alias (`userChangePassword`) counts against the mutation it stands
      // for, so that two names never double a limit.
      const counted = canonicalMutationName(field);
      field.resolve = async (root, args: Record<string, unknown>, context: Context, info) => {
        await context.limitField({ root, args, context, info: counted === info.fieldName ? info : { ...info, fieldName: counted } }, limit);
        return resolve(root, args, context, info);
      };
    }
  }
  return schema;
}
