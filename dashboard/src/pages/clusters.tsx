import { useClustersQuery, type ClusterSortField } from '@cattle-graph/client';
import { useState } from 'react';
import { CreateClusterForm } from '../parts/create-cluster-form.js';
import { useLiveList } from '../parts/use-live-list.js';
import { ViewInApi } from '../parts/view-in-api.js';

const pageSize = 10;

/** Clusters: a filtered, sorted, paged list kept live, each linking to its detail, and the create form. */
export function ClustersPage() {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<ClusterSortField>('NAME');
  // Cursors of the pages seen so far, to page back as well as forward.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors.at(-1) ?? null;
  const clusters = useClustersQuery({
    first: pageSize,
    after,
    sort: { field: sort },
    ...(filter ? { filter: { name: { like: `%${likeLiteral(filter)}%` } } } : {}),
  });
  const connection = clusters.data?.clusters;
  useLiveList(['Cluster', 'Project'], 'Clusters', clusters.data?.changeRevision);
  return (
    <>
      <CreateClusterForm />
      <section aria-labelledby="cluster-list">
        <h2 id="cluster-list">All clusters{connection ? ` (${connection.totalCount})` : ''}</h2>
        <div className="row">
          <label>
            Filter by name{' '}
            <input
              type="search"
              value={filter}
              onChange={(event) => {
                setFilter(event.target.value);
                setCursors([null]);
              }}
            />
          </label>
          <label>
            Sort by{' '}
            <select
              value={sort}
              onChange={(event) => {
                setSort(event.target.value as ClusterSortField);
                setCursors([null]);
              }}
            >
              <option value="NAME">Name</option>
              <option value="CREATED">Created</option>
              <option value="STATE">State</option>
            </select>
          </label>
        </div>
        {clusters.error && (
          <p role="alert" className="error">
            {clusters.error.message}
          </p>
        )}
        <table>
          <caption className="visually-hidden">Clusters</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Projects</th>
              <th scope="col">Created</th>
              <th scope="col">API</th>
            </tr>
          </thead>
          <tbody>
            {connection?.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <a href={`#clusters/${node.id}`}>{node.name}</a>
                </td>
                <td>{node.state}</td>
                <td>{node.projects.totalCount}</td>
                <td>{new Date(node.created).toLocaleString()}</td>
                <td>
                  <ViewInApi path={`clusters/${node.id}`} label={node.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous page
          </button>
          <button type="button" disabled={!connection?.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, connection?.pageInfo.endCursor ?? null])}>
            Next page
          </button>
        </div>
      </section>
    </>
  );
}

/** The text as a LIKE pattern matching itself: % and \ escaped (the server refuses _). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%]/g, (character) => `\\${character}`).replace(/_/g, '');
}
