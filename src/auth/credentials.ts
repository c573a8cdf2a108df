import type { IncomingHttpHeaders } from 'node:http';

/**
 * The credential a request presents, in any of the forms Rancher accepts:
 * `Authorization: Basic base64(token-xxxxx:secret)`, `Authorization: Bearer
 * token-xxxxx:secret`, or the `R_SESS` session cookie. Parsing only: whether the key
 * exists and is valid is the token service's question.
 */
export interface PresentedCredential {
  tokenId: string;
  secret: string;
  via: 'basic' | 'bearer' | 'cookie';
  /** The Authorization header it came in, as sent; absent for the session cookie. */
  header?: string;
}

/** Longer than any real header we issue; refused before any work is done. */
const maximumLength = 4096;
const tokenPattern = /^(token-[a-z0-9]{5,}):([A-Za-z0-9_-]{20,})$/;

/** `undefined`: no credential at all. `'malformed'`: something was sent but is not a credential. */
export function presentedCredential(headers: IncomingHttpHeaders): PresentedCredential | 'malformed' | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    if (authorization.length > maximumLength) return 'malformed';
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme ?? '')) return fromPair(value, 'bearer', authorization);
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return fromPair(decoded, 'basic', authorization);
    }
    return 'malformed';
  }
  const cookie = sessionCookie(headers.cookie);
  if (cookie === undefined) return undefined;
  if (cookie.length > maximumLength) return 'malformed';
  const decoded = percentDecoded(cookie);
  return decoded === undefined ? 'malformed' : fromPair(decoded, 'cookie');
}

function sessionCookie(cookieHeader: string | undefined): string | undefined {
  return /(?:^|;\s*)R_SESS=([^;]*)/.exec(cookieHeader ?? '')?.[1];
}

export function csrfCookie(cookieHeader: string | undefined): string | undefined {
  return /(?:^|;\s*)CSRF=([^;]*)/.exec(cookieHeader ?? '')?.[1];
}

/** A cookie value with bad percent-escapes (`%E0%A4%A`) is malformed, not an internal error. */
function percentDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function fromPair(pair: string, via: PresentedCredential['via'], header?: string): PresentedCredential | 'malformed' {
  const match = tokenPattern.exec(pair);
  return match ? { tokenId: match[1]!, secret: match[2]!, via, header } : 'malformed';
}
