import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { invalidInput } from '../errors.js';
import type { NamespacedSecret, Prisma } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import { definedFields, type MetadataInput } from './input.js';
import type { NamespaceService } from './namespaces.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

export interface SecretInput extends MetadataInput {
  description?: string | null;
  /** Key → value, stored sealed; given on update, it replaces the whole map. */
  data?: Record<string, string> | null;
}

export interface CreateSecretInput extends SecretInput {
  projectId: string;
  namespaceId: string;
  name: string;
  kind?: string | null;
}

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
export class NamespacedSecretService extends ResourceStore<
  NamespacedSecret,
  Prisma.NamespacedSecretWhereInput,
  Prisma.NamespacedSecretOrderByWithRelationInput
> {
  constructor(
    prisma: PrismaClient,
    private readonly secrets: SecretBox,
    private readonly namespaces: NamespaceService,
  ) {
    super(prisma, 'namespacedSecret', 'namespacedSecret');
  }

  async create(input: CreateSecretInput, creatorId: string | null, query: PrismaQuery = {}) {
    const namespace = await this.namespaces.inProject(input.namespaceId, input.projectId);
    const kind = input.kind ?? 'Opaque';
    const data = input.data ?? {};
    checkKeys(kind, data);
    const id = `${namespace.id}:${input.name}`;
    return createNamed('namespacedSecret', input.name, () =>
      this.prisma.namespacedSecret.create({
        ...query,
        data: {
          id,
          namespaceId: namespace.id,
          projectId: input.projectId,
          name: input.name,
          kind,
          creatorId,
          ...definedFields(describing(input)),
          sealedData: this.seal(id, data),
        },
      }),
    );
  }

  /** Changes a secret within `scope` (what the caller may change); new data replaces all its keys. */
  async update(id: string, input: SecretInput, query: PrismaQuery = {}, scope?: Prisma.NamespacedSecretWhereInput) {
    const data = { ...definedFields(describing(input)), ...(input.data ? { sealedData: this.seal(id, input.data) } : {}) };
    if (!input.data) return this.write(id, data, query, scope);
    // Its type decides which keys it must hold.
    const current = await this.get(id, { select: { kind: true } }, scope);
    checkKeys(current.kind, input.data);
    return this.write(id, data, query, scope);
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
