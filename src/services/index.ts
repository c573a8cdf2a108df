import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { AuditEventService } from './audit-events.js';
import { CloudCredentialService } from './cloud-credentials.js';
import { MetaProxyService, type MetaProxyOptions } from './meta-proxy.js';
import { ClusterService } from './clusters.js';
import { KubeconfigService } from './kubeconfigs.js';
import { NamespacedSecretService } from './namespaced-secrets.js';
import { NamespaceService } from './namespaces.js';
import { NodeDriverService } from './node-drivers.js';
import { ProjectService } from './projects.js';
import { RoleBindingService } from './role-bindings.js';
import { SessionService } from './sessions.js';
import { SettingService } from './settings.js';
import { TokenService } from './tokens.js';
import { UserService } from './users.js';
import { WorkloadService } from './workloads.js';

/** The domain layer: one service per resource family, shared by every face. */
export interface Services {
  readonly clusters: ClusterService;
  readonly kubeconfigs: KubeconfigService;
  readonly cloudCredentials: CloudCredentialService;
  readonly projects: ProjectService;
  readonly namespaces: NamespaceService;
  readonly workloads: WorkloadService;
  readonly namespacedSecrets: NamespacedSecretService;
  readonly nodeDrivers: NodeDriverService;
  readonly settings: SettingService;
  readonly tokens: TokenService;
  readonly sessions: SessionService;
  readonly users: UserService;
  readonly roleBindings: RoleBindingService;
  readonly metaProxy: MetaProxyService;
  readonly auditEvents: AuditEventService;
}

export interface ServiceOptions {
  /** Seals cloud-credential and project secrets at rest (see src/crypto/keys.ts). */
  readonly secrets: SecretBox;
  readonly metaProxy: MetaProxyOptions;
  /** Settings the installation fixes through the environment (read-only through the API). */
  readonly settingsFromEnvironment?: Readonly<Record<string, string>>;
}

export function createServices(prisma: PrismaClient, options: ServiceOptions): Services {
  const settings = new SettingService(prisma, options.settingsFromEnvironment);
  const tokens = new TokenService(prisma, settings);
  const nodeDrivers = new NodeDriverService(prisma);
  const cloudCredentials = new CloudCredentialService(prisma, options.secrets);
  const clusters = new ClusterService(prisma);
  const namespaces = new NamespaceService(prisma);
  return {
    clusters,
    kubeconfigs: new KubeconfigService(clusters, tokens, settings),
    cloudCredentials,
    projects: new ProjectService(prisma),
    namespaces,
    workloads: new WorkloadService(prisma, namespaces),
    namespacedSecrets: new NamespacedSecretService(prisma, options.secrets, namespaces),
    nodeDrivers,
    settings,
    tokens,
    sessions: new SessionService(prisma, tokens),
    users: new UserService(prisma, tokens),
    roleBindings: new RoleBindingService(prisma),
    metaProxy: new MetaProxyService(settings, nodeDrivers, cloudCredentials, options.metaProxy),
    auditEvents: new AuditEventService(prisma, settings),
  };
}
