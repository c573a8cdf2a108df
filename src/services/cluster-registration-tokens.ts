import { randomInt } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import type { ClusterRegistrationToken, Prisma } from '../generated/prisma/client.js';
import { createNamed, newId, withFreshId } from '../ids.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

/** The token every cluster is made with, as Rancher names it (and Terraform's rancher2 provider looks it up by). */
const defaultRegistrationTokenName = 'default-token';

/** Rancher's token characters: lowercase consonants and digits that cannot be misread for one another. */
const tokenCharacters = 'bcdfghjklmnpqrstvwxz2456789';
/** Rancher's token length: 54 of those characters, ≈ 257 bits. */
const tokenLength = 54;

/** A new registration token's secret, as Rancher makes one. */
function newRegistrationToken(): string {
  let token = '';
  for (let index = 0; index < tokenLength; index += 1) token += tokenCharacters[randomInt(tokenCharacters.length)];
  return token;
}

/** A new cluster's `default-token`, for the cluster's own create statement (Prisma's nested create). */
export function defaultRegistrationToken(clusterId: string, creatorId: string | null) {
  return { id: `${clusterId}:${defaultRegistrationTokenName}`, name: defaultRegistrationTokenName, token: newRegistrationToken(), creatorId };
}

export interface ClusterRegistrationTokenInput extends MetadataInput {
  clusterId: string;
  /** A DNS label unique in the cluster; left out, Rancher's `crt-xxxxx`. */
  name?: string | null;
}

/**
 * A cluster's registration tokens (`<clusterId>:<name>`): each a fresh secret, fixed for
 * its life; only its labels and annotations change (the store's `writeMetadata`).
 */
export class ClusterRegistrationTokenService extends ResourceStore<
  ClusterRegistrationToken,
  Prisma.ClusterRegistrationTokenWhereInput,
  Prisma.ClusterRegistrationTokenOrderByWithRelationInput
> {
  constructor(prisma: PrismaClient) {
    super(prisma, 'clusterRegistrationToken', 'cluster registration token');
  }

  create(input: ClusterRegistrationTokenInput, creatorId: string | null, query: PrismaQuery = {}) {
    const write = (name: string) =>
      this.prisma.clusterRegistrationToken.create({
        ...query,
        data: { id: `${input.clusterId}:${name}`, clusterId: input.clusterId, name, token: newRegistrationToken(), creatorId, ...metadataColumns(input) },
      });
    const { name } = input;
    if (name) return createNamed('cluster registration token', name, () => write(name));
    return withFreshId(
      () => newId('crt'),
      (name) => write(name),
    );
  }
}
