import type { Context } from '../../context.js';
import { ApiError, notFound } from '../../errors.js';
import type { ResourceStore } from '../../services/resource-store.js';
import type { Services } from '../../services/index.js';
import type { Access, Decision } from '../access.js';
import { actsAsAdmin, type Principal } from '../principal.js';

/**
 * Everything that decides who may see and change one resource type, in one value:
 * the rows a caller may `verb`, as a Prisma `where` fragment (lists, counts and
 * single reads filter in SQL, so an invisible row looks missing), and the same rule
 * for rows already loaded (the per-row `canUpdate`/`canRemove`/`availableActions`).
 * The authorization matrix holds the two answers to each other.
 */
export interface ResourcePolicy<Row extends { id: string }, Where extends object, Verb extends string> {
  /** The type's name in messages: `cluster "c-x" not found`. */
  readonly type: string;
  /** Where the type's rows are read (for checks that need one; `Row` may hold related columns the store's own rows lack). */
  store(services: Services): ResourceStore<{ id: string }, Where, object>;
  /** The rows the caller may `verb`. */
  where(principal: Principal | null, verb: Verb | 'read'): Where;
  /** The columns {@link allows} reads from a row (or from a relation), so select-mode reads load them. */
  readonly rowColumns: { readonly [column: string]: true | { readonly select: object } };
  /** The same rule for a row already loaded (`services` for rules that read configuration, as settings do). */
  allows(access: Access, row: Row, verb: Verb, services: Services): Decision;
  /**
   * Refusals that hold whatever the row (admins only, no scoped keys), answered before
   * anything is read: the error to raise, or undefined to go on to the scoped read.
   */
  gate?(principal: Principal | null, verb: Verb | 'read' | 'create'): ApiError | undefined;
}

/** The gate of types only admins change (with an unscoped key), in Pothos' own words for a missing role. */
export function adminsOnly(principal: Principal | null): ApiError | undefined {
  return actsAsAdmin(principal) ? undefined : new ApiError('PERMISSION_DENIED', 'your roles do not allow this');
}

/** The gate of global types a key scoped to a cluster or a project may not reach at all. */
export function unscopedKeysOnly(principal: Principal | null): ApiError | undefined {
  return principal?.clusterId || principal?.projectId ? new ApiError('PERMISSION_DENIED', 'a key scoped to a cluster or project cannot do this') : undefined;
}

/** The per-row rule of owned rows (credentials, node templates): their owner and admins, through an unscoped key. */
export function ownerOrAdmin(access: Access, row: { ownerId: string }): boolean {
  return !unscopedKeysOnly(access.principal) && (access.actsAsAdmin() || row.ownerId === access.principal?.userId);
}

/** Throws the policy's gate refusal for `verb`, if any. */
export function passGate<Verb extends string>(context: Context, policy: ResourcePolicy<{ id: string }, object, Verb>, verb: Verb | 'read' | 'create'): void {
  const refused = policy.gate?.(context.principal, verb);
  if (refused) throw refused;
}

/**
 * Lets the request through when the caller may `verb` resource `id`; otherwise
 * PERMISSION_DENIED if they may at least see it, NOT_FOUND if not. One read when
 * allowed; a second only to word a refusal.
 */
export async function authorize<Verb extends string>(
  context: Context,
  policy: ResourcePolicy<{ id: string }, object, Verb>,
  id: string,
  verb: Verb | 'read',
): Promise<void> {
  const store = policy.store(context.services);
  if (await store.find(id, { select: { id: true } }, policy.where(context.principal, verb))) return;
  throw await refusal(context, policy, id, verb);
}

/**
 * Why a read scoped to `verb` found nothing: the caller may see the row but not
 * `verb` it (PERMISSION_DENIED), or the row is missing or invisible (NOT_FOUND).
 */
export async function refusal<Verb extends string>(
  context: Context,
  policy: ResourcePolicy<{ id: string }, object, Verb>,
  id: string,
  verb: Verb | 'read',
): Promise<ApiError> {
  if (verb !== 'read' && (await policy.store(context.services).find(id, { select: { id: true } }, policy.where(context.principal, 'read')))) {
    return new ApiError('PERMISSION_DENIED', `you may not ${describeVerb(verb)} ${policy.type} ${JSON.stringify(id)}`);
  }
  return notFound(policy.type, id);
}

/**
 * For an id named in an input: a target the caller may not see is an invalid
 * reference of that field (as if it did not exist), not a NOT_FOUND of the request.
 */
export async function authorizeReference<Verb extends string>(
  context: Context,
  policy: ResourcePolicy<{ id: string }, object, Verb>,
  reference: { fieldName: string; id: string },
  verb: Verb | 'read',
): Promise<void> {
  try {
    await authorize(context, policy, reference.id, verb);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NOT_FOUND') {
      throw new ApiError('INVALID_INPUT', `${policy.type} ${JSON.stringify(reference.id)} not found`, {
        fieldName: reference.fieldName,
        reason: 'InvalidReference',
      });
    }
    throw error;
  }
}

function describeVerb(verb: string): string {
  return verb.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}
