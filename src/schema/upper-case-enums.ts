import SchemaBuilder, { BasePlugin, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';

/**
 * Every enum value of the schema is named in GraphQL's usual UPPER_CASE
 * (`active` → `ACTIVE`, `StatefulSet` → `STATEFUL_SET`, `TCP` stays), while its
 * internal value stays the string it was declared with, which is Rancher's own
 * (`active`, `StatefulSet`). Resolvers return and services receive Rancher's strings;
 * GraphQL shows the names; `rest-compat/` reads each enum value's `value` to speak
 * Rancher's strings on /v3 and /v1 (rest-compat/execute/enum-values.ts).
 *
 * Done once for every `builder.enumType`, so a type declared anywhere — with an array
 * of values, an object of them, or a Prisma enum — follows the rule without saying so.
 */
class UpperCaseEnumsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    if (typeConfig.kind !== 'Enum') return typeConfig;
    const values = Object.fromEntries(
      Object.entries(typeConfig.values).map(([name, value]) => {
        const rancher = value.value === undefined ? name : value.value;
        const graphqlName = graphqlEnumName(name);
        return [graphqlName, { ...value, value: rancher, description: withRancherString(value.description, graphqlName, rancher) }];
      }),
    );
    return { ...typeConfig, values };
  }
}

/**
 * A value's description says the string Rancher (and /v3, /v1) uses for it when that is
 * not its GraphQL name. A value declared without a description stays without one, for
 * the descriptions test to name: the Rancher string alone does not say what it means.
 */
function withRancherString(description: string | undefined, graphqlName: string, rancher: unknown): string | undefined {
  if (!description || typeof rancher !== 'string' || rancher === graphqlName) return description;
  return `${description} Rancher's \`${rancher}\`.`;
}

/** `active` → `ACTIVE`, `kubernetesVersion` → `KUBERNETES_VERSION`, `rke2` → `RKE2`, `user-base` → `USER_BASE`. */
function graphqlEnumName(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toUpperCase();
}

const pluginName = 'upperCaseEnums';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      upperCaseEnums: UpperCaseEnumsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, UpperCaseEnumsPlugin);

export default pluginName;
