import type { z } from 'zod';
import { isJsonObject, type JsonObject } from '../../src/json-object.js';
import { type StatusError, statusInvalid } from './status.js';

/**
 * A bad value in a /v1 object, said as Kubernetes says it (`field.Invalid`,
 * `field.Required`): `<path>: Invalid value: <value>: <why>`, the path also the
 * Status cause's field. Paths are in the object's terms
 * (`spec.rkeConfig.machinePools[0].quantity`), which the handler keeps as they are.
 */

/** What Go's `omitempty` leaves out: null, false, 0, an empty string, list or map. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

export function invalidValue(path: string, value: unknown, detail: string): StatusError {
  return statusInvalid(path, `${path}: Invalid value: ${shownValue(value)}: ${detail}`);
}

const requiredValue = (path: string): StatusError => statusInvalid(path, `${path}: Required value`);

/**
 * The first issue zod found in a value built from the object, named by where it sits in
 * the object (`place` turns the issue's path into that) and showing the value there.
 */
export function issueStatus(issue: z.core.$ZodIssue, checked: unknown, place: (path: readonly PropertyKey[]) => string): StatusError {
  const path = place(issue.path);
  // A map's key is at fault, not its value: show the key, and what is wrong with it.
  if (issue.code === 'invalid_key') return invalidValue(path, issue.path.at(-1), issue.issues[0]?.message ?? issue.message);
  const value = valueAt(checked, issue.path);
  return value === undefined ? requiredValue(path) : invalidValue(path, value, issue.message);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || typeof segment === 'symbol') return undefined;
    current = Object.hasOwn(current, segment) ? (current as JsonObject)[segment as string] : undefined;
  }
  return current;
}

/** Kubernetes quotes text and prints numbers and booleans; an object or a list is named by its kind. */
function shownValue(value: unknown): string {
  if (Array.isArray(value)) return '"array"';
  if (isJsonObject(value)) return '"object"';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
