import { useClusterDetailQuery } from '@cattle-graph/client';
import { useLiveList } from '../parts/use-live-list.js';
import { ViewInApi } from '../parts/view-in-api.js';

/** One cluster: its fields and spec, machine pools, projects and namespaces, each with View in API. */
export function ClusterDetailPage({ id }: { id: string }) {
  const detail = useClusterDetailQuery({ id });
  useLiveList(['Cluster', 'Project', 'Namespace'], 'ClusterDetail', detail.data?.changeRevision);
  const cluster = detail.data?.cluster;
  if (detail.error)
    return (
      <p role="alert" className="error">
        {detail.error.message}
      </p>
    );
  // A cluster that is gone, or that this user may not see, answers null.
  if (detail.data && !cluster)
    return (
      <p role="alert" className="error">
        No such cluster.
      </p>
    );
  if (!cluster) return <p>Loading…</p>;
  return (
    <>
      <p>
        <a href="#clusters">← All clusters</a>
      </p>
      <section aria-labelledby="cluster-fields">
        <h2 id="cluster-fields">{cluster.name}</h2>
        <dl className="pairs">
          <dt>Id</dt>
          <dd>
            <code>{cluster.id}</code>
          </dd>
          <dt>Description</dt>
          <dd>{cluster.description || '—'}</dd>
          <dt>State</dt>
          <dd>
            {cluster.state}
            {cluster.transitioningMessage ? ` (${cluster.transitioningMessage})` : ''}
          </dd>
          <dt>Driver</dt>
          <dd>{cluster.driver}</dd>
          <dt>Kubernetes version</dt>
          <dd>{cluster.kubernetesVersion || '—'}</dd>
          <dt>Created</dt>
          <dd>{new Date(cluster.created).toLocaleString()}</dd>
        </dl>
        <ViewInApi path={`clusters/${cluster.id}`} label={cluster.name} />
      </section>
      {cluster.machinePools.length > 0 && (
        <section aria-labelledby="cluster-pools">
          <h2 id="cluster-pools">Machine pools</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Pool</th>
                <th scope="col">Quantity</th>
                <th scope="col">Roles</th>
                <th scope="col">Cloud credential</th>
                <th scope="col">Machine config</th>
              </tr>
            </thead>
            <tbody>
              {cluster.machinePools.map((pool) => (
                <tr key={pool.name}>
                  <td>{pool.name}</td>
                  <td>{pool.quantity}</td>
                  <td>{[pool.etcdRole && 'etcd', pool.controlPlaneRole && 'control plane', pool.workerRole && 'worker'].filter(Boolean).join(', ')}</td>
                  <td>{pool.cloudCredentialId ?? '—'}</td>
                  <td>
                    {pool.machineConfigRef.kind}/{pool.machineConfigRef.name}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-labelledby="cluster-projects">
        <h2 id="cluster-projects">Projects ({cluster.projects.totalCount})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Created</th>
              <th scope="col">API</th>
            </tr>
          </thead>
          <tbody>
            {cluster.projects.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>{node.name}</td>
                <td>{node.description}</td>
                <td>{new Date(node.created).toLocaleString()}</td>
                <td>
                  <ViewInApi path={`projects/${node.id}`} label={`project ${node.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="cluster-namespaces">
        <h2 id="cluster-namespaces">Namespaces ({cluster.namespaces.totalCount})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Project</th>
              <th scope="col">Created</th>
              <th scope="col">API</th>
            </tr>
          </thead>
          <tbody>
            {cluster.namespaces.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>{node.name}</td>
                <td>{cluster.projects.edges.find((project) => project.node.id === node.projectId)?.node.name ?? node.projectId ?? '—'}</td>
                <td>{new Date(node.created).toLocaleString()}</td>
                <td>
                  <ViewInApi path={`namespaces/${node.id}`} label={`namespace ${node.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
