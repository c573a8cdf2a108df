import { offeredKubernetesVersions } from '../services/kubernetes-versions.js';
import { builder } from './builder.js';
import { ClusterDriver } from './cluster-spec.js';

builder.queryField('kubernetesVersions', (t) =>
  t.stringList({
    description: 'The Kubernetes versions offered for new clusters of this driver, newest (the default) first; none for imported clusters.',
    args: { driver: t.arg({ type: ClusterDriver, required: true, description: 'The driver a new cluster would use.' }) },
    resolve: (_root, { driver }) => (driver === 'imported' ? [] : [...offeredKubernetesVersions[driver]]),
  }),
);
