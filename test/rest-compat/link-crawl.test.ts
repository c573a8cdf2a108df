import { beforeAll, describe, expect, it } from 'vitest';
import { nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from './helpers.js';

/**
 * Every link the server writes resolves: starting from the API root and from the
 * schemas of a cluster's and a project's context, every URL under `links` (and every
 * collection a `createTypes` offers) of every resource, collection and schema is read,
 * and each of them is read in turn, until nothing new turns up. A link of a resource
 * read in a context (`/v3/project/<id>/namespaces/<ns>`) is checked like any other.
 */
describe.each(databaseTargets)('every /v3 link resolves, in every context, on $name', (target) => {
  const suite = serverWithPlace(target);

  beforeAll(async () => {
    const { server, place } = suite;
    const project = `/v3/project/${place.projectId}`;
    const made = async (path: string, body: Record<string, unknown>) => {
      const { status, body: created } = await v3(server, 'POST', path, body);
      if (status !== 201) throw new Error(`setup of ${path} failed: ${JSON.stringify(created)}`);
      return created;
    };
    await made(`${project}/workloads`, { namespaceId: 'apps', name: 'web', containers: [{ ...nginx, ports: [{ containerPort: 80, name: 'http' }] }] });
    await made(`${project}/services`, { namespaceId: 'apps', name: 'web', targetWorkloadIds: ['deployment:apps:web'], ports: [{ port: 80 }] });
    await made(`${project}/ingresses`, {
      namespaceId: 'apps',
      name: 'www',
      rules: [{ host: 'www.example.com', paths: [{ path: '/', serviceId: 'apps:web', targetPort: 80 }] }],
    });
    await made(`${project}/namespacedbasicauths`, { namespaceId: 'apps', name: 'git', username: 'u', password: 'p' });
    await made(`${project}/basicauths`, { name: 'shared', username: 'u', password: 'p' });
    await made(`/v3/cluster/${place.clusterId}/namespaces`, { name: 'loose' });
    const credential = await made('/v3/cloudcredentials', { name: 'do', digitaloceancredentialConfig: { accessToken: 'crawl-token' } });
    const template = await made('/v3/nodetemplates', { name: 'do', digitaloceanConfig: { region: 'fra1' }, cloudCredentialId: credential.id });
    await made('/v3/nodepools', { clusterId: place.clusterId, hostnamePrefix: 'crawl-', nodeTemplateId: template.id, quantity: 1, worker: true });
    await made('/v3/users', { username: 'crawler', password: 'a password of the crawler' });
    await made('/v3/tokens', { name: 'crawl' });
  });

  it('reads every linked URL without a 404 (or any other failure)', async () => {
    const { server, place } = suite;
    const starts = ['/v3', `/v3/clusters/${place.clusterId}/schemas`, `/v3/projects/${place.projectId}/schemas`];
    const failures: string[] = [];
    const seen = new Set<string>();
    const queue = starts.map((path) => `${server.url}${path}`);
    let contextNamespaceRead = false;
    while (queue.length > 0 && seen.size < 5000) {
      const url = queue.shift()!;
      const path = new URL(url).pathname;
      if (seen.has(path)) continue;
      seen.add(path);
      const { status, body } = await v3(server, 'GET', path);
      if (status !== 200) {
        failures.push(`${status} ${path}`);
        continue;
      }
      if (/^\/v3\/projects\/[^/]+\/namespaces\/apps$/.test(path)) contextNamespaceRead = true;
      for (const linked of linksIn(body)) if (linked.startsWith(`${server.url}/v3`)) queue.push(linked);
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBeLessThan(5000);
    // The crawl reached resources in a context and followed their links.
    expect(contextNamespaceRead).toBe(true);
    expect(seen).toContain(`/v3/namespaces/${place.namespaceId}/workloads`);
  });

  it('links a namespace read in a project’s or a cluster’s context to collections that exist', async () => {
    const { server, place } = suite;
    for (const context of [`/v3/project/${place.projectId}`, `/v3/cluster/${place.clusterId}`]) {
      const { body: namespace } = await v3(server, 'GET', `${context}/namespaces/apps`);
      for (const name of ['workloads', 'services', 'ingresses', 'namespacedSecrets']) {
        const link = namespace.links[name] as string | undefined;
        if (link === undefined) continue;
        const followed = await v3(server, 'GET', new URL(link).pathname);
        expect(followed.status, `${context} ${name}: ${link}`).toBe(200);
        expect(followed.body.type, link).toBe('collection');
      }
      expect(namespace.links.workloads).toBe(`${server.url}/v3/namespaces/${place.namespaceId}/workloads`);
      const workloads = await v3(server, 'GET', new URL(namespace.links.workloads).pathname);
      expect(workloads.body.data.map((workload: { name: string }) => workload.name)).toEqual(['web']);
    }
  });
});

/** Every URL under a `links` object or a `createTypes` map, anywhere in an answer. */
function linksIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(linksIn);
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if ((key === 'links' || key === 'createTypes') && entry && typeof entry === 'object') {
      found.push(...Object.values(entry).filter((link): link is string => typeof link === 'string'));
    } else {
      found.push(...linksIn(entry));
    }
  }
  return found;
}
