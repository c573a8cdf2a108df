import type { PrismaClient } from '../db/database.js';
import type { ClusterRegistrationToken, Prisma } from '../generated/prisma/client.js';
import { createNamed, newId, randomText, withFreshId } from '../ids.js';
import type { EnvVar } from './cluster-spec.js';
import { metadataColumns, type MetadataInput } from './input.js';
import { registrationCommands, type RegistrationCommands } from './registration-commands.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';
import type { SettingService } from './settings.js';

/** The token every cluster is made with, as Rancher names it (and Terraform's rancher2 provider looks it up by). */
const defaultRegistrationTokenName = 'default-token';

/** Rancher's token characters: lowercase consonants and digits that cannot be misread for one another. */
const tokenCharacters = 'bcdfghjklmnpqrstvwxz2456789';
/** Rancher's token length: 54 of those characters, ≈ 257 bits. */
const tokenLength = 54;

/** A new registration token's secret, as Rancher makes one. */
const newRegistrationToken = () => randomText(tokenCharacters, tokenLength);

/** A new cluster's `default-token`, for the cluster's own create statement (Prisma's nested create). */
export function defaultRegistrationToken(clusterId: string, creatorId: string | null) {
  return { id: `${clusterId}:${defaultRegistrationTokenName}`, name: defaultRegistrationTokenName, token: newRegistrationToken(), creatorId };
}

/** The columns of a token (and of its cluster) its commands are made from. */
export interface CommandSource {
  token: string;
  clusterId: string;
  cluster: { driver: string; agentEnvVars: unknown };
}

/** Those columns, as a Prisma selection. */
export const commandColumns = { token: true, clusterId: true, cluster: { select: { driver: true, agentEnvVars: true } } } as const;

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
  constructor(
    prisma: PrismaClient,
    private readonly settings: SettingService,
  ) {
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
    return withFreshId(() => newId('crt'), write);
  }

  /**
   * A token's commands, from the settings that address and trust this server (`server-url`,
   * else `requestBaseUrl`; `cacerts`) and the agent's image (`agent-image`, behind
   * `system-default-registry` when one is set).
   */
  async commands(source: CommandSource, requestBaseUrl: string): Promise<RegistrationCommands> {
    const [serverUrl, caCerts, agentImage, registry] = await Promise.all([
      this.settings.serverUrl(requestBaseUrl),
      this.settings.value('cacerts'),
      this.settings.value('agent-image'),
      this.settings.value('system-default-registry'),
    ]);
    return registrationCommands({
      token: source.token,
      clusterId: source.clusterId,
      serverUrl,
      caCerts,
      agentImage: registry ? `${registry.replace(/\/+$/, '')}/${agentImage}` : agentImage,
      provisioned: source.cluster.driver !== 'imported',
      // Validated on the way in (cluster-spec.ts), as the cluster's other JSON columns are.
      agentEnvVars: source.cluster.agentEnvVars as EnvVar[],
    });
  }
}
