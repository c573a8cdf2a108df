/** A JSON object as parsed: a key → value map, never null or an array. */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON (or YAML) value is an object, not null, a list or a scalar. */
export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a parsed JSON value nests objects and lists more than `levels` deep (an object
 * of scalars is one level). It stops looking there, so a deeper value costs no more.
 */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  return Object.values(value).some((entry) => nestsDeeperThan(entry, levels - 1));
}
