import { readModel, type ModelShape } from './read-model.js';
import { quoted, Statement } from './statement.js';
import { joinCondition, whereSql } from './where-sql.js';

/** The part of Prisma's `findMany` arguments a list read passes. */
export interface FindManyArgs {
  readonly select?: Readonly<Record<string, unknown>>;
  readonly include?: unknown;
  readonly where?: unknown;
  readonly orderBy?: unknown;
  readonly take?: number;
  readonly skip?: number;
  readonly cursor?: unknown;
  readonly distinct?: unknown;
}

export interface SqlText {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Column types whose raw value is what Prisma's query API answers for them. */
const plainTypes = new Set(['String', 'Int', 'BigInt', 'Float', 'Boolean', 'DateTime', 'Json']);

/**
 * One statement for a `findMany` of columns and relation counts: the row's selected
 * columns, and `_count` as a JSON object of correlated counts (as Prisma builds it), so
 * each row comes back in the shape Prisma's query API gives it. `undefined` for what is
 * not written here — a related row or list in the selection, Prisma's own cursor, skip
 * or distinct, a filter beyond where-sql.ts — which Prisma then reads itself.
 */
export function findManySql(modelName: string, args: FindManyArgs): SqlText | undefined {
  const model = readModel[modelName];
  if (!model || args.include !== undefined || args.cursor !== undefined || args.distinct !== undefined || args.skip !== undefined) return undefined;
  const statement = new Statement();
  const alias = statement.alias();
  const columns = args.select ? selectedColumns(model, alias, args.select, statement) : everyColumn(model, alias);
  if (!columns) return undefined;
  const where = whereSql(model, alias, args.where, statement);
  const order = orderSql(model, alias, args.orderBy);
  if (where === undefined || order === undefined) return undefined;
  if (args.take !== undefined && !(Number.isSafeInteger(args.take) && args.take >= 0)) return undefined;
  const limit = args.take === undefined ? '' : ` LIMIT ${args.take}`;
  return { sql: `SELECT ${columns} FROM ${quoted(model.table)} AS ${alias} WHERE ${where}${order}${limit}`, params: statement.params };
}

/** `count({ where })` as one statement. */
export function countSql(modelName: string, where: unknown): SqlText | undefined {
  const model = readModel[modelName];
  if (!model) return undefined;
  const statement = new Statement();
  const alias = statement.alias();
  const condition = whereSql(model, alias, where, statement);
  if (condition === undefined) return undefined;
  return { sql: `SELECT COUNT(*) AS count FROM ${quoted(model.table)} AS ${alias} WHERE ${condition}`, params: statement.params };
}

function selectedColumns(model: ModelShape, alias: string, select: Readonly<Record<string, unknown>>, statement: Statement): string | undefined {
  const columns: string[] = [];
  for (const [name, wanted] of Object.entries(select)) {
    if (wanted === false || wanted === undefined) continue;
    if (name === '_count') {
      const counts = countsObject(model, alias, wanted, statement);
      if (counts === undefined) return undefined;
      columns.push(`${counts} AS "_count"`);
      continue;
    }
    const field = model.fields[name];
    if (wanted !== true || !field || field.kind === 'relation' || !(field.kind === 'enum' || plainTypes.has(field.type))) return undefined;
    columns.push(columnAs(alias, field.column, name));
  }
  return columns.length > 0 ? columns.join(', ') : undefined;
}

/** Without a selection Prisma answers every column. */
function everyColumn(model: ModelShape, alias: string): string | undefined {
  const columns: string[] = [];
  for (const [name, field] of Object.entries(model.fields)) {
    if (field.kind === 'relation') continue;
    if (!(field.kind === 'enum' || plainTypes.has(field.type))) return undefined;
    columns.push(columnAs(alias, field.column, name));
  }
  return columns.join(', ');
}

function columnAs(alias: string, column: string, name: string): string {
  return column === name ? `${alias}.${quoted(column)}` : `${alias}.${quoted(column)} AS ${quoted(name)}`;
}

/** `_count: { select: { projects: true, nodePools: { where } } }` as `jsonb_build_object('projects', (SELECT COUNT(*) …), …)`. */
function countsObject(model: ModelShape, alias: string, wanted: unknown, statement: Statement): string | undefined {
  const select = typeof wanted === 'object' && wanted !== null ? (wanted as { select?: unknown }).select : undefined;
  if (typeof select !== 'object' || select === null) return undefined;
  const pairs: string[] = [];
  for (const [name, options] of Object.entries(select)) {
    if (options === false || options === undefined) continue;
    const relation = model.fields[name];
    if (relation?.kind !== 'relation' || !relation.isList) return undefined;
    const target = readModel[relation.target];
    // `true`, or `{ where }`: nothing else narrows a count.
    const where = options === true ? undefined : isWhereOnly(options) ? options.where : false;
    if (!target || where === false) return undefined;
    const related = statement.alias();
    const condition = whereSql(target, related, where, statement);
    if (condition === undefined) return undefined;
    pairs.push(`'${name}', (SELECT COUNT(*) FROM ${quoted(target.table)} AS ${related} WHERE ${joinCondition(alias, related, relation)} AND (${condition}))`);
  }
  return pairs.length > 0 ? `jsonb_build_object(${pairs.join(', ')})` : undefined;
}

function isWhereOnly(options: unknown): options is { where?: unknown } {
  return typeof options === 'object' && options !== null && Object.keys(options).every((key) => key === 'where');
}

/** `[{ name: 'asc' }, { id: 'asc' }]` (or one such object) on this model's columns. */
function orderSql(model: ModelShape, alias: string, orderBy: unknown): string | undefined {
  if (orderBy === undefined) return '';
  const entries = Array.isArray(orderBy) ? orderBy : [orderBy];
  const terms: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    for (const [name, direction] of Object.entries(entry)) {
      const field = model.fields[name];
      if (!field || field.kind === 'relation' || (direction !== 'asc' && direction !== 'desc')) return undefined;
      terms.push(`${alias}.${quoted(field.column)} ${direction === 'asc' ? 'ASC' : 'DESC'}`);
    }
  }
  return terms.length > 0 ? ` ORDER BY ${terms.join(', ')}` : '';
}
