import aws4 from 'aws4';
import type { HeaderMap } from '../headers.js';
import { awsServiceAndRegion } from './aws-endpoint.js';
import { requireField } from './fields.js';
import type { Signer } from './types.js';

/**
 * AWS Signature Version 4 with the credential's `accessKey` / `secretKey` (and
 * `sessionToken` when it has one). The body is hashed into the signature, the date is
 * the server's, and Content-Type and the caller's other `x-amz-*` headers (such as
 * `X-Amz-Target`) are signed too, so none of them can be altered on the way.
 */
export const awsv4: Signer = {
  credential: 'required',
  needsBody: true,
  sign(input) {
    const { service, region } = awsServiceAndRegion(input.target.hostname);
    const { signed: toSign, unsigned } = partition(input.headers);
    const sessionToken = input.credential?.sessionToken;
    const request = aws4.sign(
      {
        host: input.target.host,
        method: input.method,
        path: input.target.path,
        service,
        region,
        headers: toSign,
        // An empty body must be absent, or aws4 adds a form Content-Type to a GET.
        ...(input.body && input.body.length > 0 ? { body: input.body } : {}),
      },
      { accessKeyId: requireField(input, 'accessKey'), secretAccessKey: requireField(input, 'secretKey'), ...(sessionToken ? { sessionToken } : {}) },
    );
    const signedHeaders: HeaderMap = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) signedHeaders[name.toLowerCase()] = Array.isArray(value) ? value : String(value);
    }
    return { ...unsigned, ...signedHeaders };
  },
};

/**
 * Which caller headers go into the signature. A caller's `x-amz-date`,
 * `x-amz-content-sha256` and `x-amz-security-token` are dropped: aws4 would reuse them
 * as the signing date, the payload hash and the token instead of computing its own.
 */
function partition(headers: HeaderMap): { signed: Record<string, string>; unsigned: HeaderMap } {
  const signed: Record<string, string> = {};
  const unsigned: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (callerChosen.has(name)) continue;
    if (name === 'content-type' || name.startsWith('x-amz-')) signed[name] = [value].flat().join(', ');
    else unsigned[name] = value;
  }
  return { signed, unsigned };
}

const callerChosen = new Set(['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']);
