import type { ServedKind } from './served.js';

/**
 * What a key of Steve's `filter` and `sort` (`metadata.name`,
 * `metadata.annotations[field.cattle.io/description]`) is to a query of the kind's
 * GraphQL list: a field of it, through the kind's table (kinds.ts), or a value every
 * object of the kind shows alike.
 *
 * A row of the table that names both a path and a field shows that field there (with at
 * most an empty value shown as none), so a condition on the path is the same condition on
 * the field, which GraphQL evaluates in SQL with the caller's visibility; a key below a
 * map the row shows as it is (`metadata.labels[env]`) is that key of the field. Paths the
 * table computes (`metadata.state`, `status.ready`) or does not show have no column: a
 * filter or sort on them is refused, never skipped and never evaluated on a partial list.
 */
export type QueryColumn =
  | {
      kind: 'field';
      /** The key as the request wrote it, for messages. */
      key: string;
      field: string;
      /** Where the object shows the field (an empty value at most as none): what a condition is judged on in memory (selector-match.ts). */
      path: readonly string[];
      /** The field's value for a value shown at the key, or undefined when no object shows it (`id`'s other namespaces). */
      fromShown?: (shown: string) => string | undefined;
      /** Whether a substring of the shown value is a substring of the field (`~`). */
      substrings: boolean;
      /** No two objects share a value: keys sorted after it change nothing. */
      unique: boolean;
    }
  | { kind: 'constant'; key: string; value: string };

/** One key of a map the table shows as it is (`metadata.labels[kubernetes.io/arch]`, `metadata.labels.env`): filtered by key, never sorted by. */
export interface MapKeyColumn {
  kind: 'mapKey';
  /** The key as the request wrote it, for messages. */
  key: string;
  /** The GraphQL field holding the map. */
  field: string;
  /** Where the object shows the map (`metadata.labels`). */
  path: readonly string[];
  /** The key within the map. */
  mapKey: string;
}

/**
 * Steve's reading of a key: dots separate fields, and a last field in brackets may hold
 * dots and slashes (`metadata.labels[kubernetes.io/arch]`); so `metadata.labels.env` is
 * the label `env` too, and a dotted label key must be in brackets.
 */
function keyPath(key: string): string[] {
  const bracketed = /^(.+)\[(.+)\]$/.exec(key);
  return bracketed ? [...bracketed[1]!.split('.'), bracketed[2]!] : key.split('.');
}

export function queryColumn(served: ServedKind, key: string): QueryColumn | undefined {
  const path = keyPath(key).join('\u0000');
  const row = served.kind.fields.find((candidate) => candidate.path && candidate.field && candidate.path.join('\u0000') === path);
  if (row?.path && row.field)
    return { kind: 'field', key, field: row.field, path: row.path, substrings: true, unique: row.field === served.nameField || row.field === 'id' };
  const { namespace } = served.kind;
  // Every object of a kind lives in its one namespace (mapping.ts).
  if (key === 'metadata.namespace') return { kind: 'constant', key, value: namespace };
  // Steve's `id` is `<namespace>/<name>`: in one namespace, the name.
  if (key === 'id') {
    const prefix = `${namespace}/`;
    const fromShown = (shown: string) => (shown.startsWith(prefix) ? shown.slice(prefix.length) : undefined);
    return { kind: 'field', key, field: served.nameField, path: namePath, fromShown, substrings: false, unique: true };
  }
  return undefined;
}

/** A key naming one key of a map (`metadata.labels[env]`) as a column; undefined for any other key. */
export function mapKeyColumn(served: ServedKind, key: string): MapKeyColumn | undefined {
  const steps = keyPath(key);
  const path = steps.slice(0, -1);
  const map = mapRowAt(served, path);
  return map ? { kind: 'mapKey', key, field: map, path, mapKey: steps.at(-1)! } : undefined;
}

/**
 * The label `key` of the kind's objects (`metadata.labels`) as a column, for Kubernetes'
 * `labelSelector`, whose keys are the labels' own; undefined when the kind shows no labels.
 */
export function labelColumn(served: ServedKind, key: string): MapKeyColumn | undefined {
  const map = mapRowAt(served, labelsPath);
  return map ? { kind: 'mapKey', key, field: map, path: labelsPath, mapKey: key } : undefined;
}

const labelsPath = ['metadata', 'labels'];
/** Where every object shows its name: `nameField` is the field of the row at this path (handler.ts, servedKinds). */
const namePath = ['metadata', 'name'];

/** The field of a map of strings the table shows at `path` as it is (no `read` of its own), so a key of it is that key of the field. */
function mapRowAt(served: ServedKind, path: readonly string[]): string | undefined {
  const joined = path.join('\u0000');
  const row = served.kind.fields.find((candidate) => candidate.path?.join('\u0000') === joined && candidate.field && !candidate.read);
  return row?.field && served.schema.resourceFields[row.field]?.type === 'map[string]' ? row.field : undefined;
}

/**
 * The keys whose columns pass `usable` (a filterable or sortable field), for the message
 * refusing another; a map whose keys are usable (`keyed`: labels) as `metadata.labels[<key>]`.
 */
export function usableKeys(served: ServedKind, usable: (field: string) => boolean, keyed: (field: string) => boolean = () => false): string[] {
  const keys = served.kind.fields.flatMap((row) => {
    if (!row.path || !row.field) return [];
    if (keyed(row.field)) return [`${keyOf(row.path)}[<key>]`];
    return usable(row.field) ? [keyOf(row.path)] : [];
  });
  return [...(usable(served.nameField) ? ['id'] : []), 'metadata.namespace', ...keys];
}

/** A path as Steve writes it: the last field in brackets when it holds characters a dotted key cannot. */
function keyOf(path: readonly string[]): string {
  const last = path.at(-1)!;
  return /^[A-Za-z0-9_]+$/.test(last) ? path.join('.') : `${path.slice(0, -1).join('.')}[${last}]`;
}
