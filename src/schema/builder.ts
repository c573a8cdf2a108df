import SchemaBuilder, { type SchemaTypes } from '@pothos/core';
import { actsAsAdmin } from '../auth/principal.js';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { Context } from '../context.js';
import { ApiError, InvalidInputs } from '../errors.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { decodeResourceId } from './resource-ids.js';
import { inputIssues } from './input-issues.js';
import { pageSize, pageSizeArgOptions } from './page-size.js';
import LoadedColumnsPlugin from './loaded-columns.js';
import { relayDescriptionOptions } from './relay-options.js';
import UpperCaseEnumsPlugin from './upper-case-enums.js';

/**
 * The one schema builder. Each domain file in this folder adds its types, queries
 * and mutations to it; `schema.ts` imports them all and builds the schema.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    StringMap: { Input: Record<string, string>; Output: Record<string, string> };
    IntOrString: { Input: number | string; Output: number | string };
    PortNumberOrName: { Input: number | string; Output: number | string };
  };
  DefaultFieldNullability: false;
  AuthScopes: {
    /** A valid credential came with the request. */
    authenticated: boolean;
    /** …and its user has the global `admin` role. */
    admin: boolean;
  };
}>({
  // No errors plugin: failures travel as GraphQL errors with `extensions.code`, the one
  // contract both faces share (codes map 1:1 to Norman's). Union-typed error results
  // would give GraphQL clients a second, different way to fail.
  plugins: [ScopeAuthPlugin, LoadedColumnsPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin, UpperCaseEnumsPlugin],
  scopeAuth: {
    // An admin's key scoped to a cluster or project carries no admin rights: a scope only narrows.
    authScopes: ({ principal }) => ({ authenticated: principal !== null, admin: actsAsAdmin(principal) }),
    // Anonymous callers are told to authenticate; authenticated ones that lack a role
    // are refused. (What a caller may not even see is NOT_FOUND, decided by services.)
    unauthorizedError: (_parent, context) =>
      context.principal
        ? new ApiError('PERMISSION_DENIED', 'your roles do not allow this')
        : new ApiError('UNAUTHORIZED', 'this API needs a credential: an API key (Basic or Bearer) or a session cookie'),
  },
  // Outputs are non-null unless a field says otherwise: /v3 `nullable` flags and the
  // generated frontend types both read this, so it is decided once, here.
  defaultFieldNullability: false,
  prisma: {
    client: (context) => context.prisma,
    // Prisma 7 clients carry no DMMF at run time; the generator wrote it for us.
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    defaultConnectionSize: pageSize.default,
    maxConnectionSize: pageSize.max,
    // A resolver that forgets to spread `query` silently loses N+1 protection.
    onUnusedQuery: 'error',
  },
  relay: {
    // The GraphQL id of a resource IS its Rancher id (`c-abcde`, `c-abcde:p-fghij`):
    // its prefix already names the type, so no base64 wrapping.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalId) => decodeResourceId(globalId),
    cursorType: 'String',
    clientMutationId: 'omit',
    // Declared in node-lookups.ts, where a malformed id fails only its own place.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    ...pageSizeArgOptions,
    ...relayDescriptionOptions,
  },
  validation: {
    // Every invalid field at once, one error each; the first is the one /v3 names.
    validationError: (result) => new InvalidInputs(inputIssues(result.issues)),
  },
});

/** The builder's type parameters, for helpers that take Pothos field builders. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types extends SchemaTypes> ? Types : never;

// Everything needs a credential unless a field says otherwise (only `login` does).
builder.queryType({
  description: 'Every read: one resource by id (`cluster(id:)`, `node(id:)`), lists of each type (`clusters`), and the caller (`me`). Each needs a credential.',
  authScopes: { authenticated: true },
});
builder.mutationType({
  description:
    'Every write: `create<Type>`, `update<Type>`, `delete<Type>`, and actions named verb first (`generateClusterKubeconfig`). Each needs a credential but `login`.',
  authScopes: { authenticated: true },
});
