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
 * carries the full path (`spec.machinePools.0.quantity: …`).
 */
export function inputIssues(issues: readonly Issue[]): [ApiError, ...ApiError[]] {
  const byPath = new Map<string, ApiError>();
  for (const issue of issues) {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment));
    const fieldPath = path[0] === 'input' ? path.slice(1) : path;
    const shown = fieldPath.join('.') || 'input';
    if (byPath.has(shown)) continue;
    byPath.set(shown, new ApiError('INVALID_INPUT', `${shown}: ${issue.message}`, { fieldName: fieldPath[0] ?? 'input' }));
  }
  const [first, ...rest] = byPath.values();
  return [first ?? new ApiError('INVALID_INPUT', 'input: invalid value', { fieldName: 'input' }), ...rest];
}
