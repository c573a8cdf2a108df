import type { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { documents } from '../../rest-compat/execute/documents.js';
import { deriveApiModel } from '../../rest-compat/schemas/derive.js';
import { useDocumentLimits } from '../../src/graphql/document-limits.js';
import { schema } from '../../src/schema/index.js';

/**
 * One rule for both faces: /v3 runs its operations through the same validation as
 * /graphql (rest-compat/execute/run.ts), so its generated documents must be within the
 * document limits a GraphQL client is held to (depth, aliases, tokens, cost) — by
 * construction, for every type and every route shape. Each is parsed and validated
 * with the schema and the limits plugin both faces' pipelines carry (nothing runs).
 */
describe('/v3’s generated documents and the GraphQL document limits', () => {
  const enveloped = createYoga({ schema, plugins: [useDocumentLimits()] }).getEnveloped({});

  const model = deriveApiModel(schema);
  const generated = [...model.bindings.values()].flatMap((binding) => [
    { name: `${binding.schemaId} get`, text: documents.get(binding) },
    { name: `${binding.schemaId} list`, text: documents.list(binding) },
    ...(binding.createMutation ? [{ name: `${binding.schemaId} create`, text: documents.create(binding) }] : []),
    ...(binding.updateMutation ? [{ name: `${binding.schemaId} update`, text: documents.update(binding) }] : []),
    ...(binding.deleteMutation ? [{ name: `${binding.schemaId} remove`, text: documents.remove(binding) }] : []),
    ...Object.entries({ ...binding.resourceActions, ...binding.unlistedActions.resource }).map(([name, action]) => ({
      name: `${binding.schemaId} action ${name}`,
      text: documents.action(binding, action, true),
    })),
    ...Object.entries({ ...binding.collectionActions, ...binding.unlistedActions.collection }).map(([name, action]) => ({
      name: `${binding.schemaId} collection action ${name}`,
      text: documents.action(binding, action, false),
    })),
  ]);

  const refusalsOf = (text: string): unknown[] => {
    try {
      const errors: readonly GraphQLError[] = enveloped.validate(enveloped.schema, enveloped.parse(text));
      return errors.map((error) => error.extensions.code);
    } catch (error) {
      // The token limit stops the parser by throwing.
      return [(error as { extensions?: { code?: string } }).extensions?.code];
    }
  };

  it('covers every type', () => {
    expect(generated.length).toBeGreaterThan(model.bindings.size * 2);
  });

  it('passes every limit /graphql enforces, for every generated document', () => {
    const refused: Record<string, unknown[]> = {};
    for (const { name, text } of generated) {
      const codes = refusalsOf(text);
      if (codes.length) refused[name] = codes;
    }
    expect(refused).toEqual({});
  });

  it('would be refused like any client’s document if it broke a limit', () => {
    const list = documents.list(model.bindings.get('cluster')!);
    // `… edges { node { … } } } }`: the connection's selection, without the closing of `r:` and the operation.
    expect(list.endsWith('} } } }')).toBe(true);
    const clusterNode = list.slice(list.indexOf('node {') + 'node {'.length, -' } } } }'.length);
    // /v3's cluster selection with each cluster's projects, under aliases: the kind of document the cost limit is for.
    const alias = (index: number) =>
      `a${index}: clusters(first: 100) { edges { node { ${clusterNode} projects(first: 100) { edges { node { id name } } } } } }`;
    // Ten: well within the token limit, which a document of many more would break first.
    expect(refusalsOf(`query Costly { ${Array.from({ length: 10 }, (_, index) => alias(index)).join(' ')} }`)).toEqual(['QUERY_TOO_COSTLY']);
  });
});
