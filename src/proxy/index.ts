/** The meta proxy's public surface: what the route, the mutation and the settings use. */
export { proxyRequest, defaultRequestBodyLimit } from './core.js';
export { proxyBuffered, type BufferedProxyInput, type BufferedProxyResult } from './buffered.js';
export { handleMetaProxy, metaProxyPrefix, type MetaProxyRouteDependencies } from './http-route.js';
export { parseProxyTarget, type ProxyTarget } from './target.js';
export { matchHostPatterns, validateAllowListEntry, type AllowListSource } from './allow-list.js';
export { createTransport, defaultTimeouts, type Timeouts, type Transport, type TransportOptions } from './transport.js';
export { systemResolver, type Resolver } from './address-guard.js';
export type { AuditLogger, AuditRecord } from './audit.js';
export type { CredentialResolver, ProxyCaller, ProxyDependencies, ProxyInput, ProxyResponse, ResolvedCredential } from './types.js';
