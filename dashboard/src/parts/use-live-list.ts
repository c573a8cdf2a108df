import { watchResourceChanges } from '@cattle-graph/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * Keeps a list current: watches `resourceChanges` for these GraphQL types from the
 * revision read with the list (`since`), and on any change refetches the queries
 * under `queryKey` (the hook's operation name, e.g. 'Clusters'). When the feed says
 * the watch fell too far behind, everything is fetched again. The watch starts once
 * the list has loaded and stops with the page; focus refetches remain the fallback
 * (main.tsx) if the stream cannot be held open.
 */
export function useLiveList(types: string[], queryKey: string, since: string | undefined) {
  const queryClient = useQueryClient();
  const loaded = since !== undefined;
  const typeList = types.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the first revision (since) matters: the watch itself resumes from what it has seen.
  useEffect(() => {
    if (!loaded) return;
    const stop = new AbortController();
    void watchResourceChanges({
      types: typeList.split(','),
      since,
      signal: stop.signal,
      onChange: () => void queryClient.invalidateQueries({ queryKey: [queryKey] }),
      onRelist: () => void queryClient.invalidateQueries({ queryKey: [queryKey] }),
    });
    return () => stop.abort();
  }, [loaded, typeList, queryKey, queryClient]);
}
