/** The meta proxy's public surface: what the route, the mutation and the settings use. */
export { proxyBuffered, type BufferedProxyInput, type BufferedProxyResult } from './buffered.js';
export { handleMetaProxy, metaProxyPrefix } from './http-route.js';
export { parseProxyTarget } from './target.js';
export { matchHostPatterns, validateAllowListEntry, type AllowListSource } from './allow-list.js';
export { createTransport, type Timeouts, type Transport } from './transport.js';
export type { Resolver } from './address-guard.js';
export type { AuditLogger, AuditRecord } from './audit.js';
export type { CredentialResolver, ProxyCaller, ProxyDependencies } from './types.js';
