import type { EnumRef } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { invalidInput } from '../errors.js';
import { labelKey, labelMap, labelValue } from '../kubernetes-labels.js';
import { Prisma } from '../generated/prisma/client.js';
import { builder, type BuilderTypes } from './builder.js';
import { connectionWindow, keysetPage, keysetWindow, type ConnectionArgs, type KeysetPage, type ListOrder, type ValueKind } from './keyset.js';
import type { Services } from '../services/index.js';

/**
 * Filters and sorting for list queries, declared once per resource type.
 *
 * Each filterable field gets an operator input (`StringFilter`, `DateTimeFilter`, …)
 * whose fields are exactly Norman's modifiers that make sense for its type, so the
 * /v3 generator lists a field's `modifiers` by reading that input's fields. A map of
 * Kubernetes labels gets `LabelFilter` instead, a label selector's requirements by key.
 * Every condition becomes part of the Prisma `where`, i.e. SQL: nothing is filtered in
 * memory.
 */
type SortDirection = 'ASC' | 'DESC';

const SortOrder = builder.enumType('SortOrder', {
  description: 'Which way a list is sorted (/v3: `order=asc|desc`).',
  values: {
    ASC: { value: 'ASC', description: 'Smallest first: A to Z, earliest first, false before true.' },
    DESC: { value: 'DESC', description: 'Largest first: Z to A, latest first, true before false.' },
  } as const,
});

interface Conditions<T> {
  eq?: T | null;
  ne?: T | null;
  null?: boolean | null;
  notnull?: boolean | null;
  in?: readonly T[] | null;
  notin?: readonly T[] | null;
  gt?: T | null;
  gte?: T | null;
  lt?: T | null;
  lte?: T | null;
  prefix?: string | null;
  like?: string | null;
  notlike?: string | null;
}

const equality = { eq: 'equal to', ne: 'not equal to' } as const;
const presence = {
  null: 'true: the field has no value',
  notnull: 'true: the field has a value',
} as const;

export const StringFilter = builder.inputType('StringFilter', {
  description: 'Conditions on a string field; all given conditions must hold.',
  fields: (t) => ({
    eq: t.string({ description: equality.eq }),
    ne: t.string({ description: equality.ne }),
    null: t.boolean({ description: presence.null }),
    notnull: t.boolean({ description: presence.notnull }),
    in: t.stringList({ description: 'one of these values' }),
    notin: t.stringList({ description: 'none of these values' }),
    gt: t.string({ description: 'sorts after' }),
    gte: t.string({ description: 'sorts after or equal' }),
    lt: t.string({ description: 'sorts before' }),
    lte: t.string({ description: 'sorts before or equal' }),
    prefix: t.string({ description: 'starts with' }),
    like: t.string({ description: 'SQL LIKE pattern: % is any run of characters, \\ escapes; the _ wildcard is refused' }),
    notlike: t.string({ description: 'does not match the SQL LIKE pattern' }),
  }),
});

export const DateTimeFilter = builder.inputType('DateTimeFilter', {
  description: 'Conditions on a date-time field; all given conditions must hold.',
  fields: (t) => ({
    eq: t.field({ type: 'DateTime', description: equality.eq }),
    ne: t.field({ type: 'DateTime', description: equality.ne }),
    null: t.boolean({ description: presence.null }),
    notnull: t.boolean({ description: presence.notnull }),
    in: t.field({ type: ['DateTime'], description: 'one of these instants' }),
    notin: t.field({ type: ['DateTime'], description: 'none of these instants' }),
    gt: t.field({ type: 'DateTime', description: 'later than' }),
    gte: t.field({ type: 'DateTime', description: 'later than or equal' }),
    lt: t.field({ type: 'DateTime', description: 'earlier than' }),
    lte: t.field({ type: 'DateTime', description: 'earlier than or equal' }),
  }),
});

const IntFilter = builder.inputType('IntFilter', {
  description: 'Conditions on an integer field; all given conditions must hold.',
  fields: (t) => ({
    eq: t.int({ description: equality.eq }),
    ne: t.int({ description: equality.ne }),
    null: t.boolean({ description: presence.null }),
    notnull: t.boolean({ description: presence.notnull }),
    in: t.intList({ description: 'one of these values' }),
    notin: t.intList({ description: 'none of these values' }),
    gt: t.int({ description: 'greater than' }),
    gte: t.int({ description: 'greater than or equal' }),
    lt: t.int({ description: 'less than' }),
    lte: t.int({ description: 'less than or equal' }),
  }),
});

export const BooleanFilter = builder.inputType('BooleanFilter', {
  description: 'Conditions on a boolean field.',
  fields: (t) => ({
    eq: t.boolean({ description: equality.eq }),
    ne: t.boolean({ description: equality.ne }),
    null: t.boolean({ description: presence.null }),
    notnull: t.boolean({ description: presence.notnull }),
  }),
});

/** The filter input for an enum: equality and membership only. */
export function enumFilter<T extends string>(enumRef: EnumRef<BuilderTypes, T, T>, name: string) {
  return builder.inputType(`${name}Filter`, {
    description: `Conditions on a ${name} field; all given conditions must hold.`,
    fields: (t) => ({
      eq: t.field({ type: enumRef, description: equality.eq }),
      ne: t.field({ type: enumRef, description: equality.ne }),
      null: t.boolean({ description: presence.null }),
      notnull: t.boolean({ description: presence.notnull }),
      in: t.field({ type: [enumRef], description: 'one of these values' }),
      notin: t.field({ type: [enumRef], description: 'none of these values' }),
    }),
  });
}

const labelKeys = z.array(labelKey);

/** `key in (a, b)` and `key notin (a, b)`: Kubernetes' set-based requirements. */
const LabelValues = builder.inputType('LabelValues', {
  description: 'A label key and a set of values, for the set-based conditions `in` and `notin` (Kubernetes’ `key in (a,b)`, `key notin (a,b)`).',
  fields: (t) => ({
    key: t.string({ required: true, validate: labelKey, description: 'The label key, `[prefix/]name` (`tier`, `kubernetes.io/arch`).' }),
    values: t.stringList({ required: true, validate: z.array(labelValue), description: 'The values: at most 63 characters each; the empty value is one.' }),
  }),
});

/**
 * Conditions on a map of labels, the two kinds of Kubernetes label selector requirement:
 * equality-based (`key=value`, `key!=value`) and set-based (`key`, `!key`, `key in (…)`,
 * `key notin (…)`). A condition that excludes a value (`ne`, `notin`) also keeps objects
 * without the key, as Kubernetes' selectors do (`env!=prod` selects unlabelled objects).
 */
export const LabelFilter = builder.inputType('LabelFilter', {
  description:
    'Conditions on Kubernetes labels, as a label selector states them; all given conditions must hold. Keys are `[prefix/]name` (`tier`, `kubernetes.io/arch`), values at most 63 characters; a key or value no label can have is INVALID_INPUT. As in Kubernetes, `ne` and `notin` also match objects without the key.',
  // Norman's query filters (`field_modifier=value`) have no place for a key: /v3 does not offer this one (rest-compat/schemas/derive.ts).
  extensions: { conditionsPerKey: true },
  fields: (t) => ({
    has: t.stringList({ validate: labelKeys, description: 'Keys the labels must all have, whatever their values (Kubernetes’ `key`).' }),
    hasNot: t.stringList({ validate: labelKeys, description: 'Keys the labels must not have (Kubernetes’ `!key`).' }),
    eq: t.field({ type: 'StringMap', validate: labelMap, description: 'Every key given must have exactly its value (Kubernetes’ `key=value`).' }),
    ne: t.field({
      type: 'StringMap',
      validate: labelMap,
      description: 'No key given may have its value; an object without the key matches (Kubernetes’ `key!=value`).',
    }),
    in: t.field({
      type: [LabelValues],
      description: 'For each entry, the key must have one of its values (Kubernetes’ `key in (a,b)`); an entry without values matches nothing.',
    }),
    notin: t.field({
      type: [LabelValues],
      description: 'For each entry, the key must have none of its values; an object without the key matches (Kubernetes’ `key notin (a,b)`).',
    }),
  }),
});

interface LabelConditions {
  has?: readonly string[] | null;
  hasNot?: readonly string[] | null;
  eq?: Record<string, string> | null;
  ne?: Record<string, string> | null;
  in?: ReadonlyArray<{ key: string; values: readonly string[] }> | null;
  notin?: ReadonlyArray<{ key: string; values: readonly string[] }> | null;
}

type FilterInput = typeof StringFilter | typeof DateTimeFilter | typeof IntFilter | typeof BooleanFilter | ReturnType<typeof enumFilter>;

/** A list field: a column filtered by its operator input, or a map of labels. */
export type ListField = ColumnField | LabelMapField;

interface ColumnField {
  /** The operator input for this field's type. */
  filter: FilterInput;
  /** The Prisma column, when it differs from the API name (`created` → `createdAt`). */
  column?: string;
  /** Whether the column can hold NULL; `null`/`notnull` are decided without SQL otherwise. */
  nullable?: boolean;
  /**
   * A boolean answered for the caller (a user's `me`: this row is the caller): filtered as
   * `column` (`id`) equal, or not, to the caller's user id; never a sort field. Rancher's
   * scripts find themselves with `/v3/users?me=true`.
   */
  isCaller?: true;
}

/**
 * Kubernetes labels kept as a JSON object of strings (a `Json` column, `{}` when none):
 * filtered by key with {@link LabelFilter} as Prisma JSON path conditions, which both
 * databases run in SQL (PGlite is PostgreSQL); a map has no order, so it is never a sort field.
 */
interface LabelMapField {
  filter: typeof LabelFilter;
  column?: string;
  nullable?: never;
  isCaller?: never;
}

const isLabelMap = (field: ListField): field is LabelMapField => field.filter === LabelFilter;

/**
 * Declares the filter input `<Type>Filter`, the sort enum `<Type>SortField` and the
 * sort input `<Type>Sort` for one resource type, and returns the arguments to put
 * on its list field together with their translation into Prisma.
 */
export function defineListOptions<Where extends object, OrderBy extends object>(
  typeName: string,
  fields: Record<string, ListField>,
  /** The Prisma model the type reads, when the type is a view of it (`Deployment` of `Workload`). */
  model: string = typeName,
) {
  const names = Object.keys(fields);
  // What a row holds for itself, not what it is to the caller; and a single value, not a map.
  const sortable = names.filter((name) => !fields[name]!.isCaller && !isLabelMap(fields[name]!));

  const columnOf = (name: string) => fields[name]?.column ?? name;

  // The extensions say which table and column each filter reaches, so a test can
  // check that every filter and sort the API offers is backed by an index.
  const FilterRef = builder.inputType(`${typeName}Filter`, {
    description: `Conditions on ${typeName} fields; all given conditions must hold.`,
    extensions: { prismaModel: model },
    fields: (t) =>
      Object.fromEntries(
        names.map((name) => [
          name,
          t.field({
            type: fields[name]!.filter as StringFilterRef,
            description: isLabelMap(fields[name]!)
              ? `Conditions on the ${typeName}'s \`${name}\`, as a Kubernetes label selector states them (not a /v3 query filter: Norman has none for labels).`
              : `Conditions on the ${typeName}'s \`${name}\` (on /v3 the query filter \`${name}=\` and its modifiers, \`${name}_ne=\`, \`${name}_prefix=\`, …).`,
            extensions: { column: columnOf(name) },
          }),
        ]),
      ),
  });

  const SortFieldRef = builder.enumType(`${typeName}SortField`, {
    description: `The ${typeName} fields a list can be sorted by.`,
    values: Object.fromEntries(sortable.map((name) => [name, { value: name, description: `By the ${typeName}'s \`${name}\` (/v3: \`sort=${name}\`).` }])),
  });

  const SortRef = builder.inputType(`${typeName}Sort`, {
    description: `The order of a ${typeName} list: one field, then the id to break ties.`,
    fields: (t) => ({
      field: t.field({ type: SortFieldRef, required: true, description: 'The field to sort by.' }),
      order: t.field({ type: SortOrder, defaultValue: 'ASC', description: 'Ascending (the default) or descending.' }),
    }),
  });

  return {
    Filter: FilterRef,
    Sort: SortRef,

    /** The Prisma `where` for a filter argument, ANDed with `scope` (e.g. the parent cluster); `caller` answers the fields that are about the caller. */
    where(filter: Record<string, unknown> | null | undefined, scope?: Where, caller?: Principal | null): Where {
      const clauses: object[] = scope ? [scope] : [];
      for (const [name, given] of Object.entries(filter ?? {})) {
        const field = fields[name];
        if (!field || !given) continue;
        if (isLabelMap(field)) {
          clauses.push(...labelClauses(columnOf(name), given as LabelConditions));
          continue;
        }
        const conditions = field.isCaller ? callerConditions(given as Conditions<boolean>, caller) : [given as Conditions<unknown>];
        for (const condition of conditions) clauses.push(...columnClauses(columnOf(name), condition, field.nullable ?? false));
      }
      return (clauses.length === 1 ? clauses[0] : { AND: clauses }) as Where;
    },

    /** The order a `sort` argument asks for, which the list's cursors name: by id when none. */
    order(sort: PageRequest<Where>['args']['sort']): ListOrder {
      const name = sort && sort.field !== 'id' ? sort.field : undefined;
      const field = name === undefined ? undefined : fields[name];
      return {
        list: typeName,
        column: name === undefined ? 'id' : columnOf(name),
        direction: sort?.order === 'DESC' ? 'desc' : 'asc',
        holds: field ? valueKindOf(field) : 'string',
        nullable: field?.nullable ?? false,
      };
    },

    /**
     * One page of the list as a Relay connection, by keyset: the Prisma `where` is the
     * filter (ANDed with `scope`) plus "beyond the cursor", the order is the sort
     * column then id, and the nodes load with the includes their selected fields
     * need (no N+1). `totalCount` is counted only when asked for.
     */
    async page<Node extends { id: string }>(request: PageRequest<Where>, source: ListSource<Node, Where, OrderBy>): Promise<Page<Node>> {
      const { args, context, info, scope } = request;
      const order = this.order(args.sort);
      const where = this.where(args.filter, scope, context.principal);
      // The nodes' fields are planned whether asked under `edges { node }` or `nodes`.
      const query = withColumns(queryFromInfo({ context, info, paths: connectionNodePaths }), order.column);
      const window = connectionWindow(args);
      const { bounds, orderBy } = keysetWindow(order, window);
      const loaded = await source.list(query, (bounds.length ? { AND: [where, ...bounds] } : where) as Where, orderBy as OrderBy[], window.limit);
      const connection = keysetPage(loaded, window, order);
      return { ...connection, totalCount: () => context.services.counts.count(typeName, where, () => source.count(where)) };
    },
  };
}

export interface Page<Node> extends KeysetPage<Node> {
  totalCount: () => Promise<number>;
}

/** Where a connection's nodes are selected: `edges { node }` and the `nodes` shortcut. */
const connectionNodePaths = [['nodes'], ['edges', 'node']];

export interface PageRequest<Where> {
  args: ConnectionArgs & {
    filter?: Record<string, unknown> | null;
    sort?: { field: string; order?: SortDirection | null } | null;
  };
  context: { services: Pick<Services, 'counts'>; principal?: Principal | null };
  info: GraphQLResolveInfo;
  /** A condition every item must meet whatever the filter (e.g. what the caller may see). */
  scope?: Where;
}

/** Where the items of a list come from: a service's list and count. */
export interface ListSource<Node, Where, OrderBy> {
  list(query: PrismaQuery, where: Where, orderBy: OrderBy[], take: number): Promise<Node[]>;
  count(where: Where): Promise<number>;
}

export type PrismaQuery = { select?: Record<string, unknown>; include?: Record<string, unknown> };

/** The cursor needs the sort column and the id even when the client did not ask for them. */
function withColumns(query: PrismaQuery, column: string): PrismaQuery {
  return query.select ? { ...query, select: { ...query.select, id: true, [column]: true } } : query;
}

// The filter-field type passed to `t.field` only needs to be some input ref; one
// concrete ref keeps TypeScript from building a union of every filter shape.
type StringFilterRef = typeof StringFilter;

/** What a field's column holds, told by its filter input. */
function valueKindOf(field: ListField): ValueKind {
  if (field.filter === DateTimeFilter) return 'date';
  if (field.filter === IntFilter) return 'number';
  if (field.filter === BooleanFilter) return 'boolean';
  return 'string';
}

/** One field's conditions as Prisma clauses, one per condition. */
/**
 * A caller field's boolean conditions as conditions on its column: `eq: true` is the
 * caller's own id, `eq: false` any other, `ne` the reverse. Without a caller no row is
 * theirs. Such a field is never null.
 */
function callerConditions(conditions: Conditions<boolean>, caller: Principal | null | undefined): Conditions<unknown>[] {
  const mine = caller?.userId ?? noCaller;
  const theirs = (truth: boolean): Conditions<unknown> => (truth ? { eq: mine } : { ne: mine });
  return [
    ...(conditions.eq != null ? [theirs(conditions.eq)] : []),
    ...(conditions.ne != null ? [theirs(!conditions.ne)] : []),
    { null: conditions.null, notnull: conditions.notnull },
  ];
}

/** An id no row has: what "the caller's own" matches when there is no caller. */
const noCaller = '';

function columnClauses(column: string, conditions: Conditions<unknown>, nullable: boolean): object[] {
  const clauses: object[] = [];
  const on = (condition: object) => clauses.push({ [column]: condition });
  const never = () => clauses.push(noRow);

  if (conditions.eq != null) on({ equals: conditions.eq });
  if (conditions.ne != null) on({ not: conditions.ne });
  if (conditions.null === true) nullable ? on({ equals: null }) : never();
  if (conditions.notnull === true && nullable) on({ not: null });
  if (conditions.null === false && nullable) on({ not: null });
  if (conditions.notnull === false) nullable ? on({ equals: null }) : never();
  if (conditions.in != null) on({ in: [...conditions.in] });
  if (conditions.notin != null) on({ notIn: [...conditions.notin] });
  if (conditions.gt != null) on({ gt: conditions.gt });
  if (conditions.gte != null) on({ gte: conditions.gte });
  if (conditions.lt != null) on({ lt: conditions.lt });
  if (conditions.lte != null) on({ lte: conditions.lte });
  if (conditions.prefix != null) on({ startsWith: likeLiteral(conditions.prefix) });
  if (conditions.like != null) clauses.push(...likeClauses(column, conditions.like, nullable));
  if (conditions.notlike != null) clauses.push(notLikeClause(column, conditions.notlike));
  return clauses;
}

/** `like`: a pattern of `%` alone asks only for a value (NULL is none), which a column that cannot be NULL always has. */
function likeClauses(column: string, pattern: string, nullable: boolean): object[] {
  const like = likeClause(column, pattern);
  if (like !== anyValue) return [like];
  return nullable ? [{ [column]: { not: null } }] : [];
}

/** `notlike`: nothing escapes a pattern of `%` alone (and NOT of a condition that says nothing would keep every row). */
function notLikeClause(column: string, pattern: string): object {
  const like = likeClause(column, pattern);
  return like === anyValue ? noRow : { NOT: like };
}

/** A condition no row meets, whatever the model (every model has an `id`). */
const noRow = { id: { in: [] } };

/**
 * A label map's conditions as Prisma JSON path filters on its column, one clause per
 * requirement. On PostgreSQL a path is `column #> '{key}'`: SQL NULL where the key is
 * absent, so a key with a slash or dots (`kubernetes.io/arch`) is one step of the path.
 * Prisma's `not` is `<>`, which an absent key (NULL) does not meet, so the conditions
 * that Kubernetes lets absent keys meet (`!=`, `notin`) say so with an OR.
 */
function labelClauses(column: string, conditions: LabelConditions): object[] {
  const at = (key: string, condition: object) => ({ [column]: { path: [key], ...condition } });
  // Labels hold strings, never JSON null: SQL NULL is exactly "no such key".
  const present = (key: string) => at(key, { not: Prisma.DbNull });
  const absent = (key: string) => at(key, { equals: Prisma.DbNull });
  const equal = (key: string, value: string) => at(key, { equals: value });
  const differs = (key: string, value: string) => at(key, { not: value });
  const anyOf = (clauses: object[]) => (clauses.length === 1 ? clauses[0]! : { OR: clauses });

  const clauses: object[] = [];
  for (const key of conditions.has ?? []) clauses.push(present(key));
  for (const key of conditions.hasNot ?? []) clauses.push(absent(key));
  for (const [key, value] of Object.entries(conditions.eq ?? {})) clauses.push(equal(key, value));
  for (const [key, value] of Object.entries(conditions.ne ?? {})) clauses.push({ OR: [absent(key), differs(key, value)] });
  for (const { key, values } of conditions.in ?? []) clauses.push(values.length === 0 ? noRow : anyOf(values.map((value) => equal(key, value))));
  for (const { key, values } of conditions.notin ?? []) {
    if (values.length > 0) clauses.push({ OR: [absent(key), { AND: values.map((value) => differs(key, value)) }] });
  }
  return clauses;
}

/** What a pattern of wildcards alone (`%`) matches: every value, as SQL's LIKE does (NULL is no value). */
const anyValue = Symbol('any value');

/**
 * SQL LIKE expressed with Prisma's string operators, which Prisma compiles to LIKE.
 * The pattern is split at unescaped `%` into literal pieces: `abc` is equality,
 * `abc%` a prefix, `%abc` a suffix, `%abc%` a substring; longer patterns require
 * every piece (the first and last anchored), without ordering the middle ones.
 * The single-character wildcard `_` has no Prisma spelling and is refused.
 */
function likeClause(column: string, pattern: string): object | typeof anyValue {
  const pieces = splitLikePattern(pattern);
  if (pieces.some((piece) => piece.includes(ONE_CHARACTER))) {
    throw invalidInput(column, 'the _ wildcard is not supported in like patterns; use % or escape it as \\_');
  }
  if (pieces.length === 1) return { [column]: { equals: pieces[0] } };
  const leadingWildcard = pieces[0] === '';
  const trailingWildcard = pieces.at(-1) === '';
  const literals = pieces.filter((piece) => piece !== '').map(likeLiteral);
  if (literals.length === 0) return anyValue;
  const clauses = literals.map((literal, index) => {
    if (index === 0 && !leadingWildcard) return { [column]: { startsWith: literal } };
    if (index === literals.length - 1 && !trailingWildcard) return { [column]: { endsWith: literal } };
    return { [column]: { contains: literal } };
  });
  return clauses.length === 1 ? clauses[0]! : { AND: clauses };
}

/**
 * `text` as plain characters inside Prisma's startsWith/endsWith/contains: Prisma puts it
 * into a LIKE pattern as it is, where its own `%` and `_` would be wildcards (`svc_`
 * matching `svcxbot`) and `\` the escape, so each is escaped.
 */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

const ONE_CHARACTER = '\u0000';

/** Splits at unescaped `%`; unescaped `_` becomes {@link ONE_CHARACTER}; `\x` becomes `x`. */
function splitLikePattern(pattern: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === '\\' && index + 1 < pattern.length) {
      current += pattern[++index];
    } else if (character === '%') {
      pieces.push(current);
      current = '';
    } else {
      current += character === '_' ? ONE_CHARACTER : character;
    }
  }
  pieces.push(current);
  return pieces;
}
