import type { FieldRef } from '@pothos/core';
import { builder, type BuilderTypes } from './builder.js';
import { fieldDocs } from './field-docs.js';
import { LabelFilter } from './list-options.js';
import { annotations, labels } from './validators.js';

/**
 * Kubernetes metadata, declared once: the `labels` and `annotations` every Rancher object
 * carries (`metadata.labels`, `metadata.annotations`), string maps kept in two JSON
 * columns of the type's table (`{}` when none). Rancher's clients send and read them on
 * nearly every type (Terraform's rancher2 provider declares both, Optional and Computed):
 * a type without them would make a configuration plan a change forever, and /v3 would
 * drop a script's labels without a word (its body parser keeps only the schema's fields).
 *
 * A resource declaration takes the three parts where it declares its own fields:
 * {@link metadataFields} in `fields`, {@link metadataInputFields} in its create and update
 * inputs (given on update, a map replaces the kept one; absent or null leaves it), and
 * {@link metadataListFields} in `list`. Keys and values follow Kubernetes' rules
 * (validators.ts), so a bad one is INVALID_INPUT naming the field, 422 on /v3.
 */

/** The two output fields; each reads only its own column. `t` is the type's Prisma field builder (see {@link MetadataFieldBuilder}). */
export function metadataFields(t: unknown) {
  const fields = t as MetadataFieldBuilder;
  const map = (column: MetadataColumn) =>
    fields.field({ type: 'StringMap', description: fieldDocs[column], select: { [column]: true }, resolve: (row) => row[column] as Record<string, string> });
  return { labels: map('labels'), annotations: map('annotations') };
}

/**
 * The two input fields, for a create and an update alike. `docs` describe them where a
 * type says more than the shared meaning (services and ingresses say how an update treats them).
 */
export function metadataInputFields(t: InputFieldBuilder, docs: Record<MetadataColumn, string> = fieldDocs) {
  return {
    labels: t.field({ description: docs.labels, type: 'StringMap', validate: labels }),
    annotations: t.field({ description: docs.annotations, type: 'StringMap', validate: annotations }),
  };
}

/**
 * The update input of a type whose other fields are fixed (the role bindings: Rancher's
 * user and role of a binding never change, its metadata does, and Terraform updates it in
 * place), named `Update<Type>Input` as every update input is.
 */
export function metadataUpdateInput(typeName: string, what: string) {
  return builder.inputType(`Update${typeName}Input`, {
    description: `The labels and annotations of ${what} to change; the rest of it is fixed.`,
    fields: (t) => metadataInputFields(t),
  });
}

/** The list's entry: labels filtered as a Kubernetes label selector states its requirements (a map has no order: never a sort). */
export const metadataListFields = { labels: { filter: LabelFilter } } as const;

type MetadataColumn = 'labels' | 'annotations';

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/**
 * Only what the output fields need from Pothos' Prisma field builder, whose type differs
 * per model (each call is checked by Pothos at run time as any field is; as in-namespace.ts does).
 */
interface MetadataFieldBuilder {
  field(options: {
    type: 'StringMap';
    description: string;
    select: object;
    resolve: (row: Record<string, unknown>) => Record<string, string>;
  }): FieldRef<BuilderTypes, Record<string, string>, 'Object'>;
}
