import type { SecretBox } from '../crypto/secret-box.js';
import type { PrismaClient } from '../db/database.js';
import { AuditEventService } from './audit-events.js';
import { CloudCredentialService } from './cloud-credentials.js';
import { GlobalRoleBindingService } from './global-role-bindings.js';
import { IngressService } from './ingresses.js';
import { KubernetesServiceStore } from './kubernetes-services.js';
import { MetaProxyService, type MetaProxyOptions } from './meta-proxy.js';
import { ClusterService } from './clusters.js';
import { defaultCacheLifetimes, type CacheLifetimes } from './cache-lifetimes.js';
import { CountCache } from './count-cache.js';
import { KubeconfigService } from './kubeconfigs.js';
import { NamespaceReferences } from './namespace-references.js';
import { NamespacedSecretService } from './namespaced-secrets.js';
import { NamespaceService } from './namespaces.js';
import { NodeDriverService } from './node-drivers.js';
import { NodePoolService } from './node-pools.js';
import { ClusterRegistrationTokenService } from './cluster-registration-tokens.js';
import { NodeTemplateService } from './node-templates.js';
import { ProjectSecretService } from './project-secrets.js';
import { ProjectService } from './projects.js';
import { ClusterRoleBindingService, ProjectRoleBindingService } from './role-bindings.js';
import { RoleTemplateService } from './role-templates.js';
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
  /** Kubernetes services (the `Service` type); `services` is this whole layer. */
  readonly kubernetesServices: KubernetesServiceStore;
  readonly ingresses: IngressService;
  readonly namespacedSecrets: NamespacedSecretService;
  readonly projectSecrets: ProjectSecretService;
  readonly nodeDrivers: NodeDriverService;
  readonly nodeTemplates: NodeTemplateService;
  readonly nodePools: NodePoolService;
  readonly clusterRegistrationTokens: ClusterRegistrationTokenService;
  readonly settings: SettingService;
  readonly tokens: TokenService;
  readonly sessions: SessionService;
  readonly users: UserService;
  readonly globalRoleBindings: GlobalRoleBindingService;
  readonly roleTemplates: RoleTemplateService;
  readonly clusterRoleBindings: ClusterRoleBindingService;
  readonly projectRoleBindings: ProjectRoleBindingService;
  readonly metaProxy: MetaProxyService;
  readonly auditEvents: AuditEventService;
  /** Large lists' totals, kept until the next change (see count-cache.ts). */
  readonly counts: CountCache;
}

export interface ServiceOptions {
  /** Seals cloud-credential and project secrets at rest (see src/crypto/keys.ts). */
  readonly secrets: SecretBox;
  readonly metaProxy: MetaProxyOptions;
  /** Settings the installation fixes through the environment (read-only through the API). */
  readonly settingsFromEnvironment?: Readonly<Record<string, string>>;
  /** Backstop lifetimes of the in-process caches (tests shorten them rather than wait). */
  readonly cacheLifetimes?: Partial<CacheLifetimes>;
}

export function createServices(prisma: PrismaClient, options: ServiceOptions): Services {
  const lifetimes = { ...defaultCacheLifetimes, ...options.cacheLifetimes };
  const settings = new SettingService(prisma, options.settingsFromEnvironment, lifetimes.settings);
  const tokens = new TokenService(prisma, settings, lifetimes.tokens);
  const nodeDrivers = new NodeDriverService(prisma, lifetimes.nodeDrivers);
  const cloudCredentials = new CloudCredentialService(prisma, options.secrets);
  const clusters = new ClusterService(prisma);
  const namespaces = new NamespaceService(prisma);
  const nodeTemplates = new NodeTemplateService(prisma, options.secrets);
  const references = new NamespaceReferences(prisma, namespaces);
  return {
    clusters,
    kubeconfigs: new KubeconfigService(clusters, tokens, settings),
    cloudCredentials,
    projects: new ProjectService(prisma),
    namespaces,
    workloads: new WorkloadService(prisma, namespaces),
    kubernetesServices: new KubernetesServiceStore(prisma, references),
    ingresses: new IngressService(prisma, references),
    namespacedSecrets: new NamespacedSecretService(prisma, options.secrets, namespaces),
    projectSecrets: new ProjectSecretService(prisma, options.secrets, namespaces),
    nodeDrivers,
    nodeTemplates,
    nodePools: new NodePoolService(prisma, nodeTemplates),
    clusterRegistrationTokens: new ClusterRegistrationTokenService(prisma, settings),
    settings,
    tokens,
    sessions: new SessionService(prisma, tokens),
    users: new UserService(prisma, tokens),
    globalRoleBindings: new GlobalRoleBindingService(prisma, tokens),
    roleTemplates: new RoleTemplateService(prisma),
    clusterRoleBindings: new ClusterRoleBindingService(prisma),
    projectRoleBindings: new ProjectRoleBindingService(prisma),
    metaProxy: new MetaProxyService(settings, nodeDrivers, cloudCredentials, options.metaProxy),
    auditEvents: new AuditEventService(prisma, settings),
    counts: new CountCache(lifetimes.counts),
  };
}
