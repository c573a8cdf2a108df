import { readModel, type ColumnShape, type ModelShape, type RelationShape } from './read-model.js';
import { quoted, type Statement } from './statement.js';

/**
 * A Prisma `where` as a SQL condition on `alias` (a row of `model`), written so that it
 * selects exactly the rows Prisma's query compiler selects for PostgreSQL: `not` is `<>`
 * (a NULL column matches neither), string operators are LIKE on the text with the
 * value's own `%` and `_` left as wildcards, an empty `in` is false and an empty `notIn`
 * true, and relations are EXISTS subqueries.
 *
 * Prisma drops a condition that says nothing (`{}`, a column without operators, a
 * combinator whose operands all say nothing) from whatever holds it, so `{ OR: [{}] }`
 * nested under `AND` is no condition at all, not "true"; only an `OR` left with no
 * operands at the root of a filter (the whole `where`, or a relation's) means "false".
 *
 * A filter on a single related row (`Namespace.project`) is an EXISTS here and a LEFT
 * JOIN in Prisma's SQL. The two agree wherever a row is kept only when the condition is
 * true; under an odd number of NOTs they part (Prisma's join gives NULL where EXISTS
 * gives false, and NOT turns false into true), so there it is left to Prisma.
 * test/db/sql-reads.test.ts holds these rules to Prisma's own answers.
 *
 * `undefined` means the filter uses something written here does not cover (JSON and
 * list columns, `mode`, full-text search…); the caller then asks Prisma.
 */
export function whereSql(model: ModelShape, alias: string, where: unknown, statement: Statement): string | undefined {
  const condition = objectSql({ model, alias, statement, isRoot: true, negated: false }, where);
  return condition === nothing ? 'TRUE' : condition;
}

/** A condition that says nothing: left out of whatever holds it. */
const nothing = '';

interface Scope {
  readonly model: ModelShape;
  readonly alias: string;
  readonly statement: Statement;
  /** The filter's own top level: the whole `where`, or a relation's. */
  readonly isRoot: boolean;
  /** Under an odd number of NOTs. */
  readonly negated: boolean;
}

function objectSql(scope: Scope, where: unknown): string | undefined {
  if (where === undefined || where === null) return nothing;
  if (!isOperatorObject(where)) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    const part = conditionSql(scope, key, value);
    if (part === undefined) return undefined;
    if (part !== nothing) parts.push(part);
  }
  return joined(parts, 'AND');
}

function conditionSql(scope: Scope, key: string, value: unknown): string | undefined {
  if (key === 'AND' || key === 'OR' || key === 'NOT') {
    // Prisma takes one object or a list for AND and NOT, only a list for OR.
    if (key === 'OR' && !Array.isArray(value)) return undefined;
    const operandScope = { ...scope, isRoot: false, negated: key === 'NOT' ? !scope.negated : scope.negated };
    const parts: string[] = [];
    for (const operand of Array.isArray(value) ? value : [value]) {
      const part = objectSql(operandScope, operand);
      if (part === undefined) return undefined;
      if (part !== nothing) parts.push(part);
    }
    if (parts.length === 0) return key === 'OR' && scope.isRoot ? 'FALSE' : nothing;
    if (key === 'OR') return joined(parts, 'OR');
    return joined(key === 'NOT' ? parts.map((part) => `NOT (${part})`) : parts, 'AND');
  }
  const field = scope.model.fields[key];
  if (!field) return undefined;
  if (field.kind === 'relation') return relationSql(scope, field, value);
  return columnSql(`${scope.alias}.${quoted(field.column)}`, field, value, scope.statement);
}

/** The operators a column filter may carry here; any other key (mode, has, path, search…) is Prisma's alone. */
const comparisons = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
const patterns = { startsWith: (value: string) => `${value}%`, endsWith: (value: string) => `%${value}`, contains: (value: string) => `%${value}%` } as const;

function columnSql(column: string, field: ColumnShape, filter: unknown, statement: Statement): string | undefined {
  if (field.isList || field.type === 'Json' || field.type === 'Bytes' || field.type === 'Decimal') return undefined;
  if (filter === null) return `${column} IS NULL`;
  if (!isOperatorObject(filter)) return isValue(filter) ? `${column} = ${statement.param(filter)}` : undefined;
  const parts: string[] = [];
  for (const [operator, operand] of Object.entries(filter)) {
    if (operand === undefined) continue;
    const part = operatorSql(column, field, operator, operand, statement);
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return joined(parts, 'AND');
}

function operatorSql(column: string, field: ColumnShape, operator: string, operand: unknown, statement: Statement): string | undefined {
  if (operator === 'equals') return operand === null ? `${column} IS NULL` : isValue(operand) ? `${column} = ${statement.param(operand)}` : undefined;
  if (operator === 'not') {
    if (operand === null) return `${column} IS NOT NULL`;
    if (isValue(operand)) return `${column} <> ${statement.param(operand)}`;
    const inner = columnSql(column, field, operand, statement);
    return inner === undefined || inner === nothing ? undefined : `NOT (${inner})`;
  }
  if (operator === 'in' || operator === 'notIn') {
    if (!Array.isArray(operand) || !operand.every(isValue)) return undefined;
    if (operand.length === 0) return operator === 'in' ? 'FALSE' : 'TRUE';
    return `${column} ${operator === 'in' ? 'IN' : 'NOT IN'} (${operand.map((value) => statement.param(value)).join(', ')})`;
  }
  if (operator in comparisons)
    return isValue(operand) ? `${column} ${comparisons[operator as keyof typeof comparisons]} ${statement.param(operand)}` : undefined;
  if (operator in patterns && typeof operand === 'string' && field.type === 'String')
    return `${column}::text LIKE ${statement.param(patterns[operator as keyof typeof patterns](operand))}`;
  return undefined;
}

/**
 * A relation filter: `some` / `none` / `every` on a list (Prisma's own SQL is EXISTS, so
 * these are exact anywhere), `is` / `isNot` / the filter itself / null on a single
 * related row.
 */
function relationSql(scope: Scope, relation: RelationShape, filter: unknown): string | undefined {
  const target = readModel[relation.target];
  if (!target) return undefined;
  if (filter === null) return relation.isList ? undefined : keyIsNull(scope.alias, relation);
  if (!isOperatorObject(filter)) return undefined;
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined);
  const quantifiers = relation.isList ? ['some', 'none', 'every'] : ['is', 'isNot'];
  const quantified = entries.length > 0 && entries.every(([key]) => quantifiers.includes(key));
  if (relation.isList ? !quantified : scope.negated) return undefined;
  const parts: string[] = [];
  for (const [quantifier, inner] of quantified ? entries : [['is', filter] as const]) {
    const part = quantifiedSql(scope, relation, target, quantifier, inner);
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return joined(parts, 'AND');
}

function quantifiedSql(scope: Scope, relation: RelationShape, target: ModelShape, quantifier: string, inner: unknown): string | undefined {
  if (inner === null && (quantifier === 'is' || quantifier === 'isNot')) {
    const absent = keyIsNull(scope.alias, relation);
    return absent === undefined || quantifier === 'is' ? absent : `NOT (${absent})`;
  }
  const related = scope.statement.alias();
  // Inside EXISTS a row counts only when the condition is true: a fresh root, positive for
  // `some`, `none` and `is`; `every` and `isNot` ask whether it is false, where NULL and
  // false part again.
  const asksFalse = quantifier === 'every' || quantifier === 'isNot';
  const body = objectSql({ model: target, alias: related, statement: scope.statement, isRoot: true, negated: asksFalse }, inner);
  if (body === undefined) return undefined;
  const condition = body === nothing ? 'TRUE' : body;
  const from = `FROM ${quoted(target.table)} AS ${related} WHERE ${joinCondition(scope.alias, related, relation)}`;
  switch (quantifier) {
    case 'some':
    case 'is':
      return `EXISTS (SELECT 1 ${from} AND (${condition}))`;
    case 'none':
      return `NOT EXISTS (SELECT 1 ${from} AND (${condition}))`;
    // Prisma: no related row, or one for which the condition is false (not NULL).
    case 'isNot':
      return `NOT EXISTS (SELECT 1 ${from} AND (${condition}) IS NOT FALSE)`;
    case 'every':
      return `NOT EXISTS (SELECT 1 ${from} AND NOT (${condition}))`;
    default:
      return undefined;
  }
}

/** "No related row", for the side that holds the key: the key is NULL, as Prisma writes it. */
function keyIsNull(alias: string, relation: RelationShape): string | undefined {
  if (!relation.holdsKey) return undefined;
  return relation.from.map((column) => `${alias}.${quoted(column)} IS NULL`).join(' AND ');
}

/** The related row's columns equal to this row's, pair by pair. */
export function joinCondition(alias: string, related: string, relation: RelationShape): string {
  return relation.from.map((column, index) => `${related}.${quoted(relation.to[index]!)} = ${alias}.${quoted(column)}`).join(' AND ');
}

function joined(parts: string[], operator: 'AND' | 'OR'): string {
  if (parts.length === 0) return nothing;
  if (parts.length === 1) return parts[0]!;
  return parts.map((part) => `(${part})`).join(` ${operator} `);
}

/** A plain object of operators, as opposed to a value compared for equality. */
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A value sent as a parameter as it is: what Prisma's driver adapters send for these column types. */
function isValue(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint' ||
    (value instanceof Date && !Number.isNaN(value.getTime()))
  );
}
