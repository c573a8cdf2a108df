// A frontend's code using the client package by name, type-checked by
// test/client/package.test.ts under Vite's React template settings and under NodeNext.
import { useQueryClient } from '@tanstack/react-query';
import {
  configureClient,
  GraphQLRequestError,
  useClustersQuery,
  useCreateClusterMutation,
  useInfiniteTokensQuery,
  useLoginMutation,
  useLogoutMutation,
} from '@cattle-graph/client';

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

// Signing in with the session key a Login answers, and out again (README, "Signing in from a browser app").
let sessionKey: string | null | undefined;
configureClient({ endpoint: '/graphql', headers: (): Record<string, string> => (sessionKey ? { authorization: `Bearer ${sessionKey}` } : {}) });

export function SignIn() {
  const queryClient = useQueryClient();
  const login = useLoginMutation({
    onSuccess: (data) => {
      sessionKey = data.login.token;
    },
  });
  const logout = useLogoutMutation({
    onSettled: () => {
      sessionKey = undefined;
      queryClient.clear();
    },
  });
  // A field limit's 429 does not say when; the per-minute limit's does.
  const wait: number | undefined = login.error?.retryAfter;
  return (
    <form onSubmit={() => login.mutate({ input: { username: 'admin', password: 'secret' } })}>
      {wait === undefined ? null : <p>try again in {wait} s</p>}
      <button type="button" onClick={() => logout.mutate({})}>
        Log out
      </button>
    </form>
  );
}

// Every key, page by page: the next page's `after` is the last page's `pageInfo.endCursor`.
export function AllKeys() {
  const keys = useInfiniteTokensQuery(
    { first: 50 },
    {
      initialPageParam: {},
      getNextPageParam: (last) => (last.tokens.pageInfo.hasNextPage ? { after: last.tokens.pageInfo.endCursor } : undefined),
    },
  );
  const limit: string | null | undefined = keys.error?.headers.get('x-ratelimit-limit');
  return (
    <ul title={limit ?? undefined}>
      {keys.data?.pages.flatMap((page) => page.tokens.edges.map(({ node }) => <li key={node.id}>{node.name}</li>))}
      {keys.hasNextPage ? (
        <li>
          <button type="button" onClick={() => void keys.fetchNextPage()}>
            more
          </button>
        </li>
      ) : null}
    </ul>
  );
}
