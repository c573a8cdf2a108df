import { beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate } from '../helpers/test-keys.js';
import { nginx, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { subscribe } from '../helpers/v3-subscribe.js';
import { v3 } from './helpers.js';

/**
 * Issue 13, item 3: services and ingresses as a Rancher client uses them over /v3, in a
 * project's context (Rancher's ids there): a workload, a service targeting it by
 * targetWorkloadIds, an ingress routing to both with TLS from a namespaced certificate;
 * list, filter, update, delete; and the bodies Kubernetes would refuse, each a 422
 * naming the field.
 */
describe.each(databaseTargets)('services and ingresses over /v3 on $name (13.3)', (target) => {
  const suite = serverWithPlace(target);
  const project = () => `/v3/project/${suite.place.projectId}`;
  const post = (collection: string, body: Record<string, unknown>) => v3(suite.server, 'POST', `${project()}/${collection}`, body);
  const leaf = makeCertificate('www.example.com', ['DNS:www.example.com']);
  let projectCertificateId = '';

  beforeAll(async () => {
    const must = async (collection: string, body: Record<string, unknown>) => {
      const { status, body: created } = await post(collection, body);
      if (status !== 201) throw new Error(`setup of ${collection} failed: ${JSON.stringify(created)}`);
      return created;
    };
    await must('workloads', { namespaceId: 'apps', name: 'web', containers: [{ ...nginx, ports: [{ containerPort: 8080, name: 'http' }] }] });
    await must('namespacedcertificates', { namespaceId: 'apps', name: 'www', certs: leaf.certs, key: leaf.key });
    projectCertificateId = (await must('certificates', { name: 'wild', certs: leaf.certs, key: leaf.key })).id;
    // A second namespace of the project, with a workload and a certificate of its own.
    await suite.server.graphql(`mutation($projectId: ID!) { createNamespace(input: { projectId: $projectId, name: "other" }) { id } }`, {
      projectId: suite.place.projectId,
    });
    await must('workloads', { namespaceId: 'other', name: 'elsewhere', containers: [nginx] });
    await must('namespacedcertificates', { namespaceId: 'other', name: 'theirs', certs: leaf.certs, key: leaf.key });
  });

  it('creates a service targeting a workload by targetWorkloadIds, in Rancher’s ids and strings', async () => {
    const created = await post('services', {
      namespaceId: 'apps',
      name: 'web',
      targetWorkloadIds: ['deployment:apps:web'],
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'service',
      id: 'apps:web',
      namespaceId: 'apps',
      kind: 'ClusterIP',
      targetWorkloadIds: ['deployment:apps:web'],
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: null }],
      selector: {},
      clusterIp: null,
    });
    expect(created.body.links.self).toBe(`${suite.server.url}/v3/projects/${suite.place.projectId}/services/apps:web`);

    const nodePort = await post('services', {
      namespaceId: 'apps',
      name: 'edge',
      kind: 'NodePort',
      ports: [{ port: 443, nodePort: 30443, protocol: 'TCP' }],
      selector: { app: 'web' },
    });
    expect(nodePort.body).toMatchObject({ kind: 'NodePort', ports: [{ port: 443, targetPort: 443, nodePort: 30443 }], selector: { app: 'web' } });
    const external = await post('services', { namespaceId: 'apps', name: 'db', kind: 'ExternalName', hostname: 'db.example.com' });
    expect(external.body).toMatchObject({ kind: 'ExternalName', hostname: 'db.example.com', ports: [] });
    const headless = await post('services', { namespaceId: 'apps', name: 'peers', clusterIp: 'None', selector: { app: 'web' } });
    expect(headless.body).toMatchObject({ kind: 'ClusterIP', clusterIp: 'None' });

    // GraphQL speaks server-wide ids; /v3 Rancher's, in the project's context.
    const { data } = await suite.server.graphql(`query($id: ID!) { service(id: $id) { id rancherId kind targetWorkloadIds } }`, {
      id: `${suite.place.namespaceId}:web`,
    });
    expect(data!.service).toEqual({
      id: `${suite.place.namespaceId}:web`,
      rancherId: 'apps:web',
      kind: 'CLUSTER_IP',
      targetWorkloadIds: [`${suite.place.clusterId}:deployment:apps:web`],
    });
  });

  it('creates an ingress routing to the service and to workloads, with TLS from a namespaced certificate', async () => {
    const created = await post('ingresses', {
      namespaceId: 'apps',
      name: 'www',
      rules: [
        {
          host: 'www.example.com',
          paths: [
            { path: '/', pathType: 'Prefix', serviceId: 'apps:web', targetPort: 80 },
            { path: '/api', workloadIds: ['deployment:apps:web'], targetPort: 8080 },
          ],
        },
        { host: '*.example.com', paths: [{ path: '/', serviceId: `${suite.place.namespaceId}:web`, targetPort: 'http' }] },
      ],
      tls: [{ certificateId: 'apps:www', hosts: ['www.example.com'] }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'ingress',
      id: 'apps:www',
      rules: [
        {
          host: 'www.example.com',
          paths: [
            { path: '/', pathType: 'Prefix', serviceId: 'apps:web', workloadIds: [], targetPort: 80 },
            { path: '/api', pathType: 'ImplementationSpecific', serviceId: null, workloadIds: ['deployment:apps:web'], targetPort: 8080 },
          ],
        },
        { host: '*.example.com', paths: [{ serviceId: 'apps:web', targetPort: 'http' }] },
      ],
      tls: [{ certificateId: 'apps:www', hosts: ['www.example.com'] }],
      defaultBackend: null,
    });
    const { data } = await suite.server.graphql(`query($id: ID!) { ingress(id: $id) { tls { certificateId } rules { paths { serviceId pathType } } } }`, {
      id: `${suite.place.namespaceId}:www`,
    });
    expect(data!.ingress.tls[0].certificateId).toBe(`${suite.place.namespaceId}:www`);
    expect(data!.ingress.rules[0].paths[0]).toEqual({ serviceId: `${suite.place.namespaceId}:web`, pathType: 'PREFIX' });
  });

  it('lists and filters them in the project, and the namespace and project link to them', async () => {
    const byKind = await v3(suite.server, 'GET', `${project()}/services?kind=NodePort`);
    expect(byKind.body.data.map((service: { id: string }) => service.id)).toEqual(['apps:edge']);
    const byName = await v3(suite.server, 'GET', `${project()}/services?name=web&namespaceId=apps`);
    expect(byName.body.data.map((service: { id: string }) => service.id)).toEqual(['apps:web']);
    const ingresses = await v3(suite.server, 'GET', `${project()}/ingresses`);
    expect(ingresses.body.data.map((ingress: { id: string }) => ingress.id)).toEqual(['apps:www']);
    const { body: projectBody } = await v3(suite.server, 'GET', `/v3/projects/${suite.place.projectId}`);
    expect(projectBody.links).toMatchObject({ services: expect.any(String), ingresses: expect.any(String) });
  });

  it('updates them: ports, a selector instead of workloads, TLS from the project’s certificate, a default backend', async () => {
    const service = await v3(suite.server, 'PUT', `${project()}/services/apps:web`, {
      kind: 'LoadBalancer',
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'https', port: 443, targetPort: 8443, nodePort: 31443 },
      ],
    });
    expect(service.status).toBe(200);
    expect(service.body).toMatchObject({
      kind: 'LoadBalancer',
      targetWorkloadIds: ['deployment:apps:web'],
      ports: [{ name: 'http' }, { name: 'https', nodePort: 31443 }],
    });
    const selected = await v3(suite.server, 'PUT', `${project()}/services/apps:web`, { selector: { app: 'web' } });
    expect(selected.body).toMatchObject({ selector: { app: 'web' }, targetWorkloadIds: [] });

    const ingress = await v3(suite.server, 'PUT', `${project()}/ingresses/apps:www`, {
      tls: [{ certificateId: projectCertificateId, hosts: ['*.example.com'] }],
      defaultBackend: { serviceId: 'apps:web', targetPort: 443 },
    });
    expect(ingress.status).toBe(200);
    const projectLocal = projectCertificateId.slice(projectCertificateId.indexOf(':') + 1);
    expect(ingress.body).toMatchObject({
      tls: [{ certificateId: projectLocal, hosts: ['*.example.com'] }],
      defaultBackend: { serviceId: 'apps:web', targetPort: 443 },
      rules: [{ host: 'www.example.com' }, { host: '*.example.com' }],
    });
  });

  it('takes back what it shows: a whole object PUT as read is unchanged', async () => {
    for (const path of ['services/apps:web', 'ingresses/apps:www']) {
      const { body: shown } = await v3(suite.server, 'GET', `${project()}/${path}`);
      const put = await v3(suite.server, 'PUT', `${project()}/${path}?_replace=true`, shown);
      expect(put.status, `${path}: ${JSON.stringify(put.body)}`).toBe(200);
      const { links: _links, actions: _actions, ...rest } = shown;
      expect(put.body, path).toMatchObject(rest);
    }
  });

  it('refuses what Kubernetes would, naming the field', async () => {
    const service = (body: Record<string, unknown>) => post('services', { namespaceId: 'apps', name: 'bad', ...body });
    const port = { name: 'p', port: 80 };
    const cases: Array<[string, Promise<{ body: Record<string, unknown> }>, Record<string, unknown>]> = [
      ['port out of range', service({ ports: [{ port: 70_000 }] }), { fieldName: 'ports' }],
      ['node port out of range', service({ kind: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), { fieldName: 'ports' }],
      ['node port on a ClusterIP', service({ ports: [{ port: 80, nodePort: 30080 }] }), { fieldName: 'ports' }],
      ['two unnamed ports', service({ ports: [{ port: 80 }, { port: 81 }] }), { fieldName: 'ports', code: 'MissingRequired' }],
      ['no ports', service({ selector: { app: 'web' } }), { fieldName: 'ports', code: 'MissingRequired' }],
      ['ExternalName without hostname', service({ kind: 'ExternalName' }), { fieldName: 'hostname', code: 'MissingRequired' }],
      ['illegal hostname', service({ kind: 'ExternalName', hostname: 'Not_A_Host' }), { fieldName: 'hostname' }],
      ['hostname on a ClusterIP', service({ ports: [port], hostname: 'db.example.com' }), { fieldName: 'hostname' }],
      ['bad clusterIp', service({ ports: [port], clusterIp: '10.0.0.300' }), { fieldName: 'clusterIp' }],
      [
        'workload of another namespace',
        service({ ports: [port], targetWorkloadIds: ['deployment:other:elsewhere'] }),
        { fieldName: 'targetWorkloadIds', code: 'InvalidReference' },
      ],
      [
        'missing workload',
        service({ ports: [port], targetWorkloadIds: ['deployment:apps:nothing'] }),
        { fieldName: 'targetWorkloadIds', code: 'InvalidReference' },
      ],
      [
        'selector and workloads',
        service({ ports: [port], selector: { a: 'b' }, targetWorkloadIds: ['deployment:apps:web'] }),
        { fieldName: 'targetWorkloadIds' },
      ],
      ['bad service name', service({ name: 'Bad_Name', ports: [port] }), { fieldName: 'name' }],
    ];
    const ingress = (body: Record<string, unknown>) => post('ingresses', { namespaceId: 'apps', name: 'bad', ...body });
    const rule = (path: Record<string, unknown>, host = 'www.example.com') => ({
      rules: [{ host, paths: [{ path: '/', serviceId: 'apps:web', targetPort: 80, ...path }] }],
    });
    cases.push(
      ['illegal host', ingress(rule({}, 'bad_host.example.com')), { fieldName: 'rules' }],
      ['IP address host', ingress(rule({}, '10.0.0.1')), { fieldName: 'rules' }],
      ['path without /', ingress(rule({ path: 'api' })), { fieldName: 'rules' }],
      ['missing service', ingress(rule({ serviceId: 'apps:nothing' })), { fieldName: 'rules', code: 'InvalidReference' }],
      ['service of another namespace', ingress(rule({ serviceId: 'other:web' })), { fieldName: 'rules', code: 'InvalidReference' }],
      ['port the service lacks', ingress(rule({ targetPort: 9999 })), { fieldName: 'rules', code: 'InvalidReference' }],
      ['no backend', ingress(rule({ serviceId: null })), { fieldName: 'rules', code: 'MissingRequired' }],
      [
        'workload of another namespace',
        ingress(rule({ serviceId: null, workloadIds: ['deployment:other:elsewhere'] })),
        { fieldName: 'rules', code: 'InvalidReference' },
      ],
      ['no rules or default backend', ingress({}), { fieldName: 'rules', code: 'MissingRequired' }],
      [
        'certificate of another namespace',
        ingress({ ...rule({}), tls: [{ certificateId: 'other:theirs', hosts: ['www.example.com'] }] }),
        { fieldName: 'tls', code: 'InvalidReference' },
      ],
      ['illegal TLS host', ingress({ ...rule({}), tls: [{ certificateId: 'apps:www', hosts: ['-bad.example.com'] }] }), { fieldName: 'tls' }],
    );
    for (const [name, answer, expected] of cases) {
      expect((await answer).body, name).toMatchObject({ type: 'error', status: 422, ...expected });
    }
    const update = await v3(suite.server, 'PUT', `${project()}/services/apps:edge`, { kind: 'ClusterIP' });
    expect(update.body, 'a node port left on a ClusterIP').toMatchObject({ status: 422, fieldName: 'ports' });
  });

  it('describes them in /v3/schemas with Rancher’s types and strings', async () => {
    const { body: service } = await v3(suite.server, 'GET', '/v3/schemas/service');
    expect(service.resourceFields.kind.type).toBe('enum');
    expect([...service.resourceFields.kind.options].sort()).toEqual(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
    expect(service.resourceFields.targetWorkloadIds).toMatchObject({ type: 'array[reference[workload]]', create: true, update: true });
    expect(service.resourceFields.ports.type).toBe('array[servicePort]');
    const { body: port } = await v3(suite.server, 'GET', '/v3/schemas/servicePort');
    expect([...port.resourceFields.protocol.options].sort()).toEqual(['SCTP', 'TCP', 'UDP']);
    expect(port.resourceFields.targetPort.type).toBe('intOrString');
    const { body: path } = await v3(suite.server, 'GET', '/v3/schemas/httpIngressPath');
    expect(path.resourceFields).toMatchObject({ serviceId: { type: 'reference[service]' }, workloadIds: { type: 'array[reference[workload]]' } });
    expect([...path.resourceFields.pathType.options].sort()).toEqual(['Exact', 'ImplementationSpecific', 'Prefix']);
    const { body: tls } = await v3(suite.server, 'GET', '/v3/schemas/ingressTLS');
    expect(tls.resourceFields.certificateId.type).toBe('reference[certificate]');
  });

  it('announces a new service on /v3/subscribe as GET shows it', async () => {
    const socket = await subscribe(suite.server, '?resourceTypes=service');
    try {
      await post('services', { namespaceId: 'apps', name: 'live', ports: [{ port: 80 }], selector: { app: 'web' } });
      let message = await socket.next();
      while (message.name === 'ping') message = await socket.next();
      expect(message).toMatchObject({
        name: 'resource.create',
        data: { type: 'service', name: 'live', kind: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }] },
      });
    } finally {
      socket.close();
    }
  });

  it('keeps references by name: a deleted workload leaves them dangling; deletes go through', async () => {
    const made = await post('workloads', { namespaceId: 'apps', name: 'short-lived', containers: [nginx] });
    expect(made.status).toBe(201);
    const target = await post('services', { namespaceId: 'apps', name: 'short', ports: [{ port: 80 }], targetWorkloadIds: ['deployment:apps:short-lived'] });
    expect(target.status).toBe(201);
    expect((await v3(suite.server, 'DELETE', `${project()}/workloads/deployment:apps:short-lived`)).status).toBe(200);
    const kept = await v3(suite.server, 'GET', `${project()}/services/apps:short`);
    expect(kept.body.targetWorkloadIds).toEqual(['deployment:apps:short-lived']);
    // Changing something else keeps the dangling reference; naming it again is refused.
    expect((await v3(suite.server, 'PUT', `${project()}/services/apps:short`, { description: 'kept' })).body.targetWorkloadIds).toEqual([
      'deployment:apps:short-lived',
    ]);
    expect((await v3(suite.server, 'PUT', `${project()}/services/apps:short`, { targetWorkloadIds: ['deployment:apps:short-lived'] })).body).toMatchObject({
      status: 422,
      code: 'InvalidReference',
    });

    for (const path of ['services/apps:short', 'ingresses/apps:www']) {
      expect((await v3(suite.server, 'DELETE', `${project()}/${path}`)).status, path).toBe(200);
      expect((await v3(suite.server, 'GET', `${project()}/${path}`)).status, path).toBe(404);
    }
  });
});
