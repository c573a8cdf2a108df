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

/**
 * An optional reference that an update may clear (a cluster's cloud credential). Blank
 * means none here too, but it stays blank on its way to the service: an update reads
 * null as "leave it as it is" ({@link definedFields}), so turning blank into null would
 * make the reference impossible to clear. Services store it through {@link changedColumns}.
 */
export const clearableReference = z.string().max(253);

/**
 * The columns an input writes: its fields given a value (null and absent leave a column
 * as it is, as {@link definedFields} reads them), with each of `references`
 * (declared with {@link clearableReference}) as its column holds it: blank is none, NULL.
 */
export function changedColumns<T extends object, Reference extends keyof T & string>(
  input: T,
  references: readonly Reference[],
): { [K in keyof T]?: K extends Reference ? Exclude<T[K], null> | null : Exclude<T[K], null> } {
  const columns: Record<string, unknown> = definedFields(input);
  for (const reference of references) if (columns[reference] === '') columns[reference] = null;
  return columns as ReturnType<typeof changedColumns<T, Reference>>;
}

/**
 * Kubernetes metadata as a create or an update gives it (src/schema/kubernetes-metadata.ts):
 * a map given replaces the stored one, null or absent leaves it (`{}` on create).
 */
export interface MetadataInput {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

/** The metadata columns an input writes, for services that build their data field by field. */
export function metadataColumns(input: MetadataInput): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  return definedFields({ labels: input.labels, annotations: input.annotations });
}
