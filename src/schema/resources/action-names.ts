/**
 * Mutations are named verb first, as `createCluster` is: an action `generateKubeconfig`
 * of a Cluster is `generateClusterKubeconfig`, `pause` of a Workload `pauseWorkload`.
 * The verb is the action's first word; the type goes right after it.
 *
 * The names the schema had before (`<type><Action>`: `clusterGenerateKubeconfig`,
 * `workloadPause`) stay as deprecated aliases resolved by the same code, so today's
 * clients keep working; each alias says which mutation it stands for in
 * `extensions.aliasOf`, so that the audit log and /v3 read it as that one.
 */
function actionMutationNames(typeName: string, action: string): { name: string; alias: string } {
  const verb = /^[a-z0-9]+/.exec(action)?.[0] ?? action;
  return { name: `${verb}${typeName}${action.slice(verb.length)}`, alias: `${lowerFirst(typeName)}${upperFirst(action)}` };
}

/**
 * The mutation under its verb-first name and under its old name, deprecated. `build`
 * makes one field from its options (a field object cannot sit under two names).
 */
export function withDeprecatedAlias<Field>(typeName: string, action: string, build: (options: AliasOptions) => Field): Record<string, Field> {
  const { name, alias } = actionMutationNames(typeName, action);
  return { [name]: build({}), [alias]: build({ deprecationReason: `Use ${name}.`, extensions: { aliasOf: name } }) };
}

/** What the alias adds to a field's options: its deprecation and what it stands for. */
export interface AliasOptions {
  deprecationReason?: string;
  extensions?: Record<string, unknown>;
}

/** The mutation a deprecated alias stands for (`extensions.aliasOf`), or the field's own name. */
export function canonicalMutationName(field: { name: string; extensions?: unknown }): string {
  const aliasOf = (field.extensions as { aliasOf?: unknown } | null | undefined)?.aliasOf;
  return typeof aliasOf === 'string' ? aliasOf : field.name;
}

const lowerFirst = (text: string) => text[0]!.toLowerCase() + text.slice(1);
const upperFirst = (text: string) => text[0]!.toUpperCase() + text.slice(1);
