import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../../errors.js';
import { parseChallenges, type Challenge } from './challenges.js';
import { fieldNamedBy } from './fields.js';
import type { Signer } from './types.js';

/**
 * HTTP Digest (RFC 7616, MD5, qop `auth` or none). The challenge comes from a preflight
 * sent without credentials, which must answer 401 with a Digest challenge; anything
 * else fails the request (502) rather than sending it unsigned.
 */
export const digest: Signer = {
  credential: 'required',
  needsBody: false,
  async sign(input) {
    const username = fieldNamedBy(input, 'usernameField');
    const password = fieldNamedBy(input, 'passwordField');
    const challenge = digestChallenge(await input.preflight());
    const qop = chooseQop(challenge.params.qop);
    const fields: DigestFields = {
      username,
      password,
      realm: challenge.params.realm!,
      nonce: challenge.params.nonce!,
      method: input.method,
      // RFC 7616 §3.4: the request-target, query included.
      uri: input.target.path,
      ...(qop ? { qop, nc: '00000001', cnonce: randomBytes(8).toString('hex') } : {}),
    };
    return { ...input.headers, authorization: digestAuthorization(fields, challenge.params.opaque, challenge.params.algorithm) };
  },
};

export interface DigestFields {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** The `response` value: MD5 over HA1, the nonce (and qop fields), and HA2. */
export function digestResponse(fields: DigestFields): string {
  const ha1 = md5(`${fields.username}:${fields.realm}:${fields.password}`);
  const ha2 = md5(`${fields.method}:${fields.uri}`);
  return fields.qop ? md5(`${ha1}:${fields.nonce}:${fields.nc}:${fields.cnonce}:${fields.qop}:${ha2}`) : md5(`${ha1}:${fields.nonce}:${ha2}`);
}

function digestAuthorization(fields: DigestFields, opaque: string | undefined, algorithm: string | undefined): string {
  const parts = [
    `username=${quote(fields.username)}`,
    `realm=${quote(fields.realm)}`,
    `nonce=${quote(fields.nonce)}`,
    `uri=${quote(fields.uri)}`,
    ...(algorithm ? [`algorithm=${algorithm}`] : []),
    `response="${digestResponse(fields)}"`,
    ...(opaque !== undefined ? [`opaque=${quote(opaque)}`] : []),
    ...(fields.qop ? [`qop=${fields.qop}`, `nc=${fields.nc}`, `cnonce="${fields.cnonce}"`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

function digestChallenge(preflight: { status: number; headers: Readonly<Record<string, string | string[] | undefined>> }): Challenge {
  if (preflight.status !== 401) throw preflightFailed(`answered ${preflight.status} instead of 401`);
  const challenge = parseChallenges(preflight.headers['www-authenticate'] ?? []).find(({ scheme }) => scheme === 'digest');
  if (!challenge?.params.nonce || challenge.params.realm === undefined) throw preflightFailed('carried no Digest challenge with a realm and a nonce');
  const algorithm = challenge.params.algorithm;
  if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') throw preflightFailed(`asked for the unsupported algorithm ${algorithm}`);
  return challenge;
}

/** qop is a list (`"auth,auth-int"`); only `auth` is supported, or no qop at all. */
function chooseQop(offered: string | undefined): 'auth' | undefined {
  if (offered === undefined) return undefined;
  if (offered.split(',').some((option) => option.trim().toLowerCase() === 'auth')) return 'auth';
  throw preflightFailed(`offered only qop ${offered}`);
}

const preflightFailed = (why: string) => new ApiError('BAD_GATEWAY', `digest signing failed: the upstream's unauthenticated preflight ${why}`);
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;
