import { ApiError } from '../errors.js';
import { matchHostPatterns } from './allow-list.js';
import { parseCattleAuth } from './cattle-auth.js';
import { signerNamed, type PreflightResponse, type Signer } from './signers/index.js';
import type { HeaderMap } from './headers.js';
import type { ProxyTarget } from './target.js';
import type { CredentialResolver, ProxyCaller } from './types.js';

/** What `X-API-CattleAuth-Header` asks for, checked before anything is sent. */
export interface SigningPlan {
  readonly signerName: string;
  readonly signer: Signer;
  readonly params: Readonly<Record<string, string>>;
  readonly credentialId: string | undefined;
}

export function planSigning(cattleAuth: string): SigningPlan {
  const { signer: signerName, params } = parseCattleAuth(cattleAuth);
  const signer = signerNamed(signerName);
  const credentialId = params.credID || undefined;
  if (signer.credential === 'required' && !credentialId) {
    throw new ApiError('INVALID_INPUT', 'X-API-CattleAuth-Header is missing the parameter credID', { fieldName: 'credID', reason: 'MissingRequired' });
  }
  return { signerName, signer, params, credentialId };
}

export interface SigningContext {
  readonly caller: ProxyCaller;
  readonly credentials: CredentialResolver;
  readonly method: string;
  readonly target: ProxyTarget;
  readonly headers: HeaderMap;
  readonly body: Buffer | undefined;
  readonly preflight: () => Promise<PreflightResponse>;
}

/**
 * The outgoing headers with the credential applied. Fails closed: any error (no such
 * credential, not the caller's, a host the credential is not meant for, a missing
 * field, a failed preflight) propagates and the request is never sent.
 */
export async function applySigning(plan: SigningPlan, context: SigningContext): Promise<HeaderMap> {
  const credential = plan.credentialId === undefined ? undefined : await credentialFor(plan.credentialId, context);
  return plan.signer.sign({
    method: context.method,
    target: context.target,
    headers: context.headers,
    body: context.body,
    params: plan.params,
    credential,
    preflight: context.preflight,
  });
}

async function credentialFor(credentialId: string, context: SigningContext) {
  const { fields, allowedHosts } = await context.credentials(credentialId, context.caller);
  // A credential only ever goes to its own provider's hosts, even when another host is allow-listed.
  if (matchHostPatterns(allowedHosts, context.target.hostname) === 'none') {
    throw new ApiError('PERMISSION_DENIED', `the credential may not be used for host ${context.target.hostname}`);
  }
  return fields;
}
