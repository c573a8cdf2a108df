import type { PrismaClient } from '../db/database.js';
import { notFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { definedFields } from './input.js';

export interface ClusterInput {
  name?: string | null;
  description?: string | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

type ClusterQuery = { include?: Prisma.ClusterInclude; select?: Prisma.ClusterSelect };

/**
 * Domain rules for clusters. Resolvers pass the Prisma `query` that Pothos built for
 * the requested selection, so related data loads in the same statements.
 */
export class ClusterService {
  constructor(private readonly prisma: PrismaClient) {}

  async get(id: string, query: ClusterQuery = {}) {
    const cluster = await this.prisma.cluster.findUnique({ ...query, where: { id } });
    if (!cluster) throw notFound('cluster', id);
    return cluster;
  }

  list(query: ClusterQuery & { take?: number; skip?: number; cursor?: Prisma.ClusterWhereUniqueInput }, where: Prisma.ClusterWhereInput, orderBy: Prisma.ClusterOrderByWithRelationInput[]) {
    return this.prisma.cluster.findMany({ ...query, where, orderBy });
  }

  count(where: Prisma.ClusterWhereInput) {
    return this.prisma.cluster.count({ where });
  }

  create(input: ClusterInput & { name: string }, creatorId: string | null, query: ClusterQuery = {}) {
    return withFreshId(
      () => newId('c'),
      (id) => this.prisma.cluster.create({ ...query, data: { ...definedFields(input), id, name: input.name, creatorId } }),
    );
  }

  async update(id: string, input: ClusterInput, query: ClusterQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.cluster.update({ ...query, where: { id }, data: definedFields(input) });
  }

  /** Deletes the cluster and, through the foreign key's cascade, its projects. */
  async delete(id: string, query: ClusterQuery = {}) {
    await this.get(id, { select: { id: true } });
    return this.prisma.cluster.delete({ ...query, where: { id } });
  }
}
