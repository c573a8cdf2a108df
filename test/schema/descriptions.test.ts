import {
  buildSchema,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';

import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

describe('schema descriptions (issue 15)', () => {
  it('describes every type, field, argument and enum value', () => {
    // The failure lists each coordinate still without a description.
    expect(undescribed(schema)).toEqual([]);
  });

  it('names each kind of part that lacks one', () => {
    const bare = buildSchema(`
      """Described."""
      type Query { cluster(id: ID!): Cluster, """Described.""" state: State }
      type Cluster { """Described.""" name: String, size: Int }
      enum State { """Described.""" ACTIVE ERROR }
      input Blank { a: Int }
    `);
    expect(undescribed(bare).sort()).toEqual(
      ['Blank', 'Blank.a', 'Cluster', 'Cluster.size', 'Query.cluster', 'Query.cluster(id)', 'State', 'State.ERROR'].sort(),
    );
  });
});

/**
 * Every part of the schema a reader may meet without a description: each named type
 * (beyond GraphQL's own), each field of an object, interface or input type, each
 * argument and each enum value, as a coordinate (`Cluster.name`, `Query.cluster(id)`,
 * `ClusterState.ACTIVE`). Issue 15: a schema to be proud of describes them all.
 */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (text: string | null | undefined) => !text?.trim();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}
