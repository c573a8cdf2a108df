// A frontend's code using the client package by name, type-checked by
// test/client/package.test.ts under Vite's React template settings and under NodeNext.
import { useQueryClient } from '@tanstack/react-query';
import { configureClient, GraphQLRequestError, useClustersQuery, useCreateClusterMutation } from '@cattle-graph/client';

configureClient({ endpoint: '/graphql', persisted: true });

export function ClusterNames() {
  const clusters = useClustersQuery({ first: 5 });
  const create = useCreateClusterMutation({ onSuccess: () => useQueryClient().invalidateQueries({ queryKey: ['Clusters'] }) });
  // The error type is the client's error class, not unknown: no cast needed.
  const code: string | undefined = clusters.error?.code;
  const nameError = create.error?.errorFor('name')?.message;
  if (clusters.error instanceof GraphQLRequestError && code === 'NETWORK_ERROR') return <p>offline</p>;
  return (
    <ul>
      {clusters.data?.clusters.edges.map(({ node }) => (
        <li key={node.id}>{node.name}</li>
      ))}
      <li>{nameError}</li>
    </ul>
  );
}
