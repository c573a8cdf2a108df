import { z } from 'zod';
import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { projectSecretPolicy } from '../../auth/policies/project-secret.js';
import type { Context } from '../../context.js';
import { registriesInput, secretKinds, type SecretKindDeclaration, type SecretKindField } from '../../project-secrets/kinds.js';
import type { ProjectSecretInput } from '../../services/project-secrets.js';
import { builder, type BuilderTypes } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { description, kubernetesSubdomain } from '../validators.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';
import { defineResource } from './define-resource.js';
import { creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';

/**
 * Rancher's project secret family, two resource types per kind of
 * src/project-secrets/kinds.ts: the project-wide one (`certificates`, no namespace,
 * available to every namespace of the project) and the namespaced one
 * (`namespacedCertificates`). All are variants of the one ProjectSecret model; a kind's
 * write-only fields exist only in its inputs (so /v3 shows them as `password`).
 *
 * They are not nested lists of Project: every type shares the one relation, and a
 * parent's select holds each relation once, so two such lists in one query would
 * overwrite each other's page and count. /v3's `/v3/project/<id>/certificates` is the
 * list filtered by `projectId`, as every sub-context is.
 */

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;
type Row = { publicFields: unknown };

/** A PEM chain, a key, a password: generous, but bounded as a Kubernetes secret is (1 MiB). */
const secretText = z.string().max(1024 * 1024);

for (const kind of secretKinds) {
  for (const namespaced of [false, true]) declareType(kind, namespaced);
}

function declareType(kind: SecretKindDeclaration, namespaced: boolean) {
  const typeName = namespaced ? `Namespaced${kind.typeName}` : kind.typeName;
  const listName = namespaced ? `namespaced${kind.typeName}s` : kind.listName;
  const where = namespaced ? 'one namespace of a project' : 'a project, for all its namespaces (Rancher keeps it in the project’s own namespace)';
  const policy = projectSecretPolicy(lowerFirst(typeName), kind.kind, namespaced);

  const commonInput = (t: InputFieldBuilder) => ({
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
  });
  const CreateInput = builder.inputType(`Create${typeName}Input`, {
    description: `A new ${typeName}.`,
    fields: (t) => ({
      projectId: t.id({ required: true, description: 'The project it belongs to.' }),
      ...(namespaced ? { namespaceId: t.id({ required: true, description: 'A namespace of the project.' }) } : {}),
      name: t.string({ required: true, validate: kubernetesSubdomain, description: `Unique in its ${namespaced ? 'namespace' : 'project'}.` }),
      ...commonInput(t),
      ...kindInputs(t, kind, true),
    }),
  });
  const UpdateInput = builder.inputType(`Update${typeName}Input`, {
    description: `Changes to a ${typeName}: what is left out stays; write-only fields left out keep their stored values.`,
    fields: (t) => ({ ...commonInput(t), ...kindInputs(t, kind, false) }),
  });

  const typeDescription = `${kind.description} Kept for ${where}; stored as a Kubernetes ${kind.kubernetesType} secret would be, its write-only fields sealed, never returned.`;
  defineResource('ProjectSecret', {
    // The kind's rows are already the policy's (projectSecretPolicy narrows by kind and form); the service sets the kind on create.
    variant: { name: typeName, description: typeDescription, where: {}, input: {} },
    listName,
    description: typeDescription,
    // Namespaced kinds are `<namespace>:<name>` within their cluster, as namespaced secrets are.
    ...(namespaced ? { clusterLocalId: { segments: 2, example: 'apps:www' } } : {}),
    policy,
    fields: (t) => ({
      name: t.exposeString('name', { description: fieldDocs.secretName }),
      projectId: t.exposeID('projectId', { nullable: true, description: namespaced ? 'The namespace’s project.' : 'The project it belongs to.' }),
      project: t.relation('project', { description: 'The project it belongs to (what `projectId` names).', nullable: true }),
      ...(namespaced
        ? {
            namespaceId: t.exposeID('namespaceId', { nullable: true, description: fieldDocs.namespaceId }),
            namespace: t.relation('namespace', { nullable: true, description: 'Its namespace (what `namespaceId` names); null once the namespace is gone.' }),
          }
        : {}),
      description: t.exposeString('description', { description: fieldDocs.description }),
      ...metadataFields(t),
      ...creationFields(t),
      ...Object.fromEntries(kind.fields.filter((field) => !field.secret).map((field) => [field.name, outputField(t as unknown as OutputFieldBuilder, field)])),
    }),
    list: {
      id: { filter: StringFilter },
      name: { filter: StringFilter },
      description: { filter: StringFilter },
      projectId: { filter: StringFilter, nullable: true },
      ...(namespaced ? { namespaceId: { filter: StringFilter, nullable: true } } : {}),
      ...metadataListFields,
      created: { filter: DateTimeFilter, column: 'createdAt' },
    },
    ...(kind.writable
      ? {
          create: {
            input: CreateInput,
            run: async (context: Context, input: Record<string, unknown>, query: object) => {
              const projectId = input.projectId as string;
              await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: projectId }, 'manageResources');
              const create = { ...serviceInput(kind, input), projectId, namespaceId: input.namespaceId as string | undefined, name: input.name as string };
              return context.services.projectSecrets.create(kind, create, context.principal!.userId, query);
            },
          },
          update: {
            input: UpdateInput,
            verb: 'manageResources' as const,
            run: (context: Context, { id, input, query, scope }: { id: string; input: Record<string, unknown>; query: object; scope: object }) =>
              context.services.projectSecrets.update(kind, id, serviceInput(kind, input), query, scope),
          },
        }
      : {}),
    remove: { verb: 'manageResources' },
  });
}

/** One kind field in an input: write-only ones included; `required` only when creating. */
function kindInputs(t: InputFieldBuilder, kind: SecretKindDeclaration, creating: boolean) {
  const inputs = kind.fields.filter((field) => field.input);
  return Object.fromEntries(
    inputs.map((field) => {
      const required = creating && field.input === 'required';
      return [
        field.name,
        field.type === 'registries'
          ? t.field({ type: 'JSON', required, description: field.description, validate: registriesInput })
          : t.string({ required, description: field.description, validate: secretText }),
      ];
    }),
  );
}

/** Only what the output fields need from the Prisma field builder. */
interface OutputFieldBuilder {
  string(options: FieldOptions<string>): unknown;
  stringList(options: FieldOptions<string[]>): unknown;
  field(options: FieldOptions<unknown> & { type: 'DateTime' | 'JSON' }): unknown;
}
type FieldOptions<T> = { description: string; nullable: true; select: { publicFields: true }; resolve: (row: Row) => T | null };

/** A readable kind field, read from the row's public fields. */
function outputField(t: OutputFieldBuilder, field: SecretKindField) {
  const value = (row: Row) => (row.publicFields as Record<string, unknown>)[field.name] ?? null;
  const options = { description: field.description, nullable: true, select: { publicFields: true } } as const;
  switch (field.type) {
    case 'stringList':
      return t.stringList({ ...options, resolve: (row) => value(row) as string[] | null });
    case 'dateTime':
      return t.field({ ...options, type: 'DateTime', resolve: value });
    case 'registries':
      return t.field({ ...options, type: 'JSON', resolve: value });
    default:
      return t.string({ ...options, resolve: (row) => value(row) as string | null });
  }
}

/** The GraphQL input as the service takes it: the kind's own fields (those given) apart. */
function serviceInput(kind: SecretKindDeclaration, input: Record<string, unknown>): ProjectSecretInput {
  const fields = Object.fromEntries(kind.fields.filter((field) => field.input && input[field.name] != null).map((field) => [field.name, input[field.name]]));
  return {
    description: input.description as string | null | undefined,
    labels: input.labels as Record<string, string> | null | undefined,
    annotations: input.annotations as Record<string, string> | null | undefined,
    fields,
  };
}

function lowerFirst(text: string): string {
  return text[0]!.toLowerCase() + text.slice(1);
}
