import type { AuditLogger, AuditRecord } from '../proxy/index.js';
import type { RequestAudit } from './request-audit.js';

/**
 * The meta proxy's audit hook: its record of a call (`event: "meta-proxy"`: caller,
 * host, signer, credential id, bytes, status) still goes to the process log as
 * before, and becomes the `proxy` part of the request's audit entry. Upstream paths,
 * header values and bodies are a third party's and are never part of either.
 */
export function auditedProxyCalls(processLog: AuditLogger, audit: RequestAudit | undefined): AuditLogger {
  if (!audit) return processLog;
  return {
    info(record: AuditRecord, message: string) {
      processLog.info(record, message);
      const { event: _event, caller: _caller, ...facts } = record;
      audit.proxied(facts);
    },
  };
}
