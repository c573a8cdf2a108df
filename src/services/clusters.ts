import { clusterCreatorRole } from '../auth/role-templates.js';
import type { PrismaClient } from '../db/database.js';
import { orNotFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { checkClusterSpec, type AgentCustomization, type ClusterDriverName, type MachinePool } from './cluster-spec.js';
import { definedFields } from './input.js';

export interface ClusterInput {
  name?: string | null;
  description?: string | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  driver?: ClusterDriverName | null;
  kubernetesVersion?: string | null;
  cloudCredentialId?: string | null;
  machinePools?: MachinePool[] | null;
  clusterAgentCustomization?: AgentCustomization | null;
  fleetAgentCustomization?: AgentCustomization | null;
}

type ClusterQuery = { include?: Prisma.ClusterInclude; select?: Prisma.ClusterSelect };

/**
 * Domain rules for clusters. Resolvers pass the Prisma `query` that Pothos built for
 * the requested selection, so related data loads in the same statements.
 */
export class ClusterService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(id: string, query: ClusterQuery = {}) {
    return orNotFound(this.prisma.cluster.findUnique({ ...query, where: { id } }), 'cluster', id);
  }

  list(query: ClusterQuery, where: Prisma.ClusterWhereInput, orderBy: Prisma.ClusterOrderByWithRelationInput[], take: number) {
    return this.prisma.cluster.findMany({ ...query, where, orderBy, take });
  }

  count(where: Prisma.ClusterWhereInput) {
    return this.prisma.cluster.count({ where });
  }

  create(input: ClusterInput & { name: string }, creatorId: string | null, query: ClusterQuery = {}) {
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
            ...(creatorId ? { bindings: { create: { id: `${id}:${newId('crtb')}`, userId: creatorId, roleTemplateId: clusterCreatorRole } } } : {}),
          },
        }),
    );
  }

  async update(id: string, input: ClusterInput, query: ClusterQuery = {}) {
    const current = await this.get(id, { select: { driver: true, kubernetesVersion: true, machinePools: true } });
    const { driver: _fixedAtCreation, ...changes } = input;
    checkClusterSpec({
      driver: current.driver,
      kubernetesVersion: changes.kubernetesVersion ?? current.kubernetesVersion,
      machinePools: changes.machinePools ?? (current.machinePools as MachinePool[]),
    });
    return this.prisma.cluster.update({ ...query, where: { id }, data: storable(changes) });
  }

  /** Deletes the cluster and, through the foreign key's cascade, its projects. */
  async delete(id: string, query: ClusterQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.cluster.delete({ ...query, where: { id } });
  }
}

/** The given fields in Prisma's terms: the spec's nested parts are stored as JSON. */
function storable(input: ClusterInput) {
  const { machinePools, clusterAgentCustomization, fleetAgentCustomization, ...columns } = definedFields(input);
  return {
    ...columns,
    ...(machinePools ? { machinePools: machinePools as Prisma.InputJsonValue } : {}),
    ...(clusterAgentCustomization ? { clusterAgentCustomization: clusterAgentCustomization as Prisma.InputJsonValue } : {}),
    ...(fleetAgentCustomization ? { fleetAgentCustomization: fleetAgentCustomization as Prisma.InputJsonValue } : {}),
  };
}
