import { stringify } from 'yaml';

/** One cluster, one user, one context joining them, and that context current (what kubectl needs, no more). */
export function kubeconfigYaml(entry: { name: string; server: string; token: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: entry.name, cluster: { server: entry.server } }],
    users: [{ name: entry.name, user: { token: entry.token } }],
    contexts: [{ name: entry.name, context: { cluster: entry.name, user: entry.name } }],
    'current-context': entry.name,
  });
}
