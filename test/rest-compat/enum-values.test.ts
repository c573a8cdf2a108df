import { execute, parse } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { rancherOutputSchema } from '../../rest-compat/execute/enum-values.js';
import { schema } from '../../src/schema/index.js';

describe('the schema twin the Rancher faces execute against', () => {
  // A schema of its own, so the cases are exact: a value whose internal value is not a
  // string is shown by its name, a list of them, and a value the enum does not hold.
  const small = createSchema({
    typeDefs: 'enum Kind { STATEFUL_SET DEPLOYMENT LEGACY } type Query { kind: Kind kinds: [Kind!] bad: Kind }',
    resolvers: {
      Kind: { STATEFUL_SET: 'StatefulSet', DEPLOYMENT: 'Deployment', LEGACY: 7 },
      Query: { kind: () => 'StatefulSet', kinds: () => ['Deployment', 7, 'StatefulSet'], bad: () => 'Job' },
    },
  });
  const run = async (target: typeof small) => execute({ schema: target, document: parse('{ kind kinds bad }') });

  it("answers Rancher's strings where GraphQL answers names, and leaves GraphQL's schema as it was", async () => {
    const twin = rancherOutputSchema(small);
    const [rancher, graphql] = [await run(twin), await run(small)];
    expect(rancher.data).toEqual({ kind: 'StatefulSet', kinds: ['Deployment', 'LEGACY', 'StatefulSet'], bad: null });
    expect(graphql.data).toEqual({ kind: 'STATEFUL_SET', kinds: ['DEPLOYMENT', 'LEGACY', 'STATEFUL_SET'], bad: null });
    // A value outside the enum is refused the way GraphQL refuses it.
    expect(rancher.errors?.map((error) => error.message)).toEqual(graphql.errors?.map((error) => error.message));
    expect(rancher.errors?.[0]?.message).toMatch(/Enum "Kind" cannot represent value: "Job"/);
  });

  it('is made for the real schema with every type, field and resolver of it', () => {
    const twin = rancherOutputSchema(schema);
    expect(Object.keys(twin.getTypeMap()).sort()).toEqual(Object.keys(schema.getTypeMap()).sort());
    const cluster = twin.getQueryType()!.getFields().cluster!;
    expect(cluster.resolve).toBe(schema.getQueryType()!.getFields().cluster!.resolve);
    expect(twin.getType('WorkloadKind')).not.toBe(schema.getType('WorkloadKind'));
  });
});
