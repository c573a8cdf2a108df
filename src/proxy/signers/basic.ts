import { fieldNamedBy } from './fields.js';
import type { Signer } from './types.js';

/**
 * `Authorization: Basic base64(user:password)` in standard base64 (RFC 7617). Rancher
 * used the URL-safe alphabet, which servers that follow the RFC reject whenever the
 * encoding happens to contain `+` or `/`.
 */
export const basic: Signer = {
  credential: 'required',
  needsBody: false,
  sign(input) {
    const user = fieldNamedBy(input, 'usernameField');
    const password = fieldNamedBy(input, 'passwordField');
    return { ...input.headers, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  },
};
