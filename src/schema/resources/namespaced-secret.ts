import { z } from 'zod';
import { namespacedSecretPolicy } from '../../auth/policies/namespaced-secret.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import { projectPolicy } from '../../auth/policies/project.js';
import { secretKeys } from '../../services/namespaced-secrets.js';
import { builder } from '../builder.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { description, kubernetesSubdomain } from '../validators.js';
import { metadataFields, metadataInputFields, metadataListFields } from '../kubernetes-metadata.js';
import { defineResource } from './define-resource.js';
import { creationFields } from './linked-resource.js';
import { fieldDocs } from '../field-docs.js';

/** Everything that makes a NamespacedSecret a resource. Its data is write-only: it goes in, only its key names come out. */

/** `Opaque`, or a qualified type such as `kubernetes.io/tls`. */
const secretKind = z
  .string()
  .max(253)
  .regex(/^(Opaque|[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/, 'must be Opaque or a qualified type such as kubernetes.io/tls');

/** Kubernetes secret keys and its 1 MiB limit on a secret. */
const secretData = z
  .record(
    z
      .string()
      .min(1)
      .max(253)
      .regex(/^[-._a-zA-Z0-9]+$/, 'keys are letters, digits, -, _ and .'),
    z.string(),
  )
  .refine((data) => JSON.stringify(data).length <= 1024 * 1024, 'a secret holds at most 1 MiB');

const dataDescription =
  'Key → value, write-only: stored encrypted, never returned. Values are kept as given (Rancher clients send them base64-encoded, as Kubernetes does).';

const CreateNamespacedSecretInput = builder.inputType('CreateNamespacedSecretInput', {
  description: 'A new opaque secret in a namespace of a project; its data is write-only.',
  fields: (t) => ({
    projectId: t.id({ description: fieldDocs.projectId, required: true }),
    namespaceId: t.id({ required: true, description: 'A namespace of the project.' }),
    name: t.string({ required: true, description: fieldDocs.secretName, validate: kubernetesSubdomain }),
    kind: t.string({
      defaultValue: 'Opaque',
      validate: secretKind,
      description: 'Fixed once created. Well-known types require their keys (tls.crt and tls.key, .dockerconfigjson, …).',
    }),
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    data: t.field({ type: 'StringMap', validate: secretData, description: dataDescription }),
  }),
});

const UpdateNamespacedSecretInput = builder.inputType('UpdateNamespacedSecretInput', {
  description: 'The fields of a secret to change; data given replaces the stored keys it names.',
  fields: (t) => ({
    description: t.string({ description: fieldDocs.description, validate: description }),
    ...metadataInputFields(t),
    data: t.field({ type: 'StringMap', validate: secretData, description: `${dataDescription} Given, it replaces all the keys.` }),
  }),
});

export const namespacedSecretResource = defineResource('NamespacedSecret', {
  description:
    'A secret of one namespace (Rancher’s namespacedSecret). Its data is write-only: stored encrypted, never returned; `keys` lists its key names. Unlike Rancher, whose id `<namespace>:<name>` is unique only within a cluster, the id is `<clusterId>:<namespace>:<name>`, so that ids are unique server-wide; `rancherId` is Rancher’s form, which /v3 serves in a cluster’s or project’s context.',
  clusterLocalId: { segments: 2, example: 'apps:api-token' },
  policy: namespacedSecretPolicy,
  fields: (t) => ({
    name: t.exposeString('name', { description: fieldDocs.secretName }),
    namespaceId: t.exposeID('namespaceId', { description: fieldDocs.namespaceId }),
    namespace: t.relation('namespace', { description: 'Its namespace (what `namespaceId` names).' }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'The namespace’s project.' }),
    project: t.relation('project', { description: 'The project it belongs to (what `projectId` names).', nullable: true }),
    kind: t.exposeString('kind', {
      description: 'The Kubernetes secret type (Opaque, kubernetes.io/dockerconfigjson, kubernetes.io/tls, kubernetes.io/basic-auth, …).',
    }),
    description: t.exposeString('description', { description: fieldDocs.description }),
    ...metadataFields(t),
    keys: t.stringList({
      description: 'The names of the keys in data; the values are never returned.',
      select: { sealedData: true },
      resolve: (secret) => secretKeys(secret.sealedData),
    }),
    ...creationFields(t),
  }),
  list: {
    id: { filter: StringFilter },
    namespaceId: { filter: StringFilter },
    projectId: { filter: StringFilter, nullable: true },
    name: { filter: StringFilter },
    kind: { filter: StringFilter },
    description: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateNamespacedSecretInput,
    run: async (context, input, query) => {
      await authorizeReference(context, projectPolicy, { fieldName: 'projectId', id: input.projectId }, 'manageResources');
      return context.services.namespacedSecrets.create(input, context.principal!.userId, query);
    },
  },
  update: {
    input: UpdateNamespacedSecretInput,
    verb: 'manageResources',
    run: (context, { id, input, query, scope }) => context.services.namespacedSecrets.update(id, input, query, scope),
  },
  remove: { verb: 'manageResources' },
});
