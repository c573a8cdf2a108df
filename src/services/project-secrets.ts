import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import type { Prisma, ProjectSecret } from '../generated/prisma/client.js';
import { createNamed } from '../ids.js';
import type { SecretKindDeclaration, StoredSecret } from '../project-secrets/kinds.js';
import { definedFields, type MetadataInput } from './input.js';
import type { NamespaceService } from './namespaces.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

export interface ProjectSecretInput extends MetadataInput {
  description?: string | null;
  /** The kind's own fields (src/project-secrets/kinds.ts), by name. */
  fields: Record<string, unknown>;
}

export interface CreateProjectSecretInput extends ProjectSecretInput {
  projectId: string;
  /** Absent: a project-wide secret. */
  namespaceId?: string | null;
  name: string;
}

/**
 * The typed secrets of projects and their namespaces, every kind in one table. Each
 * write-only value is sealed with the server's secret box, the row id and field being
 * the authenticated context (so a sealed value moved to another row or field does not
 * open); the kind's declaration decides what is checked, shown and sealed. Sealed
 * values are opened only to check a new value against them (a new chain against the
 * stored key), never to answer.
 */
export class ProjectSecretService extends ResourceStore<ProjectSecret, Prisma.ProjectSecretWhereInput, Prisma.ProjectSecretOrderByWithRelationInput> {
  constructor(
    prisma: PrismaClient,
    private readonly secrets: SecretBox,
    private readonly namespaces: NamespaceService,
  ) {
    super(prisma, 'projectSecret', 'projectSecret');
  }

  async create(kind: SecretKindDeclaration, input: CreateProjectSecretInput, creatorId: string | null, query: PrismaQuery = {}) {
    // Ids as Rancher's namespace-qualified names, the cluster first so they are unique server-wide.
    const namespace = input.namespaceId ? await this.namespaces.inProject(input.namespaceId, input.projectId) : undefined;
    const id = `${namespace?.id ?? input.projectId}:${input.name}`;
    const derived = kind.derive(input.fields, { publicFields: {}, secret: () => undefined });
    return createNamed(kind.typeName, input.name, () =>
      this.prisma.projectSecret.create({
        ...query,
        data: {
          id,
          kind: kind.kind,
          name: input.name,
          namespaceId: namespace?.id ?? null,
          projectId: input.projectId,
          projectScopeId: namespace ? null : input.projectId,
          creatorId,
          ...definedFields(describing(input)),
          publicFields: derived.publicFields as Prisma.InputJsonObject,
          sealedFields: this.seal(id, derived.secrets, {}),
        },
      }),
    );
  }

  /** Changes a secret within `scope` (what the caller may change, of this kind): one read of what is stored, then the write. */
  async update(kind: SecretKindDeclaration, id: string, input: ProjectSecretInput, query: PrismaQuery = {}, scope?: Prisma.ProjectSecretWhereInput) {
    const described = definedFields(describing(input));
    if (Object.keys(input.fields).length === 0) return this.write(id, described, query, scope);
    const current = await this.get(id, { select: { publicFields: true, sealedFields: true } }, scope);
    const sealed = current.sealedFields as Record<string, string>;
    const stored: StoredSecret = {
      publicFields: current.publicFields as Record<string, unknown>,
      secret: (name) => (sealed[name] === undefined ? undefined : this.secrets.decrypt(sealed[name], context(id, name))),
    };
    const derived = kind.derive(input.fields, stored);
    const base = derived.replaceSecrets ? {} : sealed;
    return this.write(
      id,
      { ...described, publicFields: derived.publicFields as Prisma.InputJsonObject, sealedFields: this.seal(id, derived.secrets, base) },
      query,
      scope,
    );
  }

  private seal(id: string, values: Record<string, string>, sealed: Record<string, string>): Record<string, string> {
    return { ...sealed, ...Object.fromEntries(Object.entries(values).map(([name, value]) => [name, this.secrets.encrypt(value, context(id, name))])) };
  }
}

const context = (id: string, field: string) => `projectSecret:${id}:${field}`;

function describing(input: ProjectSecretInput): Omit<ProjectSecretInput, 'fields'> {
  return { description: input.description, labels: input.labels, annotations: input.annotations };
}
