import { fieldNamedBy } from './fields.js';
import type { Signer } from './types.js';

/** `Authorization: Bearer <credential[passwordField]>`. */
export const bearer: Signer = {
  credential: 'required',
  needsBody: false,
  sign: (input) => ({ ...input.headers, authorization: `Bearer ${fieldNamedBy(input, 'passwordField')}` }),
};
