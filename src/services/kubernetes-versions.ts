import type { ClusterDriverName } from './cluster-spec.js';

/**
 * The Kubernetes versions offered for new RKE2 and K3s clusters, newest first (the first
 * is the default). Rancher reads these from its metadata (KDM); this server declares
 * them here. A client may still send any version of the driver's form
 * (`checkClusterSpec` checks the form); the list is what a console offers.
 */
export const offeredKubernetesVersions: Record<Exclude<ClusterDriverName, 'imported'>, readonly string[]> = {
  rke2: ['v1.33.5+rke2r1', 'v1.32.9+rke2r1', 'v1.31.13+rke2r1'],
  k3s: ['v1.33.5+k3s1', 'v1.32.9+k3s1', 'v1.31.13+k3s1'],
};
