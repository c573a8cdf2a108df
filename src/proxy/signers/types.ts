import type { HeaderMap } from '../headers.js';
import type { ProxyTarget } from '../target.js';

/** A stored credential's fields, by short name (`accessKey`, `accessToken`, …). */
type CredentialFields = Readonly<Record<string, string>>;

/** The answer to a request sent without credentials, for challenge-response signers. */
export interface PreflightResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SignInput {
  readonly method: string;
  readonly target: ProxyTarget;
  /** The outgoing headers so far (lowercase names). */
  readonly headers: HeaderMap;
  /** The whole request body, for signers that declare `needsBody`; otherwise undefined. */
  readonly body: Buffer | undefined;
  /** The header's key=value parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** The credential named by `credID`, already checked for this caller and host. */
  readonly credential: CredentialFields | undefined;
  /** Sends the same method and URL with no body and no credentials. */
  readonly preflight: () => Promise<PreflightResponse>;
}

/**
 * One way of putting a credential on a request. Each lives in its own file and is
 * picked by name in `index.ts`. A signer returns the complete outgoing headers, or
 * throws an ApiError — the request is then never sent.
 */
export interface Signer {
  /** `required`: the signer reads credential fields; `optional`: `credID` is only checked. */
  readonly credential: 'required' | 'optional';
  /** True when the signature covers the body, which must then be read before sending. */
  readonly needsBody: boolean;
  sign(input: SignInput): Promise<HeaderMap> | HeaderMap;
}
