import { describe, expect, it } from 'vitest';
import { createPlace, serverWithPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { makeCertificate, makeSshKey } from '../helpers/test-keys.js';
import { v3 } from './helpers.js';

/**
 * Issue 13, item 4: the rest of Rancher's project secret family on /v3 — certificates,
 * dockerCredentials, basicAuths, sshAuths and serviceAccountTokens, each project-wide and
 * namespaced, with write-only secrets that never come back and are sealed at rest.
 */
describe.each(databaseTargets)('/v3 project secrets on $name', (target) => {
  const suite = serverWithPlace(target);
  const leaf = makeCertificate('www.example.com', ['DNS:www.example.com', 'DNS:example.com', 'IP:10.0.0.1']);
  const other = makeCertificate('other.example.com', ['DNS:other.example.com']);
  const collection = (name: string) => `/v3/project/${suite.place.projectId}/${name}`;
  const rowOf = (id: string) => suite.server.app.database.prisma.projectSecret.findUniqueOrThrow({ where: { id } });

  it('describes every type, each secret field write-only, the service account token read-only', async () => {
    const expectations: Record<string, Record<string, object>> = {
      certificate: { key: { type: 'password', writeOnly: true }, certs: { type: 'string', required: true }, cn: { type: 'string' } },
      dockerCredential: { registries: { type: 'json', required: true } },
      basicAuth: { password: { type: 'password', writeOnly: true }, username: { type: 'string' } },
      sshAuth: { privateKey: { type: 'password', writeOnly: true }, certFingerprint: { type: 'string' } },
      serviceAccountToken: { accountName: { type: 'string' }, caCrt: { type: 'string' } },
    };
    for (const [type, fields] of Object.entries(expectations)) {
      for (const schemaId of [type, `namespaced${type[0]!.toUpperCase()}${type.slice(1)}`]) {
        const { status, body } = await v3(suite.server, 'GET', `/v3/schemas/${schemaId}`);
        expect(status, schemaId).toBe(200);
        expect(body.resourceFields, schemaId).toMatchObject(fields);
        expect(Boolean(body.resourceFields.namespaceId), schemaId).toBe(schemaId.startsWith('namespaced'));
        expect(body.collectionMethods, schemaId).toEqual(type === 'serviceAccountToken' ? ['GET'] : ['GET', 'POST']);
      }
    }
  });

  it('parses a certificate chain as openssl reads it, and never returns the key', async () => {
    const created = await v3(suite.server, 'POST', collection('certificates'), { name: 'www', certs: leaf.certs, key: leaf.key });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: `${suite.place.projectId}:www`,
      type: 'certificate',
      projectId: suite.place.projectId,
      cn: 'www.example.com',
      issuer: 'www.example.com',
      subjectAlternativeNames: ['www.example.com', 'example.com', '10.0.0.1'],
      algorithm: 'rsa',
      keySize: '2048',
      version: '3',
      serialNumber: leaf.serialNumber,
      certFingerprint: leaf.fingerprint,
    });
    expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.issuedAt)).toBe(30 * 86_400_000);
    const read = await fetch(`${suite.server.url}${collection('certificates')}`, { headers: { authorization: `Bearer ${suite.server.token}` } });
    const raw = JSON.stringify(created.body) + (await read.text());
    expect(raw).not.toContain('PRIVATE KEY');
    const row = await rowOf(`${suite.place.projectId}:www`);
    expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');
    expect((row.sealedFields as Record<string, string>).key).toMatch(/^v1\./);
  });

  it('refuses bad PEM and a key of another certificate with 422 on the field at fault', async () => {
    const bad = await v3(suite.server, 'POST', collection('certificates'), { name: 'bad', certs: 'not a certificate', key: leaf.key });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ type: 'error', code: 'InvalidFormat', fieldName: 'certs' });
    const garbled = leaf.certs.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
    expect((await v3(suite.server, 'POST', collection('certificates'), { name: 'bad', certs: garbled, key: leaf.key })).body).toMatchObject({
      code: 'InvalidFormat',
      fieldName: 'certs',
    });
    const mismatched = await v3(suite.server, 'POST', collection('certificates'), { name: 'bad', certs: leaf.certs, key: other.key });
    expect(mismatched.status).toBe(422);
    expect(mismatched.body).toMatchObject({ code: 'InvalidFormat', fieldName: 'key' });
    // A new chain is checked against the stored key.
    await v3(suite.server, 'POST', collection('certificates'), { name: 'rotating', certs: leaf.certs, key: leaf.key });
    const swapped = await v3(suite.server, 'PUT', `/v3/certificates/${suite.place.projectId}:rotating`, { certs: other.certs });
    expect(swapped.status).toBe(422);
    expect(swapped.body).toMatchObject({ fieldName: 'key' });
    const rotated = await v3(suite.server, 'PUT', `/v3/certificates/${suite.place.projectId}:rotating`, { certs: other.certs, key: other.key });
    expect(rotated.body).toMatchObject({ cn: 'other.example.com', certFingerprint: other.fingerprint });
  });

  it('keeps namespaced certificates in their namespace, apart from the project-wide ones', async () => {
    const created = await v3(suite.server, 'POST', collection('namespacedcertificates'), {
      name: 'www',
      namespaceId: suite.place.namespaceId,
      certs: leaf.certs,
      key: leaf.key,
    });
    expect(created.status).toBe(201);
    // Inside the project's context /v3 speaks Rancher's ids: the namespace's name, not the cluster-prefixed id.
    expect(created.body).toMatchObject({ id: 'apps:www', type: 'namespacedCertificate', namespaceId: 'apps' });
    const namespacedList = await v3(suite.server, 'GET', collection('namespacedCertificates'));
    expect(namespacedList.body.data.map((item: { id: string }) => item.id)).toEqual(['apps:www']);
    const projectWide = await v3(suite.server, 'GET', collection('certificates'));
    expect(projectWide.body.data.map((item: { id: string }) => item.id)).not.toContain(`${suite.place.clusterId}:apps:www`);
    // One kind's id is not another's.
    expect((await v3(suite.server, 'GET', `/v3/basicAuths/${suite.place.clusterId}:apps:www`)).status).toBe(404);
    const missingNamespace = await v3(suite.server, 'POST', collection('namespacedcertificates'), { name: 'x', certs: leaf.certs, key: leaf.key });
    expect(missingNamespace.body).toMatchObject({ status: 422, code: 'MissingRequired', fieldName: 'namespaceId' });
  });

  it('stores registry credentials per host, passwords write-only and kept across updates', async () => {
    const created = await v3(suite.server, 'POST', collection('dockercredentials'), {
      name: 'registries',
      registries: {
        'index.docker.io': { username: 'me', password: 'docker-hub-secret' },
        'registry.example.com:5000': { username: 'ci', password: 'ci-secret', email: 'ci@example.com' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.registries).toEqual({
      'index.docker.io': { username: 'me', email: '', description: '' },
      'registry.example.com:5000': { username: 'ci', email: 'ci@example.com', description: '' },
    });
    const id = created.body.id as string;
    const updated = await v3(suite.server, 'PUT', `/v3/dockerCredentials/${id}`, { registries: { 'index.docker.io': { username: 'me2' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.registries).toEqual({ 'index.docker.io': { username: 'me2', email: '', description: '' } });
    expect(Object.keys((await rowOf(id)).sealedFields as object)).toEqual(['index.docker.io/password']);
    const noPassword = await v3(suite.server, 'PUT', `/v3/dockerCredentials/${id}`, { registries: { 'quay.io': { username: 'me' } } });
    expect(noPassword.body).toMatchObject({ status: 422, code: 'MissingRequired', fieldName: 'registries.quay.io.password' });
    const badHost = await v3(suite.server, 'POST', collection('dockercredentials'), {
      name: 'bad',
      registries: { 'not a host': { username: 'x', password: 'y' } },
    });
    expect(badHost.status).toBe(422);
    expect(JSON.stringify(created.body) + JSON.stringify(updated.body)).not.toMatch(/docker-hub-secret|ci-secret/);
  });

  it('shows basic auth user names and SSH key fingerprints, never their secrets', async () => {
    const basic = await v3(suite.server, 'POST', collection('namespacedbasicauths'), {
      name: 'git',
      namespaceId: suite.place.namespaceId,
      username: 'deploy',
      password: 'basic-secret',
    });
    expect(basic.status).toBe(201);
    expect(basic.body).toMatchObject({ type: 'namespacedBasicAuth', username: 'deploy' });
    expect(JSON.stringify(basic.body)).not.toContain('basic-secret');

    const ssh = makeSshKey();
    const created = await v3(suite.server, 'POST', collection('sshauths'), { name: 'git-ssh', privateKey: ssh.privateKey });
    expect(created.status).toBe(201);
    expect(created.body.certFingerprint).toBe(ssh.fingerprint);
    expect(JSON.stringify(created.body)).not.toContain('PRIVATE KEY');
    const bad = await v3(suite.server, 'POST', collection('sshauths'), { name: 'bad-ssh', privateKey: 'ssh-rsa AAAA' });
    expect(bad.body).toMatchObject({ status: 422, code: 'InvalidFormat', fieldName: 'privateKey' });
  });

  it('lists service account tokens without their token and refuses to create them', async () => {
    const place = await createPlace(suite.server, 'tokens');
    await suite.server.app.database.prisma.projectSecret.create({
      data: {
        id: `${place.namespaceId}:default-token`,
        kind: 'serviceAccountToken',
        name: 'default-token',
        namespaceId: place.namespaceId,
        projectId: place.projectId,
        publicFields: { accountName: 'default', accountUid: 'uid-1', caCrt: leaf.certs },
        sealedFields: { token: 'sealed-elsewhere' },
      },
    });
    const listed = await v3(suite.server, 'GET', `/v3/project/${place.projectId}/namespacedserviceaccounttokens`);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: `${rancherId(place.namespaceId)}:default-token`, accountName: 'default', accountUid: 'uid-1' }),
    ]);
    expect(listed.body.data[0].token).toBeUndefined();
    const created = await v3(suite.server, 'POST', `/v3/project/${place.projectId}/namespacedserviceaccounttokens`, {
      name: 'x',
      namespaceId: place.namespaceId,
    });
    expect(created.status).toBe(405);
  });

  it('deletes project-wide secrets with their project', async () => {
    const place = await createPlace(suite.server, 'doomed');
    const created = await v3(suite.server, 'POST', `/v3/project/${place.projectId}/basicauths`, { name: 'b', username: 'u', password: 'p' });
    expect(created.status).toBe(201);
    expect((await v3(suite.server, 'DELETE', `/v3/projects/${place.projectId}`)).status).toBe(200);
    expect(await suite.server.app.database.prisma.projectSecret.count({ where: { id: created.body.id } })).toBe(0);
  });

  it('answers bad PEM through GraphQL as INVALID_INPUT', async () => {
    const result = await suite.server.graphql(`mutation($input: CreateCertificateInput!) { createCertificate(input: $input) { id } }`, {
      input: { projectId: suite.place.projectId, name: 'gql-bad', certs: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', key: leaf.key },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'certs', reason: 'InvalidFormat' });
  });
});

/** A cluster-local id as /v3 writes it in a cluster's or project's context: without the `<clusterId>:` prefix. */
function rancherId(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}
