// The page test/client/hooks-in-browser.test.ts opens in Chromium: the generated hooks
// rendered by React under TanStack Query, as an app uses them. The test drives it through
// `window.harness` and reads what it shows in its one <output>.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { configureClient, useClustersQuery, useInfiniteClustersQuery, useInfiniteTokensQuery } from '@cattle-graph/client';

/** What the page shows: nothing, one filtered list, or a whole list read page by page. */
export type View =
  | { kind: 'nothing' }
  | { kind: 'clusters'; name: string }
  | { kind: 'all-clusters'; pageSize: number }
  | { kind: 'all-tokens'; pageSize: number; queryKey: string[] };

/** A list as read: its pages, the items' names or ids in order, and the list's totalCount. */
export interface Shown {
  pages: number;
  items: string[];
  totalCount: number;
}

function Clusters({ name }: { name: string }) {
  const clusters = useClustersQuery({ filter: { name: { eq: name } } });
  if (!clusters.data) return <output data-state="loading" />;
  const shown: Shown = { pages: 1, items: clusters.data.clusters.edges.map(({ node }) => node.name), totalCount: clusters.data.clusters.totalCount };
  return <output data-state="done">{JSON.stringify(shown)}</output>;
}

/** The cursor pattern of README, "Lists page by page": `after` from the last page's `pageInfo.endCursor`. */
function AllClusters({ pageSize }: { pageSize: number }) {
  const list = useInfiniteClustersQuery(
    { first: pageSize, sort: { field: 'NAME' } },
    {
      initialPageParam: {},
      getNextPageParam: (last) => (last.clusters.pageInfo.hasNextPage ? { after: last.clusters.pageInfo.endCursor } : undefined),
    },
  );
  useAllPages(list);
  const pages = list.data?.pages;
  if (!pages || list.hasNextPage) return <output data-state="loading" />;
  return (
    <Done pages={pages.length} items={pages.flatMap((page) => page.clusters.edges.map(({ node }) => node.name))} totalCount={pages[0]!.clusters.totalCount} />
  );
}

function AllTokens({ pageSize, queryKey }: { pageSize: number; queryKey: string[] }) {
  const list = useInfiniteTokensQuery(
    { first: pageSize },
    {
      queryKey,
      initialPageParam: {},
      getNextPageParam: (last) => (last.tokens.pageInfo.hasNextPage ? { after: last.tokens.pageInfo.endCursor } : undefined),
    },
  );
  useAllPages(list);
  const pages = list.data?.pages;
  if (!pages || list.hasNextPage) return <output data-state="loading" />;
  return <Done pages={pages.length} items={pages.flatMap((page) => page.tokens.edges.map(({ node }) => node.id))} totalCount={pages[0]!.tokens.totalCount} />;
}

/** Asks for the next page as soon as there is one and none is on its way. */
function useAllPages(list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage(): Promise<unknown> }) {
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
}

function Done(shown: Shown) {
  return <output data-state="done">{JSON.stringify(shown)}</output>;
}

function Page({ view }: { view: View }) {
  switch (view.kind) {
    case 'nothing':
      return <output data-state="nothing" />;
    case 'clusters':
      return <Clusters name={view.name} />;
    case 'all-clusters':
      return <AllClusters pageSize={view.pageSize} />;
    case 'all-tokens':
      return <AllTokens pageSize={view.pageSize} queryKey={view.queryKey} />;
  }
}

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
const root = createRoot(document.getElementById('root')!);

export const harness = {
  /** Signs the page's requests with a key; they go to this page's own origin. */
  configure(token: string): void {
    configureClient({ endpoint: '/graphql', headers: () => ({ authorization: `Bearer ${token}` }) });
  },
  /** Renders `view` now, not at React's next turn: what the page shows next is this view's. */
  show(view: View): void {
    flushSync(() =>
      root.render(
        <QueryClientProvider client={queryClient}>
          <Page view={view} />
        </QueryClientProvider>,
      ),
    );
  },
  /** The keys of the queries TanStack Query holds. */
  queryKeys(): unknown[] {
    return queryClient
      .getQueryCache()
      .getAll()
      .map((query) => query.queryKey);
  },
};

Object.assign(window, { harness });
