import { getNamedType, isInputObjectType, type GraphQLSchema } from 'graphql';
import { labelKeyProblem, labelValueProblem } from '../../src/kubernetes-labels.js';
import { NormanHttpError } from '../errors.js';
import { typedFilter } from '../execute/filter-values.js';
import type { ListRequest } from '../parse/query.js';
import type { Requirement } from './filter-expression.js';
import { labelColumn, mapKeyColumn, queryColumn, usableKeys, type MapKeyColumn, type QueryColumn } from './list-columns.js';
import type { ListQuery } from './list-query.js';
import type { ServedKind } from './served.js';
import { statusBadRequest } from './status.js';

/**
 * Steve's `filter` (and `projectsornamespaces`) as the `filter` argument of the kind's
 * GraphQL list, so the conditions run in SQL together with what the caller may see, and
 * counts and pages are of the filtered list. Semantics are those of Steve's SQL-backed
 * processor (rancher/steve v0.10, pkg/stores/sqlpartition/listprocessor and
 * pkg/sqlcache/informer/sqlgenerator.go):
 *
 * - repeated `filter` parameters must all hold (AND); the requirements of one, separated
 *   by commas, any of them (OR);
 * - `=`/`==`/`in` are exact matches, `!=`/`notin` their negations, `~`/`!~` substring
 *   matches (SQL LIKE, here case-sensitive as PostgreSQL's is), `<`/`>` numeric comparisons;
 * - a key the kind cannot filter on is refused (400 naming it), as Steve's SQL processor
 *   refuses a column it has not indexed;
 * - a label (`metadata.labels[key]`, or `metadata.labels.key` for a key without dots) is
 *   tested as Steve's SQL processor tests it (sqlgenerator.go getLabelFilter), which is
 *   Kubernetes' selector semantics: `key` alone and `!key` for its presence and absence,
 *   `=`/`in` a value it holds, and `!=`/`notin` a value it does not hold or no such label.
 *   Kubernetes' `labelSelector` (read in list-query.ts) gives the same conditions, all of
 *   which must hold. They become the list's `LabelFilter` (src/schema/list-options.ts).
 *   Steve's substring (`~`) and numeric (`<`, `>`) tests of a label's value are refused,
 *   as are keys and values no label can have (Kubernetes' syntax, as its API server
 *   refuses a selector naming them).
 *
 * GraphQL's filter is an AND of conditions on fields, so an OR is taken only where it is
 * one field's set of values (`metadata.name=a,metadata.name=b`); any other OR is refused,
 * never approximated. Values go through the /v3 face's conversion (filter-values.ts):
 * instants, numbers and enum strings become what GraphQL takes.
 *
 * Kubernetes' selectors (`labelSelector`, `fieldSelector`) are also what a watch selects
 * by: the answer carries their conditions, checked here once, for it to judge each
 * event's object in memory (selector-match.ts) as this filter judges rows in SQL.
 */
export type ListFilter =
  | { matchesNone: true }
  | { matchesNone: false; filter: Record<string, Record<string, unknown>>; selectors: readonly SelectorCondition[] };

type FieldColumn = Extract<QueryColumn, { kind: 'field' }>;
type Modifier = 'in' | 'notin' | 'like' | 'notlike' | 'lt' | 'gt';
type FieldTerm = { column: FieldColumn; modifier: Modifier; values: string[] };
/** A requirement on one label, as the LabelFilter condition it is (`has`, `hasNot`, `in`, `notin`). */
type LabelTerm = { column: MapKeyColumn; modifier: 'has' | 'hasNot' | 'in' | 'notin'; values: string[] };
/** What one requirement says: true or false of every object, or a condition on a field or a label. */
type Term = boolean | FieldTerm | LabelTerm;
type Condition = Exclude<Term, boolean>;
/**
 * A requirement of Kubernetes' selectors as a condition: on a label, or on a field
 * (`metadata.name`) equal to one of some values or to none of them. Each is as exact in
 * memory, on the object as GET shows it, as in SQL.
 */
export type SelectorCondition = LabelTerm | (FieldTerm & { modifier: 'in' | 'notin' });

/** One label map's conditions, each list ANDed (LabelFilter's fields). */
interface LabelConditions {
  has: string[];
  hasNot: string[];
  in: Array<{ key: string; values: string[] }>;
  notin: Array<{ key: string; values: string[] }>;
}

/** A field's conditions, all of which must hold: `in` the values allowed (undefined: any), `notin` those refused. */
interface FieldConditions {
  key: string;
  in?: Set<string>;
  notin: Set<string>;
  single: Partial<Record<'like' | 'notlike' | 'lt' | 'gt', string>>;
}

export function listFilter(query: ListQuery, served: ServedKind, schema: GraphQLSchema): ListFilter {
  const labelMaps = labelFilterFields(schema, served);
  // Every group is judged before any decides the answer: a bad one is a 400 even beside one that matches nothing.
  const groups = query.filters
    // An empty `filter=` says nothing, as in Steve.
    .filter((group) => group.requirements.length > 0)
    .map((group) =>
      groupTerm(
        group.requirements.map((requirement) => termOf(requirement, served, labelMaps)),
        group.text,
      ),
    );
  const selected = selectorTerms(query, served, labelMaps);
  const fields = new Map<string, FieldConditions>();
  const labels = new Map<string, LabelConditions>();
  for (const term of [...groups, ...selected]) {
    if (typeof term === 'boolean') continue;
    if (isLabelTerm(term)) addLabel(labels, term);
    else add(fields, term, served);
  }
  let matchesNone =
    groups.includes(false) ||
    selected.includes(false) ||
    (query.projectsOrNamespaces !== undefined && !inProjectsOrNamespaces(query.projectsOrNamespaces, served));
  const text: ListRequest['filter'] = {};
  for (const [field, conditions] of fields) {
    const modifiers = served.schema.collectionFilters[field]!.modifiers;
    const operators: Record<string, string | string[]> = {};
    // A value both wanted and refused, in the same text, is the same value whatever the type.
    const allowed = conditions.in && [...conditions.in].filter((value) => !conditions.notin.has(value));
    if (allowed?.length === 0) matchesNone = true;
    else if (allowed) setValues(operators, allowed, modifiers.includes('in') ? 'in' : undefined, modifiers.includes('eq') ? 'eq' : undefined, conditions.key);
    // Kept beside `in`: another text may name the same value (an instant written two ways), which only GraphQL can tell.
    if (conditions.notin.size > 0) {
      setValues(
        operators,
        [...conditions.notin],
        modifiers.includes('notin') ? 'notin' : undefined,
        modifiers.includes('ne') ? 'ne' : undefined,
        conditions.key,
      );
    }
    Object.assign(operators, conditions.single);
    text[field] = operators;
  }
  // Converted even when nothing can match: a value that is none of its field's type is a 400 all the same.
  const filter = { ...typedValues(schema, served, text, fields), ...labelFilters(labels) };
  const selectors = selected.filter((term): term is SelectorCondition => typeof term !== 'boolean');
  return matchesNone ? { matchesNone: true } : { matchesNone: false, filter, selectors };
}

/** The fields of the kind's filter input that take label conditions (`LabelFilter`, marked `conditionsPerKey`). */
function labelFilterFields(schema: GraphQLSchema, served: ServedKind): Set<string> {
  const input = served.binding.filterInput ? schema.getType(served.binding.filterInput) : undefined;
  if (!isInputObjectType(input)) return new Set();
  const takesLabels = (type: unknown) => isInputObjectType(type) && type.extensions.conditionsPerKey === true;
  return new Set(
    Object.values(input.getFields())
      .filter((field) => takesLabels(getNamedType(field.type)))
      .map((field) => field.name),
  );
}

/**
 * Kubernetes' selectors, each requirement a term, all of which must hold: `fieldSelector`'s
 * as a `filter` of its own would be (list-query.ts lets only `=` and `!=` on the name and
 * namespace through: an equality, or true or false of every object), `labelSelector`'s as
 * label conditions.
 */
function selectorTerms(query: ListQuery, served: ServedKind, labelMaps: Set<string>): Array<boolean | SelectorCondition> {
  const fields = (query.fieldSelector?.requirements ?? []).map((requirement) => {
    const term = termOf(requirement, served, labelMaps);
    if (!isSelectorTerm(term)) throw new Error(`fieldSelector ${requirement.key} ${requirement.operator}: not an equality`);
    return term;
  });
  return [...fields, ...(query.labelSelector ? labelSelectorTerms(query.labelSelector, served, labelMaps) : [])];
}

/** Kubernetes' `labelSelector`: each requirement a label condition. */
function labelSelectorTerms(selector: NonNullable<ListQuery['labelSelector']>, served: ServedKind, labelMaps: Set<string>): LabelTerm[] {
  return selector.requirements.map((requirement) => {
    const column = labelColumn(served, requirement.key);
    if (!column || !labelMaps.has(column.field)) throw statusBadRequest(`labelSelector: ${served.kind.resource} cannot be selected by label`);
    const refuse = (why: string) => statusBadRequest(`labelSelector ${JSON.stringify(selector.text)}: ${requirement.key} ${requirement.operator}: ${why}`);
    return labelTerm(column, requirement, refuse);
  });
}

/** One requirement on a label as a LabelFilter condition; keys and values no label can have are refused. */
function labelTerm(column: MapKeyColumn, { operator, values }: Requirement, refuse: (why: string) => Error): LabelTerm {
  const keyProblem = labelKeyProblem(column.mapKey);
  if (keyProblem) throw refuse(`${JSON.stringify(column.mapKey)} is not a label key: ${keyProblem}`);
  for (const value of values) {
    const valueProblem = labelValueProblem(value);
    if (valueProblem) throw refuse(`${JSON.stringify(value)} is not a label value: ${valueProblem}`);
  }
  switch (operator) {
    case 'exists':
      return { column, modifier: 'has', values: [] };
    case '!exists':
      return { column, modifier: 'hasNot', values: [] };
    case '=':
    case 'in':
      return { column, modifier: 'in', values };
    case '!=':
    case 'notin':
      return { column, modifier: 'notin', values };
    case '~':
    case '!~':
      throw refuse('substring matches of a label are not supported; use = or in');
    default:
      throw refuse('not supported on labels; use =, !=, in, notin, the key alone or !key');
  }
}

/** ANDs one more label condition into its map's. */
function addLabel(labels: Map<string, LabelConditions>, { column, modifier, values }: LabelTerm): void {
  let conditions = labels.get(column.field);
  if (!conditions) {
    conditions = { has: [], hasNot: [], in: [], notin: [] };
    labels.set(column.field, conditions);
  }
  if (modifier === 'has' || modifier === 'hasNot') conditions[modifier].push(column.mapKey);
  else conditions[modifier].push({ key: column.mapKey, values });
}

/** The label maps' conditions as the filter argument takes them, without empty lists. */
function labelFilters(labels: Map<string, LabelConditions>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...labels].map(([field, conditions]) => [field, Object.fromEntries(Object.entries(conditions).filter(([, given]) => given.length > 0))]),
  );
}

/**
 * Steve matches a namespace by its name or by its project's (the namespace's
 * `field.cattle.io/projectId` label). A kind's one namespace here belongs to no project,
 * as Rancher's `fleet-default` does not, so only its name can match.
 */
function inProjectsOrNamespaces(given: NonNullable<ListQuery['projectsOrNamespaces']>, served: ServedKind): boolean {
  const named = given.names.includes(served.kind.namespace);
  return given.negated ? !named : named;
}

function termOf(requirement: Requirement, served: ServedKind, labelMaps: Set<string>): Term {
  const { key, operator, values } = requirement;
  const column = queryColumn(served, key) ?? mapKeyColumn(served, key);
  const filterable = (field: string) => Object.hasOwn(served.schema.collectionFilters, field);
  const labelled = (field: string) => labelMaps.has(field);
  if (!column || (column.kind === 'field' && !filterable(column.field)) || (column.kind === 'mapKey' && !labelled(column.field))) {
    throw statusBadRequest(
      `filter on ${key}: ${served.kind.resource} cannot be filtered on it (they can on ${usableKeys(served, filterable, labelled).join(', ')})`,
    );
  }
  const refuse = (why: string) => statusBadRequest(`filter ${key} ${operator}: ${why}`);
  if (column.kind === 'mapKey') return labelTerm(column, requirement, refuse);
  if (operator === 'exists' || operator === '!exists') throw refuse('tests for a key alone are for labels (metadata.labels[key])');
  if (operator === 'contains' || operator === 'notcontains') throw refuse('not supported; use ~ or in');

  if (column.kind === 'constant') {
    const { value } = column;
    switch (operator) {
      case '=':
      case 'in':
        return values.includes(value);
      case '!=':
      case 'notin':
        return !values.includes(value);
      case '~':
        return value.includes(values[0]!);
      case '!~':
        return !value.includes(values[0]!);
      default:
        throw refuse(`${key} is not a number`);
    }
  }

  const modifiers = served.schema.collectionFilters[column.field]!.modifiers;
  const fieldValues = () => values.map((shown) => (column.fromShown ? column.fromShown(shown) : shown)).filter((value) => value !== undefined);
  switch (operator) {
    case '=':
    case 'in': {
      if (!modifiers.includes('in') && !modifiers.includes('eq')) throw refuse('not supported on this field');
      const wanted = fieldValues();
      return wanted.length > 0 && { column, modifier: 'in', values: wanted };
    }
    case '!=':
    case 'notin': {
      if (!modifiers.includes('notin') && !modifiers.includes('ne')) throw refuse('not supported on this field');
      const refused = fieldValues();
      return refused.length === 0 || { column, modifier: 'notin', values: refused };
    }
    case '~':
    case '!~': {
      const modifier = operator === '~' ? 'like' : 'notlike';
      if (!column.substrings || !modifiers.includes(modifier)) throw refuse('substring matches are not supported on this field; use = or in');
      return { column, modifier, values: [`%${likeLiteral(values[0]!)}%`] };
    }
    case '<':
    case '>': {
      const modifier = operator === '<' ? 'lt' : 'gt';
      const numeric = ['int', 'float'].includes(served.schema.resourceFields[column.field]?.type ?? '');
      if (!numeric || !modifiers.includes(modifier)) throw refuse('comparisons are for numeric fields, and this one is not');
      return { column, modifier, values };
    }
  }
}

/**
 * One `filter` parameter's requirements, any of which may hold, as one term: true when
 * one holds for every object, false when none holds for any; otherwise an OR this filter
 * argument can say, one field equal to any of several values.
 */
function groupTerm(terms: Term[], text: string): Term {
  if (terms.includes(true)) return true;
  const conditions = terms.filter((term): term is Condition => term !== false);
  if (conditions.length <= 1) return conditions[0] ?? false;
  const first = conditions[0]!;
  const oneSet = conditions.every((condition) => condition.modifier === 'in' && sameTarget(condition, first));
  if (!oneSet) {
    throw statusBadRequest(
      `filter ${JSON.stringify(text)}: requirements joined by ',' (or) must test one field or label for equality here (metadata.name=a,metadata.name=b); give other conditions as separate filter parameters, which must all hold`,
    );
  }
  return { ...first, values: [...new Set(conditions.flatMap((condition) => condition.values))] };
}

const isLabelTerm = (condition: Condition): condition is LabelTerm => condition.column.kind === 'mapKey';
const isSelectorTerm = (term: Term): term is boolean | SelectorCondition =>
  typeof term === 'boolean' || isLabelTerm(term) || term.modifier === 'in' || term.modifier === 'notin';

/** Whether two conditions test the same field, or the same label. */
function sameTarget(a: Condition, b: Condition): boolean {
  if (isLabelTerm(a) || isLabelTerm(b)) return isLabelTerm(a) && isLabelTerm(b) && a.column.field === b.column.field && a.column.mapKey === b.column.mapKey;
  return a.column.field === b.column.field;
}

/** ANDs one more condition into its field's. */
function add(fields: Map<string, FieldConditions>, condition: FieldTerm, served: ServedKind): void {
  const { column, modifier, values } = condition;
  let conditions = fields.get(column.field);
  if (!conditions) {
    conditions = { key: column.key, notin: new Set(), single: {} };
    fields.set(column.field, conditions);
  }
  if (modifier === 'in') {
    const previous = conditions.in;
    // Two sets of allowed values meet in the values both name: an exact test only where equal values are equal text.
    if (previous && !comparesAsText(served, column.field)) {
      throw statusBadRequest(`filter on ${column.key}: give the values it may take in one requirement (= or in), not in several filters`);
    }
    conditions.in = new Set(previous ? values.filter((value) => previous.has(value)) : values);
  } else if (modifier === 'notin') {
    for (const value of values) conditions.notin.add(value);
  } else {
    const previous = conditions.single[modifier];
    // Two substring patterns are not one LIKE pattern; two bounds would need choosing between.
    if (previous !== undefined && previous !== values[0])
      throw statusBadRequest(`filter on ${column.key}: at most one ${symbolOf[modifier]} condition on a field`);
    conditions.single[modifier] = values[0]!;
  }
}

const symbolOf = { like: '~', notlike: '!~', lt: '<', gt: '>' } as const;

/** Strings, enum strings and ids are equal exactly when their texts are; instants and numbers have several spellings. */
function comparesAsText(served: ServedKind, field: string): boolean {
  const type = served.schema.resourceFields[field]?.type ?? 'string';
  return type === 'string' || type === 'enum' || type.startsWith('reference[');
}

/** One value as `single` (eq, ne) where the field offers it, several as `many` (in, notin). */
function setValues(operators: Record<string, string | string[]>, values: string[], many: string | undefined, single: string | undefined, key: string): void {
  if (values.length === 1 && single) operators[single] = values[0]!;
  else if (many) operators[many] = values;
  else throw statusBadRequest(`filter on ${key}: this field can be tested against one value at a time`);
}

/** The conditions' values as GraphQL's types; a value that is none of them is a 400 naming the key. */
function typedValues(
  schema: GraphQLSchema,
  served: ServedKind,
  text: ListRequest['filter'],
  fields: Map<string, FieldConditions>,
): Record<string, Record<string, unknown>> {
  try {
    return typedFilter(schema, served.binding.filterInput, text);
  } catch (error) {
    if (!(error instanceof NormanHttpError)) throw error;
    const field = error.fieldName ?? '';
    const key = fields.get(field)?.key ?? field;
    throw statusBadRequest(`filter on ${key}: ${error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message}`);
  }
}

/** Text matched literally inside a LIKE pattern: GraphQL's `like` escapes with `\` and refuses a bare `_`. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
