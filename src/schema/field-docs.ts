/**
 * What the fields many types share mean, written once (issue 15: every field described,
 * with units, limits and the Rancher field it corresponds to). A field whose meaning is
 * its type's own is described where it is declared.
 */
export const fieldDocs = {
  created: 'When it was created, RFC 3339 (Rancher’s `created`, Kubernetes’ `metadata.creationTimestamp`).',
  creatorId: 'The id of the user who created it (Rancher’s `creatorId`, the `field.cattle.io/creatorId` annotation); null when none was recorded.',
  kubernetesName:
    'Its name (Rancher’s `name`, `metadata.name`): 1–63 lowercase letters, digits and `-`, starting and ending with a letter or digit; unique where it lives.',
  displayName: 'Its name as people read it (Rancher’s `name`, the display name): 1–253 characters, no control characters, no surrounding spaces.',
  description: 'Free text for people (Rancher’s `description`): at most 4096 characters; empty when none was given.',
  labels:
    'Kubernetes labels (Rancher’s `labels`, `metadata.labels`): keys are `[prefix/]name` (name up to 63 characters), values up to 63 letters, digits, `-`, `_` and `.`.',
  annotations: 'Kubernetes annotations (Rancher’s `annotations`, `metadata.annotations`): keys as for labels, any values, at most 256 KiB in all.',
  clusterId: 'The id of the cluster it belongs to (Rancher’s `clusterId`, `c-xxxxx`).',
  projectId: 'The id of the project it belongs to (Rancher’s `projectId`, `c-xxxxx:p-xxxxx`).',
  namespaceId: 'The id of its namespace (Rancher’s `namespaceId`): `<clusterId>:<namespace name>`.',
  secretName:
    'The secret’s name (Rancher’s `name`, `metadata.name`): 1–253 lowercase letters, digits, `-` and `.`; unique in its namespace (or project, for a project-wide secret).',
  userId: 'The id of the user it names (Rancher’s `userId`, `u-xxxxx`).',
  state: 'Where it is in its lifecycle (Rancher’s `state`).',
  transitioning: 'Whether it is on its way to a steady state (Rancher’s `transitioning`): NO when steady, YES while changing, ERROR when stuck.',
  transitioningMessage: 'Why it is transitioning or in error (Rancher’s `transitioningMessage`); empty when steady.',
  resourceVersion:
    "The change feed's revision of its last committed write (Kubernetes' `metadata.resourceVersion`): pass it as `ifResourceVersion` to update only if nobody changed it since.",
  availableActions: 'The actions this caller may run on it now (Rancher’s `actions` links): the names /v3 accepts as `?action=`.',
  roleTemplateId: 'The id of the role it grants (Rancher’s `roleTemplateId`), a RoleTemplate id.',
} as const;
