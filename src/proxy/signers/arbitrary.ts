import { ApiError } from '../../errors.js';
import { isReservedRequestHeader, type HeaderMap } from '../headers.js';
import { requireParam } from './fields.js';
import type { Signer } from './types.js';

/**
 * `headers=Name=value,Name2=value2`: literal headers, no secret involved. Names the
 * proxy itself controls (Host, Cookie, framing, hop-by-hop, Impersonate-*, forwarding)
 * are refused, so this cannot undo what the header rules strip.
 */
export const arbitrary: Signer = {
  credential: 'optional',
  needsBody: false,
  sign(input) {
    const added: HeaderMap = {};
    for (const pair of requireParam(input, 'headers').split(',')) {
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals).trim().toLowerCase();
      if (equals <= 0) throw refused('each entry must be Name=value');
      if (name !== 'authorization' && isReservedRequestHeader(name)) throw refused(`the header ${name} may not be set`);
      // Invalid names and CR/LF in values are refused for every signer by the core.
      added[name] = pair.slice(equals + 1);
    }
    return { ...input.headers, ...added };
  },
};

const refused = (why: string) => new ApiError('INVALID_INPUT', `arbitrary signer: ${why}`, { fieldName: 'headers' });
