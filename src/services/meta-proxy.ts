import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import {
  proxyBuffered,
  type AllowListSource,
  type AuditLogger,
  type BufferedProxyInput,
  type BufferedProxyResult,
  type CredentialResolver,
  type ProxyCaller,
  type ProxyDependencies,
  type Transport,
} from '../proxy/index.js';
import { splitList } from '../settings/definitions.js';
import type { CloudCredentialService } from './cloud-credentials.js';
import type { NodeDriverService } from './node-drivers.js';
import type { SettingService } from './settings.js';

export interface MetaProxyOptions {
  /** Where every proxied call is recorded (the app's logger). */
  readonly audit: AuditLogger;
  /** Upstream connections, shared by every call; closed by the app. */
  readonly transport: Transport;
}

/**
 * The meta proxy as this server runs it: the core in src/proxy, fed by this server's
 * data. The allow list is the `whitelist-domain` setting plus the domains of active
 * node drivers, the body cap the `public-api-body-limit` setting (both read through
 * their caches, so changes apply without a restart), and credentials are resolved
 * only for their owner or an admin. The REST route and the GraphQL mutation both use
 * these same dependencies.
 */
export class MetaProxyService {
  readonly dependencies: ProxyDependencies;

  constructor(settings: SettingService, nodeDrivers: NodeDriverService, cloudCredentials: CloudCredentialService, options: MetaProxyOptions) {
    this.dependencies = {
      allowList: allowListOf(settings, nodeDrivers),
      credentials: credentialResolverOf(cloudCredentials),
      audit: options.audit,
      transport: options.transport,
      requestBodyLimit: () => settings.currentNumber('public-api-body-limit'),
    };
  }

  /** One exchange, answered as a value (the GraphQL mutation). */
  buffered(principal: Principal, input: Omit<BufferedProxyInput, 'caller'>): Promise<BufferedProxyResult> {
    return proxyBuffered({ ...input, caller: proxyCallerOf(principal) }, this.dependencies);
  }
}

/** The proxy's view of who is calling. */
export function proxyCallerOf(principal: Principal): ProxyCaller {
  return { id: principal.userId, scope: principal.clusterId ?? principal.projectId, isAdmin: principal.isAdmin };
}

function allowListOf(settings: SettingService, nodeDrivers: NodeDriverService): AllowListSource {
  // The same array while neither source changed, so the proxy compiles the list once
  // (both sources are caches: the same string, the same array of driver domains).
  let last: { setting: string; drivers: readonly string[]; entries: string[] } | undefined;
  const entries = (setting: string, drivers: string[]) => {
    if (last?.setting !== setting || last.drivers !== drivers) last = { setting, drivers, entries: [...splitList(setting), ...drivers] };
    return last.entries;
  };
  return {
    whitelistDomains() {
      // Read on every proxied call: from the caches without a promise when both are fresh.
      const setting = settings.freshValue('whitelist-domain');
      const drivers = nodeDrivers.freshActiveWhitelistDomains();
      if (setting !== undefined && drivers !== undefined) return entries(setting, drivers);
      return Promise.all([settings.value('whitelist-domain'), nodeDrivers.activeWhitelistDomains()]).then(([value, domains]) => entries(value, domains));
    },
  };
}

/**
 * A credential signs only for its owner or an admin. Someone else's and a missing one
 * get the same answer, so credential ids cannot be probed through the proxy.
 */
function credentialResolverOf(cloudCredentials: CloudCredentialService): CredentialResolver {
  return async (credentialId, caller) => {
    const credential = await cloudCredentials.fieldsForSigning(credentialId, (ownerId) => ownerId === caller.id || caller.isAdmin === true);
    if (!credential) {
      throw new ApiError('PERMISSION_DENIED', `no cloud credential ${JSON.stringify(credentialId)} that you may use`);
    }
    return { fields: credential.fields, allowedHosts: credential.allowedHosts };
  };
}
