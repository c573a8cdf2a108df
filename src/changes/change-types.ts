import { Prisma } from '../generated/prisma/client.js';
import { secretKinds } from '../project-secrets/kinds.js';

/**
 * The type a change names: the GraphQL type of the row that changed, which protocols
 * filter on (`resourceChanges(types:)`, /v3's `resourceTypes`) and read the object as.
 *
 * Most models are one type each, named as the model (and its table). A model served as
 * several types with none of its own names each row by the type it is: the project
 * secret family is one table, `ProjectSecret`, and ten types — `BasicAuth`,
 * `NamespacedBasicAuth`, … (src/schema/resources/project-secret.ts). Named after the
 * table, its changes matched no type and reached no subscriber at all.
 *
 * A view of a model that has a type of its own (`Deployment` of `Workload`) names no
 * change: a workload is one object with one id whatever its kind (`node(id:)` answers a
 * Workload), so each of its changes is told once, as a Workload's, its kind on the node.
 */

/** Tables that are bookkeeping, not resources: the capture trigger leaves them out, so no change names them. */
export const ignoredTables: ReadonlySet<string> = new Set([
  // The feed itself, and the migrations.
  'Change',
  '_prisma_migrations',
  // The audit log: written for every request at AUDIT_LEVEL ≥ 1; announcing each entry would put every
  // request through the commit lock and wake every stream for nothing.
  'AuditEvent',
]);

/** A model whose rows are of several types: which ones, and how the capture trigger tells a row's. */
interface TypedRows {
  readonly types: readonly string[];
  /** The SQL expression naming the type of `row` (the row as jsonb); NULL for a row of no known type. */
  typeOf(row: string): string;
}

const typedRows: Readonly<Record<string, TypedRows>> = { ProjectSecret: projectSecretTypes() };

/** Every type a change can name: each model's own, or the types of its rows when it has several. */
export const changeTypes: ReadonlySet<string> = new Set(
  Object.values(Prisma.ModelName)
    .filter((model) => !ignoredTables.has(model))
    .flatMap((model) => typedRows[model]?.types ?? [model]),
);

/**
 * The SQL expression, inside the capture trigger, for the type a change of `row` (the row
 * as jsonb) names. A row of a kind declared nowhere falls back to the table's name, so a
 * new kind can never fail a commit (its changes reach no one until it is declared).
 */
export function changeTypeSql(row: string): string {
  const typed = Object.entries(typedRows).map(([model, rows]) => `WHEN ${sqlText(model)} THEN coalesce(${rows.typeOf(row)}, TG_TABLE_NAME)`);
  return typed.length ? `CASE TG_TABLE_NAME ${typed.join(' ')} ELSE TG_TABLE_NAME END` : 'TG_TABLE_NAME';
}

/** The model (and table) a change's type is stored in: what rules written per model (src/auth/change-visibility.ts) judge a change by. */
export function modelOf(type: string): string {
  return modelsByType.get(type) ?? type;
}

const modelsByType = new Map(Object.entries(typedRows).flatMap(([model, rows]) => rows.types.map((type) => [type, model] as const)));

/** `<Kind>` for a project-wide secret and `Namespaced<Kind>` for a namespace's, as src/schema/resources/project-secret.ts names them. */
function projectSecretTypes(): TypedRows {
  return {
    types: secretKinds.flatMap((kind) => [kind.typeName, `Namespaced${kind.typeName}`]),
    typeOf: (row) => {
      const byKind = secretKinds.map((kind) => `WHEN ${sqlText(kind.kind)} THEN ${sqlText(kind.typeName)}`).join(' ');
      return `CASE WHEN ${row}->>'namespaceId' IS NULL THEN '' ELSE 'Namespaced' END || CASE ${row}->>'kind' ${byKind} END`;
    },
  };
}

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
