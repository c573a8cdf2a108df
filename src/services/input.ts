import { z } from 'zod';

/** Fields the caller gave a value; `null` and absent both mean "leave as it is". */
export function definedFields<T extends object>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

/**
 * An optional reference to another resource by id. A blank one (`""`, what a form
 * leaves when nothing is chosen) means none, so it is never stored as an id.
 */
export const optionalReference = z
  .string()
  .max(253)
  .transform((id) => (id === '' ? null : id));
