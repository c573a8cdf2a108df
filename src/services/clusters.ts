import { clusterCreatorRole } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import type { Cluster, Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { defaultRegistrationToken } from './cluster-registration-tokens.js';
import {
  checkClusterSpec,
  type AgentCustomization,
  type ClusterDriverName,
  type EnvVar,
  type LocalClusterAuthEndpoint,
  type MachinePool,
} from './cluster-spec.js';
import { changedColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import { boundUserColumns } from './role-bindings.js';
import type { EtcdConfig, MachineSelectorConfig, Registries, UpgradeStrategy } from './rke-config.js';

export interface ClusterInput extends MetadataInput {
  name?: string | null;
  description?: string | null;
  driver?: ClusterDriverName | null;
  kubernetesVersion?: string | null;
  /** Blank clears it (see `clearableReference`); null leaves it. */
  cloudCredentialId?: string | null;
  machinePools?: MachinePool[] | null;
  clusterAgentCustomization?: AgentCustomization | null;
  fleetAgentCustomization?: AgentCustomization | null;
  /** JSON objects (Rancher's GenericMap), checked by rke-config.ts's rules. */
  chartValues?: unknown;
  machineGlobalConfig?: unknown;
  machineSelectorConfig?: MachineSelectorConfig[] | null;
  additionalManifest?: string | null;
  upgradeStrategy?: UpgradeStrategy | null;
  etcd?: EtcdConfig | null;
  registries?: Registries | null;
  localClusterAuthEndpoint?: LocalClusterAuthEndpoint | null;
  agentEnvVars?: EnvVar[] | null;
  enableNetworkPolicy?: boolean | null;
  defaultPodSecurityAdmissionConfigurationTemplateName?: string | null;
}

/**
 * Domain rules for clusters. Resolvers pass the Prisma `query` that Pothos built for
 * the requested selection, so related data loads in the same statements; the reads
 * and the delete are the shared {@link ResourceStore}'s.
 */
export class ClusterService extends ResourceStore<Cluster, Prisma.ClusterWhereInput, Prisma.ClusterOrderByWithRelationInput> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'cluster', 'cluster');
  }

  create(input: ClusterInput & { name: string }, creatorId: string | null, query: PrismaQuery = {}) {
    checkClusterSpec(input);
    return withFreshId(
      () => newId('c'),
      (id) =>
        this.prisma.cluster.create({
          ...query,
          data: {
            ...storable(input),
            id,
            name: input.name,
            creatorId,
            // The creator owns what they create, in the same statement.
            ...(creatorId
              ? { bindings: { create: { id: `${id}:${newId('crtb')}`, ...boundUserColumns(creatorId), roleTemplateId: clusterCreatorRole } } }
              : {}),
            // Its default registration token too, as Rancher makes one for every cluster.
            registrationTokens: { create: defaultRegistrationToken(id, creatorId) },
          },
        }),
    );
  }

  /** Changes a cluster within `scope` (what the caller may update): one read of the spec, one write. */
  async update(id: string, input: ClusterInput, query: PrismaQuery = {}, scope?: Prisma.ClusterWhereInput) {
    const current = await this.get(id, { select: { driver: true, kubernetesVersion: true, machinePools: true } }, scope);
    const { driver: _fixedAtCreation, ...changes } = input;
    checkClusterSpec({
      ...changes,
      driver: current.driver,
      kubernetesVersion: changes.kubernetesVersion ?? current.kubernetesVersion,
      machinePools: changes.machinePools ?? (current.machinePools as MachinePool[]),
    });
    // Within `scope` in the very UPDATE: a precondition in it (a resourceVersion) is
    // checked atomically against a concurrent writer.
    return this.write(id, storable(changes), query, scope);
  }
}

/** The spec's nested parts, each stored as one JSON column. */
const jsonParts = [
  'machinePools',
  'clusterAgentCustomization',
  'fleetAgentCustomization',
  'chartValues',
  'machineGlobalConfig',
  'machineSelectorConfig',
  'upgradeStrategy',
  'etcd',
  'registries',
  'localClusterAuthEndpoint',
  'agentEnvVars',
] as const satisfies ReadonlyArray<keyof ClusterInput>;
type JsonPart = (typeof jsonParts)[number];
const isJsonPart = (name: string): name is JsonPart => (jsonParts as readonly string[]).includes(name);

/** The given fields in Prisma's terms: the spec's nested parts are stored as JSON, a blank cloud credential as none. */
function storable(input: ClusterInput) {
  const columns = changedColumns(input, ['cloudCredentialId']);
  const plain = Object.fromEntries(Object.entries(columns).filter(([name]) => !isJsonPart(name))) as Omit<typeof columns, JsonPart>;
  const json: { [Part in JsonPart]?: Prisma.InputJsonValue } = {};
  for (const part of jsonParts) if (columns[part] !== undefined) json[part] = columns[part] as Prisma.InputJsonValue;
  return { ...plain, ...json };
}
