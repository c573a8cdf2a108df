import { ApiError } from '../errors.js';

/** A validation issue as the Standard Schema interface (zod, Pothos' validation plugin) reports it. */
export interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * One INVALID_INPUT error per invalid input field (the first issue of each), in the
 * order they were found. Arguments named `input` wrap the resource's fields:
 * `fieldName` is the resource field at fault (as Norman reports it) and the message
 * carries the full path (`machinePools.0.quantity: …`). An issue inside a field also
 * carries that path as `fieldPath` (`["machinePools", 0, "quantity"]`: list indexes as
 * numbers, map keys whole, dots and all), so a form can put it beside the very input.
 */
export function inputIssues(issues: readonly Issue[]): [ApiError, ...ApiError[]] {
  const byPath = new Map<string, ApiError>();
  for (const issue of issues) {
    const path = (issue.path ?? [])
      .map((segment) => (typeof segment === 'object' ? segment.key : segment))
      .map((key) => (typeof key === 'number' ? key : String(key)));
    const fieldPath = path[0] === 'input' ? path.slice(1) : path;
    const shown = fieldPath.join('.') || 'input';
    if (byPath.has(shown)) continue;
    const fieldName = fieldPath[0] === undefined ? 'input' : String(fieldPath[0]);
    byPath.set(shown, new ApiError('INVALID_INPUT', `${shown}: ${issue.message}`, { fieldName, ...(fieldPath.length > 1 ? { fieldPath } : {}) }));
  }
  const [first, ...rest] = byPath.values();
  return [first ?? new ApiError('INVALID_INPUT', 'input: invalid value', { fieldName: 'input' }), ...rest];
}
