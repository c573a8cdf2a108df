import type { PrismaClient } from '../db/database.js';
import { sqlCount, sqlFindMany } from '../db/sql-reads/index.js';
import { notFound } from '../errors.js';
import { metadataColumns, type MetadataInput } from './input.js';

/** The selection Pothos planned for the requested fields (`select` in select mode). */
export type PrismaQuery = { select?: Record<string, unknown>; include?: Record<string, unknown> };

/** The Prisma models that are API resources: every one has a string `id`. */
export type ResourceModel =
  | 'cluster'
  | 'project'
  | 'namespace'
  | 'workload'
  | 'service'
  | 'ingress'
  | 'namespacedSecret'
  | 'projectSecret'
  | 'nodeDriver'
  | 'nodeTemplate'
  | 'nodePool'
  | 'clusterRegistrationToken'
  | 'setting'
  | 'globalRoleBinding'
  | 'roleTemplate'
  | 'clusterRoleTemplateBinding'
  | 'projectRoleTemplateBinding'
  | 'user'
  | 'token'
  | 'cloudCredential';

/**
 * The reads and the delete every resource type shares, written once. A service extends
 * it with its domain rules (create, update, actions). `scope` is a policy's `where`
 * fragment: a row outside it is answered exactly like a missing one.
 *
 * Prisma's delegates have a generic signature per model that no shared type can name;
 * the one cast below is the price of having a single copy (test/services/resource-store
 * pins what callers see).
 */
export class ResourceStore<Row extends { id: string }, Where extends object, OrderBy extends object = object> {
  protected readonly delegate: Delegate<Row, Where, OrderBy>;
  /** The Prisma model's name (`cluster` → `Cluster`), for the SQL list reads. */
  private readonly modelName: string;

  constructor(
    protected readonly prisma: PrismaClient,
    model: ResourceModel,
    /** The type's name in messages (`cluster "c-x" not found`). */
    readonly typeName: string,
  ) {
    this.delegate = prisma[model] as unknown as Delegate<Row, Where, OrderBy>;
    this.modelName = model[0]!.toUpperCase() + model.slice(1);
  }

  /** One row within `scope`, or null: missing and invisible look the same. */
  find(id: string, query: PrismaQuery = {}, scope?: Where): Promise<Row | null> {
    return this.delegate.findFirst({ ...query, where: withScope(id, scope) });
  }

  /** One row within `scope`, or NOT_FOUND. */
  async get(id: string, query: PrismaQuery = {}, scope?: Where): Promise<Row> {
    const row = await this.find(id, query, scope);
    if (!row) throw notFound(this.typeName, id);
    return row;
  }

  /** A page: as one SQL statement when the selection is columns and counts (src/db/sql-reads), through Prisma otherwise. */
  list(query: PrismaQuery, where: Where, orderBy: OrderBy[], take: number): Promise<Row[]> {
    const args = { ...query, where, orderBy, take };
    return sqlFindMany<Row>(this.prisma, this.modelName, args) ?? this.delegate.findMany(args);
  }

  count(where: Where): Promise<number> {
    return sqlCount(this.prisma, this.modelName, where) ?? this.delegate.count({ where });
  }

  /** Writes `data` to the row in one statement, within `scope`; NOT_FOUND outside it. */
  protected write(id: string, data: object, query: PrismaQuery = {}, scope?: Where): Promise<Row> {
    return this.onRow(id, () => this.delegate.update({ ...query, where: withScope(id, scope), data }));
  }

  /**
   * Writes the row's labels and annotations given (a map given replaces the kept one), in
   * one statement within `scope`: all a type whose other fields are fixed may change (the
   * role bindings).
   */
  writeMetadata(id: string, input: MetadataInput, query: PrismaQuery = {}, scope?: Where): Promise<Row> {
    return this.write(id, metadataColumns(input), query, scope);
  }

  /**
   * Deletes the row in one statement, within `scope` (Prisma's unique `where` takes
   * extra conditions); a row outside it fails as NOT_FOUND, not as a deletion.
   */
  delete(id: string, query: PrismaQuery = {}, scope?: Where): Promise<Row> {
    return this.onRow(id, () => this.delegate.delete({ ...query, where: withScope(id, scope) }));
  }

  /** A write to one row; Prisma's "no such row" (P2025) becomes this type's NOT_FOUND. */
  protected async onRow<T>(id: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'P2025') throw notFound(this.typeName, id);
      throw error;
    }
  }
}

/** Scope fragments go under `AND`: one may constrain `id` itself (see auth/visibility.ts). */
function withScope<Where extends object>(id: string, scope: Where | undefined): object {
  return scope ? { id, AND: [scope] } : { id };
}

interface Delegate<Row, Where, OrderBy> {
  findFirst(args: PrismaQuery & { where: object }): Promise<Row | null>;
  findMany(args: PrismaQuery & { where: Where; orderBy: OrderBy[]; take: number }): Promise<Row[]>;
  count(args: { where: Where }): Promise<number>;
  update(args: PrismaQuery & { where: object; data: object }): Promise<Row>;
  delete(args: PrismaQuery & { where: object }): Promise<Row>;
}
