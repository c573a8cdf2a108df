import type { GraphQLRequestError } from '@cattle-graph/client';

/**
 * The server's INVALID_INPUT for one field, or for one input inside a field (`path`:
 * INVALID_INPUT's `fieldPath`), shown next to it; its id ({@link errorId}) is the
 * input's aria-describedby. `except` leaves out errors another FieldError shows.
 */
export function FieldError({
  error,
  field,
  path,
  except = [],
}: {
  error: GraphQLRequestError | null;
  field?: string;
  path?: ReadonlyArray<string | number>;
  except?: ReadonlyArray<ReadonlyArray<string | number>>;
}) {
  const at = path ?? [field ?? ''];
  const found =
    at.length === 1
      ? error?.errors.find((entry) => entry.extensions?.fieldName === at[0] && !except.some((shown) => sameEntry(entry.extensions?.fieldPath, shown)))
      : error?.errorAt(at);
  return found ? (
    <p className="error" role="alert" id={errorId(at)}>
      {found.message}
    </p>
  ) : null;
}

/** The id of the error shown for `path`, for the input's aria-describedby. */
export const errorId = (path: ReadonlyArray<string | number>) => `${path.join('-')}-error`;

function sameEntry(fieldPath: ReadonlyArray<string | number> | undefined, path: ReadonlyArray<string | number>): boolean {
  return fieldPath !== undefined && fieldPath.length === path.length && fieldPath.every((segment, index) => segment === path[index]);
}

/** Errors that name no field (CONFLICT, PERMISSION_DENIED, …), shown once under the form. */
export function OtherErrors({ error }: { error: GraphQLRequestError | null }) {
  const general = error?.errors.filter((entry) => !entry.extensions?.fieldName) ?? [];
  return general.length > 0 ? (
    <p role="alert" className="error">
      {general.map((entry) => entry.message).join('; ')}
    </p>
  ) : null;
}
