import type { Principal } from '../auth/principal.js';
import type { ClusterService } from './clusters.js';
import type { SettingService } from './settings.js';
import type { TokenService } from './tokens.js';

/**
 * Kubeconfigs for a cluster, as Rancher's `generateKubeconfig` action hands them out:
 * the server is `<server-url>/k8s/clusters/<id>` and the user a NEW API key of the
 * caller scoped to that cluster, whose secret exists only in this document.
 * The caller's right to read the cluster is checked by the schema before this runs.
 */
export class KubeconfigService {
  constructor(
    private readonly clusters: ClusterService,
    private readonly tokens: TokenService,
    private readonly settings: SettingService,
  ) {}

  /** `requestBaseUrl` is used when the `server-url` setting is empty. */
  async generate(caller: Principal, clusterId: string, requestBaseUrl: string): Promise<{ config: string }> {
    const cluster = await this.clusters.get(clusterId, { select: { id: true, name: true } });
    const serverUrl = await this.settings.serverUrl(requestBaseUrl);
    const key = await this.tokens.issue(
      caller.userId,
      { name: `kubeconfig-${caller.username}.${cluster.id}`, description: `Kubeconfig for cluster ${cluster.name}`, clusterId: cluster.id },
      { isDerived: true },
      { select: { id: true } },
    );
    // The YAML writer is loaded with the first kubeconfig asked for, not at every start.
    const { kubeconfigYaml } = await import('./kubeconfig-yaml.js');
    return { config: kubeconfigYaml({ name: cluster.name, server: `${serverUrl}/k8s/clusters/${cluster.id}`, token: key.token }) };
  }
}
