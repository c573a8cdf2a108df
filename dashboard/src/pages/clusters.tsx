import { useClustersQuery, useCreateClusterMutation, type ClusterSortField } from '@cattle-graph/client';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FieldError } from '../parts/field-error.js';
import { ViewInApi } from '../parts/view-in-api.js';

const pageSize = 10;

/** Clusters: a filtered, sorted, paged list, and a create form whose errors sit next to the fields. */
export function ClustersPage() {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<ClusterSortField>('name');
  // Cursors of the pages seen so far, to page back as well as forward.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors.at(-1) ?? null;
  const clusters = useClustersQuery({ first: pageSize, after, sort: { field: sort }, ...(filter ? { filter: { name: { like: `%${likeLiteral(filter)}%` } } } : {}) });
  const connection = clusters.data?.clusters;
  return (
    <>
      <CreateClusterForm />
      <section aria-labelledby="cluster-list">
        <h2 id="cluster-list">All clusters{connection ? ` (${connection.totalCount})` : ''}</h2>
        <div className="row">
          <label>Filter by name <input type="search" value={filter} onChange={(event) => { setFilter(event.target.value); setCursors([null]); }} /></label>
          <label>
            Sort by{' '}
            <select value={sort} onChange={(event) => { setSort(event.target.value as ClusterSortField); setCursors([null]); }}>
              <option value="name">Name</option>
              <option value="created">Created</option>
              <option value="state">State</option>
            </select>
          </label>
        </div>
        {clusters.error && <p role="alert" className="error">{clusters.error.message}</p>}
        <table>
          <caption className="visually-hidden">Clusters</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Projects</th><th scope="col">Created</th><th scope="col">API</th></tr>
          </thead>
          <tbody>
            {connection?.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>{node.name}</td>
                <td>{node.state}</td>
                <td>{node.projects.totalCount}</td>
                <td>{new Date(node.created).toLocaleString()}</td>
                <td><ViewInApi path={`clusters/${node.id}`} label={node.name} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
          <button type="button" disabled={!connection?.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, connection?.pageInfo.endCursor ?? null])}>Next page</button>
        </div>
      </section>
    </>
  );
}

function CreateClusterForm() {
  const queryClient = useQueryClient();
  const create = useCreateClusterMutation({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['Clusters'] }) });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ input: { name: String(form.get('name')), description: String(form.get('description')) } }, { onSuccess: () => (event.target as HTMLFormElement).reset() });
  }
  return (
    <form onSubmit={submit} className="stack panel" aria-labelledby="create-cluster">
      <h2 id="create-cluster">Create a cluster</h2>
      <label>Name <input name="name" aria-describedby="name-error" /></label>
      <FieldError error={create.error} field="name" />
      <label>Description <input name="description" /></label>
      <FieldError error={create.error} field="description" />
      {create.error && !create.error.errors.some((error) => error.extensions?.fieldName) && <p role="alert" className="error">{create.error.message}</p>}
      {create.isSuccess && <p role="status">Created {create.data.createCluster.name}.</p>}
      <button type="submit" disabled={create.isPending}>Create</button>
    </form>
  );
}

/** The text as a LIKE pattern matching itself: % and \ escaped (the server refuses _). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%]/g, (character) => `\\${character}`).replace(/_/g, '');
}
