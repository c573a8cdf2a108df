import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { invalidInput, orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields } from './input.js';
import type { NamespaceService } from './namespaces.js';

export interface SecretInput {
  description?: string | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  /** Key → value, stored sealed; given on update, it replaces the whole map. */
  data?: Record<string, string> | null;
}

export interface CreateSecretInput extends SecretInput {
  projectId: string;
  namespaceId: string;
  name: string;
  kind?: string | null;
}

type SecretQuery = { include?: Prisma.NamespacedSecretInclude; select?: Prisma.NamespacedSecretSelect };

/** The keys each well-known secret type must hold (as Kubernetes validates them). */
const requiredKeys: Record<string, readonly string[]> = {
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/**
 * Secrets of a namespace (Rancher's `namespacedSecrets`). Each value is sealed with
 * the server's secret box, the secret's id and the key being the authenticated context,
 * so a sealed value moved to another row or key does not open. Values never leave
 * this service: the API returns only the key names.
 */
export class NamespacedSecretService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretBox,
    private readonly namespaces: NamespaceService,
  ) {}

  async get(id: string, query: SecretQuery = {}) {
    return orNotFound(this.prisma.namespacedSecret.findUnique({ ...query, where: { id } }), 'namespacedSecret', id);
  }

  list(query: SecretQuery, where: Prisma.NamespacedSecretWhereInput, orderBy: Prisma.NamespacedSecretOrderByWithRelationInput[], take: number) {
    return this.prisma.namespacedSecret.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.NamespacedSecretWhereInput) {
    return this.prisma.namespacedSecret.count({ where });
  }

  async create(input: CreateSecretInput, creatorId: string | null, query: SecretQuery = {}) {
    const namespace = await this.namespaces.inProject(input.namespaceId, input.projectId);
    const kind = input.kind ?? 'Opaque';
    const data = input.data ?? {};
    checkKeys(kind, data);
    const id = `${namespace.id}:${input.name}`;
    return createNamed('namespacedSecret', input.name, () =>
      this.prisma.namespacedSecret.create({
        ...query,
        data: { id, namespaceId: namespace.id, projectId: input.projectId, name: input.name, kind, creatorId, ...definedFields(describing(input)), sealedData: this.seal(id, data) },
      }),
    );
  }

  async update(id: string, input: SecretInput, query: SecretQuery = {}) {
    const current = await this.get(id, { select: { kind: true } });
    if (input.data) checkKeys(current.kind, input.data);
    return this.prisma.namespacedSecret.update({
      ...query,
      where: { id },
      data: { ...definedFields(describing(input)), ...(input.data ? { sealedData: this.seal(id, input.data) } : {}) },
    });
  }

  async delete(id: string, query: SecretQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.namespacedSecret.delete({ ...query, where: { id } });
  }

  private seal(id: string, data: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, this.secrets.encrypt(value, `namespacedSecret:${id}:${key}`)]));
  }
}

/** The names of the keys a stored secret holds: all the API ever tells about its data. */
export function secretKeys(sealedData: unknown): string[] {
  return Object.keys(sealedData as Record<string, string>).sort();
}

function describing(input: SecretInput): SecretInput {
  return { description: input.description, labels: input.labels, annotations: input.annotations };
}

function checkKeys(kind: string, data: Record<string, string>): void {
  const missing = (requiredKeys[kind] ?? []).filter((key) => !(key in data));
  if (missing.length > 0) throw invalidInput('data', `a ${kind} secret needs the keys ${missing.join(', ')}`, 'MissingRequired');
  if (kind === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    throw invalidInput('data', 'a kubernetes.io/basic-auth secret needs username or password', 'MissingRequired');
  }
}
