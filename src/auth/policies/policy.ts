import type { Context } from '../../context.js';
import { ApiError, notFound } from '../../errors.js';
import type { ResourceStore } from '../../services/resource-store.js';
import type { Services } from '../../services/index.js';
import type { Access } from '../access.js';
import type { Principal } from '../principal.js';

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
  /** Where the type's rows are read (for checks that need one). */
  store(services: Services): ResourceStore<Row, Where, object>;
  /** The rows the caller may `verb`. */
  where(principal: Principal | null, verb: Verb | 'read'): Where;
  /** The columns {@link allows} reads from a row, so select-mode reads load them. */
  readonly rowColumns: { readonly [column: string]: true };
  /** The same rule for a row already loaded. */
  allows(access: Access, row: Row, verb: Verb): Promise<boolean>;
}


/**
 * Lets the request through when the caller may `verb` resource `id`; otherwise
 * PERMISSION_DENIED if they may at least see it, NOT_FOUND if not. One read when
 * allowed; a second only to word a refusal.
 */
export async function authorize<Verb extends string>(context: Context, policy: ResourcePolicy<{ id: string }, object, Verb>, id: string, verb: Verb | 'read'): Promise<void> {
  const store = policy.store(context.services);
  if (await store.find(id, { select: { id: true } }, policy.where(context.principal, verb))) return;
  throw await refusal(context, policy, id, verb);
}

/**
 * Why a read scoped to `verb` found nothing: the caller may see the row but not
 * `verb` it (PERMISSION_DENIED), or the row is missing or invisible (NOT_FOUND).
 */
export async function refusal<Verb extends string>(context: Context, policy: ResourcePolicy<{ id: string }, object, Verb>, id: string, verb: Verb | 'read'): Promise<ApiError> {
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
      throw new ApiError('INVALID_INPUT', `${policy.type} ${JSON.stringify(reference.id)} not found`, { fieldName: reference.fieldName, reason: 'InvalidReference' });
    }
    throw error;
  }
}

function describeVerb(verb: string): string {
  return verb.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}
