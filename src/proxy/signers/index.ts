import { ApiError } from '../../errors.js';
import { arbitrary } from './arbitrary.js';
import { awsv4 } from './awsv4.js';
import { basic } from './basic.js';
import { bearer } from './bearer.js';
import { digest } from './digest.js';
import type { Signer } from './types.js';

export type { Signer, PreflightResponse } from './types.js';

const signers: Readonly<Record<string, Signer>> = { awsv4, bearer, basic, digest, arbitrary };

/**
 * The signer a `X-API-CattleAuth-Header` names (case-insensitively). Rancher sent an
 * unknown name on as `Authorization`; a 400 keeps a typo from leaking a value upstream.
 */
export function signerNamed(name: string): Signer {
  const signer = Object.hasOwn(signers, name.toLowerCase()) ? signers[name.toLowerCase()] : undefined;
  if (!signer) throw new ApiError('BAD_REQUEST', `unknown signer ${JSON.stringify(name)}; expected one of ${Object.keys(signers).join(', ')}`);
  return signer;
}
