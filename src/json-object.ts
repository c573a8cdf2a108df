/** A JSON object as parsed: a key → value map, never null or an array. */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON (or YAML) value is an object, not null, a list or a scalar. */
export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
