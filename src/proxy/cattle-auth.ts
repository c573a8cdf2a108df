import { ApiError } from '../errors.js';

/** `X-API-CattleAuth-Header: <signer> key=value …`, read into its parts. */
export interface CattleAuth {
  /** Lowercase: the signer name is case-insensitive. */
  readonly signer: string;
  /** Keys are case-sensitive, except that `credId` is accepted for `credID`. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses the header strictly. Rancher's parser crashed on a parameter without `=` and
 * on doubled spaces; here malformed input is a 400, and whitespace runs separate.
 */
export function parseCattleAuth(header: string): CattleAuth {
  const [signer, ...tokens] = header.trim().split(/\s+/);
  if (!signer || !/^[A-Za-z0-9_-]+$/.test(signer)) throw malformed('it must start with a signer name');
  const params: Record<string, string> = {};
  for (const [index, token] of tokens.entries()) {
    const equals = token.indexOf('=');
    // Not echoed: a stray token may well be a secret pasted in the wrong place.
    if (equals <= 0) throw malformed(`parameter ${index + 1} is not key=value`);
    const key = token.slice(0, equals) === 'credId' ? 'credID' : token.slice(0, equals);
    if (Object.hasOwn(params, key)) throw malformed(`parameter ${key} is given twice`);
    params[key] = token.slice(equals + 1);
  }
  return { signer: signer.toLowerCase(), params };
}

const malformed = (why: string) => new ApiError('BAD_REQUEST', `malformed X-API-CattleAuth-Header: ${why}`);
