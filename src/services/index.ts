import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { CloudCredentialService } from './cloud-credentials.js';
import { ClusterService } from './clusters.js';
import { NodeDriverService } from './node-drivers.js';
import { ProjectService } from './projects.js';
import { SessionService } from './sessions.js';
import { SettingService } from './settings.js';
import { TokenService } from './tokens.js';
import { UserService } from './users.js';

/** The domain layer: one service per resource family, shared by every face. */
export interface Services {
  readonly clusters: ClusterService;
  readonly cloudCredentials: CloudCredentialService;
  readonly projects: ProjectService;
  readonly nodeDrivers: NodeDriverService;
  readonly settings: SettingService;
  readonly tokens: TokenService;
  readonly sessions: SessionService;
  readonly users: UserService;
}

/** @param secrets seals cloud-credential secrets at rest (see src/crypto/keys.ts). */
export function createServices(prisma: PrismaClient, secrets: SecretBox): Services {
  const settings = new SettingService(prisma);
  const tokens = new TokenService(prisma, settings);
  return {
    clusters: new ClusterService(prisma),
    cloudCredentials: new CloudCredentialService(prisma, secrets),
    projects: new ProjectService(prisma),
    nodeDrivers: new NodeDriverService(prisma),
    settings,
    tokens,
    sessions: new SessionService(prisma, tokens),
    users: new UserService(prisma, tokens),
  };
}
