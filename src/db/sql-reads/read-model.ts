import { generatedReadModel } from '../../generated/read-model.js';

/**
 * What the SQL list reads know of the data model, generated from prisma/schema.prisma
 * (scripts/prisma-read-model.mjs writes src/generated/read-model.ts): each model's table,
 * its columns, and how each relation joins.
 */
export const readModel: ReadModel = generatedReadModel;

interface ReadModel {
  readonly [model: string]: ModelShape;
}

export interface ModelShape {
  readonly table: string;
  readonly fields: { readonly [field: string]: FieldShape };
}

type FieldShape = ColumnShape | RelationShape;

export interface ColumnShape {
  readonly kind: 'scalar' | 'enum';
  /** Prisma's type name: String, Int, BigInt, Boolean, DateTime, Json, … or the enum's. */
  readonly type: string;
  readonly column: string;
  readonly isList: boolean;
}

export interface RelationShape {
  readonly kind: 'relation';
  readonly target: string;
  readonly isList: boolean;
  /** Whether this model's table holds the foreign key (`Project.cluster`), rather than the target's (`Cluster.projects`). */
  readonly holdsKey: boolean;
  /** Columns of this model's table, matched in order with `to` on the target's. */
  readonly from: readonly string[];
  readonly to: readonly string[];
}
