import { ApiError } from '../../errors.js';
import type { SignInput } from './types.js';

/** A signer parameter, or a 422 naming it. */
export function requireParam(input: Pick<SignInput, 'params'>, name: string): string {
  const value = input.params[name];
  if (value === undefined || value === '')
    throw new ApiError('INVALID_INPUT', `X-API-CattleAuth-Header is missing the parameter ${name}`, { fieldName: name, reason: 'MissingRequired' });
  return value;
}

/** A credential field, or a 422 naming the field (never its value). */
export function requireField(input: Pick<SignInput, 'credential'>, field: string): string {
  const value = input.credential?.[field];
  if (value === undefined || value === '')
    throw new ApiError('INVALID_INPUT', `the credential has no field ${field}`, { fieldName: field, reason: 'MissingRequired' });
  return value;
}

/** The credential field named by a parameter, e.g. `passwordField=accessToken`. */
export function fieldNamedBy(input: Pick<SignInput, 'params' | 'credential'>, param: string): string {
  return requireField(input, requireParam(input, param));
}
