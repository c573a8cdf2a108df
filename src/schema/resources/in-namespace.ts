import type { InputObjectRef } from '@pothos/core';
import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import type { Context } from '../../context.js';
import type { Services } from '../../services/index.js';
import type { PrismaQuery } from '../../services/resource-store.js';
import type { BuilderTypes } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { description, kubernetesName } from '../validators.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';
import type { NodeFields } from './define-resource.js';
import { creatorField } from './linked-resource.js';

/**
 * What the declarations of types kept in a project's namespace (services, ingresses)
 * share: the list fields every one offers, and the writes — a create names its project,
 * on which the caller must manage resources; updates and deletes follow the namespace's
 * rule (the type's policy).
 */
export const inNamespaceListFields = {
  id: { filter: StringFilter },
  namespaceId: { filter: StringFilter },
  projectId: { filter: StringFilter, nullable: true },
  name: { filter: StringFilter },
  ...metadataListFields,
  created: { filter: DateTimeFilter, column: 'createdAt' },
} as const;

/**
 * The fields every such type shows besides its own, described once: its name, its
 * namespace and project (ids and relations), description, labels, annotations, creator
 * (the id and the user beside it) and creation time, with the meanings every type shares
 * (field-docs.ts). `t` is the type's Prisma field builder; Pothos types it per model,
 * so the shared columns are reached through the narrow view below.
 */
export function inNamespaceNodeFields(t: unknown) {
  const fields = t as InNamespaceFieldBuilder;
  return {
    name: fields.exposeString('name', { description: 'Unique in its namespace.' }),
    namespaceId: fields.exposeID('namespaceId', { description: 'Its namespace (`apps` on /v3 in a project’s context).' }),
    namespace: fields.relation('namespace', { description: 'Its namespace.' }),
    projectId: fields.exposeID('projectId', { nullable: true, description: 'The namespace’s project.' }),
    project: fields.relation('project', { nullable: true, description: 'The namespace’s project.' }),
    description: fields.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    creatorId: fields.exposeID('creatorId', { nullable: true, description: fieldDocs.creatorId }),
    creator: creatorField(t as Parameters<typeof creatorField<FieldOfRow>>[0]),
    created: fields.expose('createdAt', { type: 'DateTime', description: fieldDocs.created }),
  };
}

/** Only what the shared fields need from Pothos' Prisma field builder (each call is checked by Pothos at run time as any field is). */
interface InNamespaceFieldBuilder {
  exposeString(column: 'name' | 'description', options: { description: string }): FieldOfRow;
  exposeID(column: 'namespaceId' | 'projectId' | 'creatorId', options: { description: string; nullable?: true }): FieldOfRow;
  relation(relation: 'namespace' | 'project', options: { description: string; nullable?: true }): FieldOfRow;
  expose(column: 'createdAt', options: { type: 'DateTime'; description: string }): FieldOfRow;
}
/** A field of the node: typed as Pothos' own field references are, opaque here. */
type FieldOfRow = ReturnType<NodeFieldBuilder['exposeString']>;
type NodeFieldBuilder = Parameters<NodeFields<'Service'>>[0];

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** What a create of such a type names: its project, a namespace of it, and its name (a Kubernetes name, unique in the namespace). */
export function inNamespaceCreateFields(t: InputFieldBuilder, what: string) {
  return {
    projectId: t.id({ required: true, description: `The project whose namespace holds the ${what}.` }),
    namespaceId: t.id({ required: true, description: 'A namespace of the project: its name (`apps`) or its id (`c-x:apps`).' }),
    name: t.string({ required: true, validate: kubernetesName, description: `Unique in its namespace; the ${what}’s name in the cluster.` }),
  };
}

/** What a create and an update of such a type both take besides its own fields. */
export function inNamespaceInputFields(t: InputFieldBuilder, what: string) {
  return {
    description: t.string({ validate: description, description: `Free text about the ${what}.` }),
    ...metadataInputFields(t, {
      labels: 'Its Kubernetes labels; given on update, they replace the kept ones.',
      annotations: 'Its Kubernetes annotations; given on update, they replace the kept ones.',
    }),
  };
}

/** The service of such a type: create in a project's namespace, update within a scope. */
interface InNamespaceStore<Create, Update, Where> {
  create(input: Create, creatorId: string | null, query: PrismaQuery): Promise<{ id: string }>;
  update(id: string, input: Update, query: PrismaQuery, scope: Where): Promise<{ id: string }>;
}

export function inNamespaceWrites<Create extends { projectId: string }, Update, Where>(
  inputs: { create: InputObjectRef<BuilderTypes, Create>; update: InputObjectRef<BuilderTypes, Update> },
  store: (services: Services) => InNamespaceStore<Create, Update, Where>,
) {
  return {
    create: {
      input: inputs.create,
      run: async (context: Context, input: Create, query: PrismaQuery) => {
        await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
        return store(context.services).create(input, context.principal!.userId, query);
      },
    },
    update: {
      input: inputs.update,
      verb: 'manageResources' as const,
      run: (context: Context, request: { id: string; input: Update; query: PrismaQuery; scope: Where }) =>
        store(context.services).update(request.id, request.input, request.query, request.scope),
    },
    remove: { verb: 'manageResources' as const },
  };
}
